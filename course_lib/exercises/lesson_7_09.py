"""Lesson 7.9 — Chat completions under the hood: predicting prompt tokens, reading raw JSON.

    >>> verdict = check_prompt_tokens(None, [{"role": "user", "content": "Hi"}])
    ❌ NOT YET: Not answered yet: replace the None in the cell above with your answer, then re-run.
"""

from __future__ import annotations

import copy
from typing import Any

from course_lib.exercises._report import NOT_ANSWERED, Verdict, call, never_raises, report

__all__ = ["check_prompt_tokens", "check_read_completion"]


@never_raises
def check_prompt_tokens(predicted: Any, messages: list[dict], *, actual: int | None = None) -> Verdict:
    """Is ``predicted`` the ``usage.prompt_tokens`` of sending ``messages`` (cookbook rule)?

    ``actual`` (the usage a real provider reported) is accepted too: newer models may frame
    messages a little differently from the cookbook's count.
    """
    from course_lib.tokens import REPLY_PRIMING, TOKENS_PER_MESSAGE, count, count_chat_tokens

    if predicted is None:
        return report(False, "", NOT_ANSWERED)
    if isinstance(predicted, bool) or not isinstance(predicted, int):
        return report(False, "", f"Give a whole number of tokens, not {type(predicted).__name__}.")
    if not isinstance(messages, list) or not all(isinstance(m, dict) for m in messages):
        return report(False, "", "Pass the list of messages you counted (dicts with 'role' and "
                      "'content') as the second argument.")
    expected = count_chat_tokens(messages)
    if predicted in (expected, actual):
        return report(True, f"{predicted} prompt tokens: content + role tokens + "
                      f"{TOKENS_PER_MESSAGE} per message + {REPLY_PRIMING} to prime the reply.", "")
    roles = sum(count(m["role"]) for m in messages)
    framing = TOKENS_PER_MESSAGE * len(messages)
    hints = {
        expected - REPLY_PRIMING: f"Add the {REPLY_PRIMING} tokens that prime the reply.",
        expected - framing: f"Add {TOKENS_PER_MESSAGE} framing tokens per message.",
        expected - framing - REPLY_PRIMING: f"You counted the text only: add {TOKENS_PER_MESSAGE} "
        f"per message and {REPLY_PRIMING} for the reply.",
        expected - roles: "The role names are tokens too (\"user\" is one token).",
        expected - roles - framing - REPLY_PRIMING: "You counted only the contents: add the role "
        f"tokens, {TOKENS_PER_MESSAGE} per message and {REPLY_PRIMING} for the reply.",
    }
    hint = hints.get(predicted, "Count every part with enc.encode: each message's content and "
                     "role, the framing tokens of each message, and the tokens that prime the "
                     "reply.")
    # Say which way it is off, never by how much: the number would be the answer.
    side = "too high" if predicted > expected else "too low"
    return report(False, "", f"{predicted} is {side}. {hint}")


def _completion(content: str | None, *, index: int = 0, finish: str = "stop", **message: Any) -> dict:
    return {"index": index, "message": {"role": "assistant", "content": content, "refusal": None,
                                        **message}, "logprobs": None, "finish_reason": finish}


def _body(choices: list[dict], prompt: int, completion: int, **extra: Any) -> dict:
    return {"id": "chatcmpl-hidden", "object": "chat.completion", "created": 0, "model": "hidden",
            "choices": choices, "usage": {
                "prompt_tokens": prompt, "completion_tokens": completion,
                "total_tokens": prompt + completion,
                "prompt_tokens_details": {"cached_tokens": 0, "audio_tokens": 0},
                "completion_tokens_details": {"reasoning_tokens": 0, "audio_tokens": 0}},
            "service_tier": "default", "system_fingerprint": "fp_hidden", **extra}


def _read_cases() -> list[tuple[str, dict, tuple[str | None, int, int]]]:
    tool_call = {"id": "call_1", "type": "function",
                 "function": {"name": "calculator", "arguments": '{"expression": "2+2"}'}}
    return [
        ("a plain reply", _body([_completion("Hello there!")], 12, 4), ("Hello there!", 12, 4)),
        ("a reply cut short (finish_reason length)",
         _body([_completion("The answer is", finish="length")], 30, 3), ("The answer is", 30, 3)),
        ("a reply with two choices (n=2)",
         _body([_completion("first", index=0), _completion("second", index=1)], 9, 2),
         ("first", 9, 2)),
        ("a reply that only calls a tool (content is null)",
         _body([_completion(None, finish="tool_calls", tool_calls=[tool_call])], 80, 17), (None, 80, 17)),
        ("non-ASCII text", _body([_completion("naïve café 🙂")], 11, 7), ("naïve café 🙂", 11, 7)),
    ]


@never_raises
def check_read_completion(read: Any) -> Verdict:
    """Does ``read(body) -> (text, prompt_tokens, completion_tokens)`` read raw JSON bodies?

    ``text`` is the first choice's content; for a reply with no text (a tool call) both None
    and "" are accepted.
    """
    if read is None:
        return report(False, "", NOT_ANSWERED)
    if not callable(read):
        return report(False, "", "Pass a function: read(body) -> (text, prompt_tokens, completion_tokens).")
    cases = _read_cases()
    for what, body, (text, prompt, completion) in cases:
        got, problem = call(read, copy.deepcopy(body))
        if problem:
            hint = (" Some replies have content null (tool calls): don't call string methods on it."
                    if text is None else "")
            return report(False, "", f"On {what}, {problem}.{hint}")
        if not (isinstance(got, tuple | list) and len(got) == 3):
            return report(False, "", f"Return a tuple (text, prompt_tokens, completion_tokens), got {got!r}.")
        if got[0] != text and not (text is None and got[0] == ""):
            return report(False, "", f"On {what}: text {got[0]!r}, expected {text!r}. The text "
                          "is the content of the FIRST choice's message.")
        if tuple(got[1:]) != (prompt, completion):
            return report(False, "", f"On {what}: tokens {tuple(got[1:])}, expected {(prompt, completion)}. "
                          "usage sits at the top level of the body, beside choices.")
    return report(True, f"Your reader handles all {len(cases)} hidden bodies.", "")
