"""Lesson 7.19 — Anthropic Claude: reading content blocks, and moving a chat to the Messages API.

``check_reply_text`` runs the student's function on hidden ``anthropic.types.Message``
objects (several text blocks, a tool call, a thinking block); ``check_messages_request``
gives theirs hidden OpenAI-style conversations and inspects the keyword arguments it builds.

    >>> verdict = check_reply_text(None)
    ❌ NOT YET: Not answered yet: replace the None in the cell above with your answer, then re-run.
"""

from __future__ import annotations

from typing import Any

from course_lib.exercises._report import NOT_ANSWERED, Verdict, call, never_raises, report

__all__ = ["check_messages_request", "check_reply_text"]


def _message(*blocks: dict, stop_reason: str = "end_turn") -> Any:
    from anthropic.types import Message

    return Message.model_validate({
        "id": "msg_hidden", "type": "message", "role": "assistant", "model": "hidden",
        "content": list(blocks), "stop_reason": stop_reason, "stop_sequence": None,
        "usage": {"input_tokens": 12, "output_tokens": 9},
    })


def _text(text: str) -> dict:
    return {"type": "text", "text": text}


def _tool_use(expression: str) -> dict:
    return {"type": "tool_use", "id": "toolu_hidden", "name": "calculator",
            "input": {"expression": expression}}


def _reply_cases() -> list[tuple[str, Any, str]]:
    """(what it tests, message, the text a user should see)."""
    return [
        ("one text block", _message(_text("A list holds items in order.")),
         "A list holds items in order."),
        ("two text blocks", _message(_text("First part. "), _text("Second part.")),
         "First part. Second part."),
        ("text, then a tool call", _message(_text("Let me compute that."), _tool_use("6 * 7"),
                                            stop_reason="tool_use"),
         "Let me compute that."),
        ("only a tool call", _message(_tool_use("2 ** 10"), stop_reason="tool_use"), ""),
        ("a thinking block before the answer",
         _message({"type": "thinking", "thinking": "The user wants a number.", "signature": "sig"},
                  _text("42")),
         "42"),
    ]


@never_raises
def check_reply_text(fn: Any) -> Verdict:
    """Does ``fn(message) -> str`` join the text blocks of hidden Messages, skipping the rest?"""
    if fn is None:
        return report(False, "", NOT_ANSWERED)
    if not callable(fn):
        return report(False, "", "Pass a function: reply_text(message) -> str.")
    cases = _reply_cases()
    for what, message, expected in cases:
        got, problem = call(fn, message, shown="reply_text(message)")
        if problem:
            hint = ""
            if "AttributeError" in problem:
                hint = (" Not every block has .text: a tool_use block has .input, a thinking "
                        "block .thinking. Look at block.type first.")
            elif "IndexError" in problem:
                hint = " A reply may have no text block at all: don't assume content[0]."
            return report(False, "", f"On {what}: {problem}.{hint}")
        if got is None:
            return report(False, "", "Not answered yet: finish reply_text() so it returns a string.")
        if not isinstance(got, str):
            return report(False, "", f"Return a str, got {type(got).__name__}: {got!r}.")
        if got != expected:
            return report(
                False,
                "",
                f"On {what}: got {got!r}, expected {expected!r}. response.content is a list of "
                "blocks; join the .text of every block whose type is 'text', in order, with "
                "nothing between them.",
            )
    return report(True, f"All {len(cases)} hidden messages read correctly.", "")


# ---------------------------------------------------------------------------------------


def _conversations() -> list[tuple[str, list[dict], str | None]]:
    """(what it tests, OpenAI-style messages, the system text Anthropic should get)."""
    return [
        (
            "a system message and one question",
            [{"role": "system", "content": "Answer in one sentence."},
             {"role": "user", "content": "What is a tuple?"}],
            "Answer in one sentence.",
        ),
        (
            "a conversation with no system message",
            [{"role": "user", "content": "Hi, I'm Ada."},
             {"role": "assistant", "content": "Hello Ada!"},
             {"role": "user", "content": "What is my name?"}],
            None,
        ),
        (
            "two system messages around a turn",
            [{"role": "system", "content": "You are terse."},
             {"role": "user", "content": "Define API."},
             {"role": "assistant", "content": "An interface."},
             {"role": "system", "content": "Use British spelling."},
             {"role": "user", "content": "Define colour."}],
            "You are terse.\n\nUse British spelling.",
        ),
    ]


def _request_problem(what: str, got: Any, messages: list[dict], system: str | None) -> str | None:
    if not isinstance(got, dict):
        return f"Return a dict of keyword arguments for messages.create, got {type(got).__name__}."
    if "model" in got:
        return "Leave 'model' out: the cell passes model=model itself."
    if not isinstance(got.get("max_tokens"), int) or isinstance(got.get("max_tokens"), bool) \
            or got["max_tokens"] < 1:
        return ("Include max_tokens, a positive int: the Messages API requires it (without it "
                "the SDK raises TypeError before sending anything).")
    sent = got.get("messages")
    if not isinstance(sent, list):
        return "Include 'messages': a list of user and assistant messages."
    roles = [m.get("role") if isinstance(m, dict) else None for m in sent]
    if "system" in roles:
        return ("On " + what + ": a message has role 'system'. Anthropic takes the system "
                "prompt as its own parameter, system=..., never inside messages.")
    expected = [m for m in messages if m["role"] != "system"]
    if sent != expected:
        return (f"On {what}: messages should be the user and assistant turns, unchanged and in "
                f"order ({len(expected)} of them); got {sent!r}.")
    if system is None:
        if got.get("system"):
            return f"On {what}: there is no system message, so send no system prompt."
        return None
    if got.get("system") != system:
        return (f"On {what}: system should be {system!r}, got {got.get('system')!r}. With "
                "several system messages, join their texts in order with a blank line ('\\n\\n').")
    return None


@never_raises
def check_messages_request(fn: Any) -> Verdict:
    """Does ``fn(messages) -> dict`` turn OpenAI-style messages into messages.create kwargs?"""
    if fn is None:
        return report(False, "", NOT_ANSWERED)
    if not callable(fn):
        return report(False, "", "Pass a function: messages_request(messages) -> dict.")
    cases = _conversations()
    for what, messages, system in cases:
        copy = [dict(m) for m in messages]
        got, problem = call(fn, copy, shown="messages_request(messages)")
        if problem:
            return report(False, "", f"On {what}: {problem}.")
        if got is None:
            return report(False, "", "Not answered yet: finish messages_request() so it returns "
                                     "a dict.")
        problem = _request_problem(what, got, messages, system)
        if problem:
            return report(False, "", problem)
    return report(True, f"All {len(cases)} hidden conversations converted for the Messages API.",
                  "")
