"""Lesson 7.12 — Streaming responses: reassembling a stream, joining tool-call fragments.

The checks run the student's function on hidden lists of real ``ChatCompletionChunk``
objects (a usage chunk, deltas whose content is None, interleaved tool calls...).

    >>> verdict = check_reassemble_stream(None)
    ❌ NOT YET: Not answered yet: replace the None in the cell above with your answer, then re-run.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from course_lib._fields import field
from course_lib.exercises._report import NOT_ANSWERED, Verdict, never_raises, report

__all__ = ["check_join_tool_calls", "check_reassemble_stream"]


def _chunk(choices: list[dict] | None = None, usage: dict | None = None) -> Any:
    from openai.types.chat import ChatCompletionChunk

    return ChatCompletionChunk.model_validate(
        {
            "id": "chatcmpl-hidden",
            "object": "chat.completion.chunk",
            "created": 0,
            "model": "hidden",
            "choices": choices or [],
            "usage": usage,
        }
    )


def _delta(delta: dict, finish: str | None = None) -> Any:
    return _chunk([{"index": 0, "delta": delta, "finish_reason": finish}])


def _tool(index: int, arguments: str, name: str | None = None) -> dict:
    fragment: dict = {"index": index, "function": {"arguments": arguments}}
    if name:  # only the first fragment of a call carries id, type and name
        fragment = {"index": index, "id": f"call_{index}", "type": "function",
                    "function": {"name": name, "arguments": arguments}}
    return fragment


def _text_cases() -> list[tuple[str, list[Any], str, str]]:
    """(what it tests, chunks, expected text, expected finish_reason)."""
    usage = {"prompt_tokens": 9, "completion_tokens": 3, "total_tokens": 12}
    return [
        (
            "a plain stream with a usage chunk",
            [_delta({"role": "assistant", "content": ""}), _delta({"content": "Hel"}),
             _delta({"content": "lo"}), _delta({"content": " world"}), _delta({}, "stop"),
             _chunk([], usage)],
            "Hello world",
            "stop",
        ),
        (
            "a reply cut by max_tokens, with deltas whose content is None",
            [_delta({"role": "assistant", "content": None}), _delta({"content": "The answer"}),
             _delta({"content": None}), _delta({"content": " is"}), _delta({}, "length")],
            "The answer is",
            "length",
        ),
        (
            "a stream that only calls a tool",
            [_delta({"role": "assistant", "content": None,
                     "tool_calls": [_tool(0, "", "calculator")]}),
             _delta({"tool_calls": [_tool(0, '{"expression": "2+2"}')]}),
             _delta({}, "tool_calls"), _chunk([], usage)],
            "",
            "tool_calls",
        ),
        (
            "characters outside ASCII",
            [_delta({"role": "assistant", "content": ""}), _delta({"content": "naïve"}),
             _delta({"content": " café 🙂"}), _delta({}, "stop")],
            "naïve café 🙂",
            "stop",
        ),
    ]


def _run(fn: Callable, chunks: list[Any]) -> tuple[Any, str | None]:
    try:
        return fn(list(chunks)), None
    except IndexError:
        return None, (
            "IndexError: the usage chunk (stream_options include_usage) has EMPTY choices, "
            "so chunk.choices[0] fails there. Skip chunks whose choices list is empty."
        )
    except TypeError as exc:
        return None, (
            f"TypeError ({exc}): delta.content is None in some chunks (the role chunk, "
            "tool-call chunks, the final chunk). Use `delta.content or ''`."
        )
    except Exception as exc:  # (a student's bug must not stop the notebook)
        return None, f"Your function raised {type(exc).__name__}: {exc}"


@never_raises
def check_reassemble_stream(fn: Any) -> Verdict:
    """Does ``fn(chunks) -> (text, finish_reason)`` rebuild hidden OpenAI chunk streams?"""
    if fn is None:
        return report(False, "", NOT_ANSWERED)
    if not callable(fn):
        return report(False, "", "Pass a function: reassemble(chunks) -> (text, finish_reason).")
    cases = _text_cases()
    for what, chunks, text, finish in cases:
        got, problem = _run(fn, chunks)
        if problem:
            return report(False, "", f"On {what}: {problem}")
        if got is None:
            return report(
                False, "", "Not answered yet: finish reassemble() so it returns (text, finish_reason)."
            )
        if not (isinstance(got, tuple | list) and len(got) == 2):
            return report(False, "", f"Return a pair (text, finish_reason), got {got!r}.")
        if got[0] != text:
            return report(
                False,
                "",
                f"On {what}: text {got[0]!r}, expected {text!r}. Join every "
                "choices[0].delta.content in order, treating None as ''.",
            )
        if got[1] != finish:
            return report(
                False,
                "",
                f"On {what}: finish_reason {got[1]!r}, expected {finish!r}. It is None on "
                "every chunk but one: keep the last value that is not None.",
            )
    return report(True, f"All {len(cases)} hidden streams reassembled correctly.", "")


def _tool_cases() -> list[tuple[str, list[Any], list[dict]]]:
    two = [
        _delta({"role": "assistant", "content": None, "tool_calls": [_tool(0, "", "calculator")]}),
        _delta({"tool_calls": [_tool(0, '{"expr')]}),
        _delta({"tool_calls": [_tool(1, "", "calculator")]}),  # call 1 starts before 0 ends
        _delta({"tool_calls": [_tool(1, '{"expression": "3*')]}),
        _delta({"tool_calls": [_tool(0, 'ession": "1+')]}),
        _delta({"tool_calls": [_tool(1, '4"}')]}),
        _delta({"tool_calls": [_tool(0, '2"}')]}),
        _delta({}, "tool_calls"),
    ]
    one = [
        _delta({"role": "assistant", "content": None, "tool_calls": [_tool(0, "", "get_time")]}),
        _delta({"tool_calls": [_tool(0, "{")]}),
        _delta({"tool_calls": [_tool(0, '"tz": "UTC"}')]}),
        _delta({}, "tool_calls"),
        _chunk([], {"prompt_tokens": 5, "completion_tokens": 8, "total_tokens": 13}),
    ]
    return [
        ("one call in three fragments", one, [{"name": "get_time", "arguments": {"tz": "UTC"}}]),
        (
            "two calls whose fragments interleave",
            two,
            [{"name": "calculator", "arguments": {"expression": "1+2"}},
             {"name": "calculator", "arguments": {"expression": "3*4"}}],
        ),
    ]


@never_raises
def check_join_tool_calls(fn: Any) -> Verdict:
    """Does ``fn(chunks) -> [{"name", "arguments"}, ...]`` join tool-call fragments per index?"""
    if fn is None:
        return report(False, "", NOT_ANSWERED)
    if not callable(fn):
        return report(False, "", "Pass a function: join_tool_calls(chunks) -> list of dicts.")
    for what, chunks, expected in _tool_cases():
        got, problem = _run(fn, chunks)
        if problem:
            return report(False, "", f"On {what}: {problem}")
        if got is None:
            return report(
                False, "", "Not answered yet: finish join_tool_calls() so it returns a list."
            )
        if isinstance(got, dict):  # {index: call} is fine too
            got = [got[i] for i in sorted(got)]
        if not isinstance(got, list) or len(got) != len(expected):
            return report(
                False,
                "",
                f"On {what}: expected a list of {len(expected)} call(s), got {got!r}. Keep one "
                "entry per tool_call.index.",
            )
        for call, want in zip(got, expected, strict=True):
            name, arguments = field(call, "name"), field(call, "arguments")
            if name != want["name"]:
                return report(
                    False,
                    "",
                    f"On {what}: name {name!r}, expected {want['name']!r}. The name arrives only "
                    "in the FIRST fragment of each call; don't overwrite it with later None.",
                )
            try:
                parsed = json.loads(arguments) if isinstance(arguments, str) else arguments
            except json.JSONDecodeError:
                return report(
                    False,
                    "",
                    f"On {what}: arguments {arguments!r} are not valid JSON. Concatenate the "
                    "pieces separately for each index (fragments of different calls interleave).",
                )
            if parsed != want["arguments"]:
                return report(
                    False, "", f"On {what}: arguments {parsed!r}, expected {want['arguments']!r}."
                )
    return report(True, "Tool-call fragments joined per index on every hidden stream.", "")
