"""Read a reply's text the same way from either provider, as an SDK object or parsed JSON.

Several lessons' checks accept "any response, from any provider": an OpenAI
``ChatCompletion`` (text in ``choices[i].message.content``) or an Anthropic ``Message``
(text in the ``content`` blocks of type "text").

    >>> reply_text({"choices": [{"message": {"role": "assistant", "content": "Hi"}}]})
    'Hi'
    >>> reply_text({"content": [{"type": "thinking", "thinking": "..."},
    ...                         {"type": "text", "text": "Hello"}]})
    'Hello'
    >>> reply_text("Hello") is None
    True
"""

from __future__ import annotations

from typing import Any

from course_lib._fields import field


def choice_text(choice: Any) -> str | None:
    """The text of one OpenAI choice (None when it only calls a tool)."""
    return field(field(choice, "message"), "content")


def is_anthropic_message(response: Any) -> bool:
    """Does ``response`` look like an Anthropic Message (a list of content blocks)?"""
    return isinstance(field(response, "content"), list)


def anthropic_text(message: Any) -> str:
    """The text blocks of an Anthropic Message, joined (thinking and tool blocks skipped)."""
    return "".join(field(b, "text") or "" for b in field(message, "content")
                   if field(b, "type") == "text")


def reply_text(response: Any) -> str | None:
    """The assistant's text: the first choice (OpenAI) or the text blocks (Anthropic).

    None when ``response`` is not a chat response at all.
    """
    choices = field(response, "choices")
    if choices:
        return choice_text(choices[0])
    if is_anthropic_message(response):
        return anthropic_text(response)
    return None
