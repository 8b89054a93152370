"""Checks for lessons 7.11 (parameters), 7.12 (streaming) and 7.13 (OpenAI Q&A).

Every check prints one line (✅ or ❌ with a hint), returns True/False and never raises on a
wrong answer. Checks look at properties of what the student built (a response object, a
function run on hidden chunk lists), so any correct answer from any provider passes.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable
from typing import Any

from course_lib._fields import field
from course_lib.exercises._report import NOT_ANSWERED, check_quiz, never_raises, report

__all__ = [
    "OPENAI_QA_QUIZ",
    "check_join_tool_calls",
    "check_openai_qa_quiz",
    "check_reassemble_stream",
    "check_reply_probability",
    "check_three_alternatives",
]

def _count_tokens(text: str) -> int:
    from course_lib.tokens import count  # lazy: tiktoken loads only when a check runs

    return count(text)


# ---------------------------------------------------------------------------------------
# Lesson 7.11 — Parameters deep dive


def _alternatives(answer: Any) -> list[tuple[str, int]] | str:
    """(text, output tokens) per alternative, or a hint saying why ``answer`` can't be read.

    Accepts one OpenAI ChatCompletion (one alternative per choice) or a list of responses
    (OpenAI ChatCompletions with one choice each, or Anthropic Messages).
    """
    if field(answer, "choices") is not None:
        out = []
        for choice in field(answer, "choices"):
            text = field(field(choice, "message"), "content") or ""
            logprobs = field(field(choice, "logprobs"), "content")
            out.append((text, len(logprobs) if logprobs else _count_tokens(text)))
        return out
    if isinstance(answer, list | tuple):
        out = []
        for item in answer:
            if field(item, "choices") is not None:
                parts = _alternatives(item)
                if isinstance(parts, str):
                    return parts
                out += parts
            elif isinstance(field(item, "content"), list):  # an Anthropic Message
                text = "".join(field(b, "text") or "" for b in field(item, "content"))
                used = field(field(item, "usage"), "output_tokens")
                out.append((text, used if isinstance(used, int) else _count_tokens(text)))
            else:
                return f"Item {type(item).__name__} is not a response object."
        return out
    return (
        f"Expected the response object returned by the API, got {type(answer).__name__}. "
        "Pass `response` itself (not its text)."
    )


@never_raises
def check_three_alternatives(answer: Any, *, k: int = 3, max_tokens: int = 10) -> bool:
    """Does ``answer`` hold exactly ``k`` different alternatives of at most ``max_tokens`` each?

    ``answer`` is one response with ``k`` choices, or a list of ``k`` responses (any provider).
    """
    if answer is None:
        return report(False, "", NOT_ANSWERED)
    alternatives = _alternatives(answer)
    if isinstance(alternatives, str):
        return report(False, "", alternatives)
    if len(alternatives) != k:
        return report(
            False,
            "",
            f"Found {len(alternatives)} alternative(s); the task asks for exactly {k}. One "
            f"request can return several: the parameter `n` sets how many choices you get.",
        )
    too_long = [n for _, n in alternatives if n > max_tokens]
    if too_long:
        return report(
            False,
            "",
            f"An alternative used {max(too_long)} tokens; the limit is {max_tokens}. Cap the "
            "reply length with `max_completion_tokens` (older name: `max_tokens`).",
        )
    if any(not text.strip() for text, _ in alternatives):
        return report(False, "", "An alternative is empty: ask for text, not only a tool call.")
    if len({text for text, _ in alternatives}) < k:
        return report(
            False,
            "",
            "Some alternatives are identical. Sample more freely (temperature around 1, "
            "top_p 1) or change the seed.",
        )
    sizes = ", ".join(str(n) for _, n in alternatives)
    return report(True, f"{k} different alternatives of {sizes} tokens.", "")


def _reply_logprobs(response: Any) -> list[float] | None:
    choices = field(response, "choices") or []
    content = field(field(choices[0], "logprobs"), "content") if choices else None
    return [float(field(t, "logprob")) for t in content] if content else None


@never_raises
def check_reply_probability(probability: Any, response: Any) -> bool:
    """Is ``probability`` the chance of the whole first choice of ``response`` (from logprobs)?"""
    if probability is None:
        return report(False, "", NOT_ANSWERED)
    logprobs = _reply_logprobs(response)
    if logprobs is None:
        return report(
            False,
            "",
            "This response has no logprobs: request it with logprobs=True (OpenAI models "
            "that accept logprobs; see the table in this lesson).",
        )
    if isinstance(probability, bool) or not isinstance(probability, int | float):
        return report(False, "", f"Give a number, not {type(probability).__name__}.")
    total = sum(logprobs)
    expected = math.exp(total)

    def near(value: float) -> bool:
        return math.isclose(probability, value, rel_tol=1e-6, abs_tol=1e-300)

    if near(expected):
        return report(
            True,
            f"p(reply) = exp({total:.3f}) = {expected:.3g}: the product of the "
            f"{len(logprobs)} token probabilities.",
            "",
        )
    if near(total):
        return report(False, "", "That is the log-probability; exponentiate it (math.exp).")
    if near(math.exp(total / len(logprobs))):
        return report(
            False,
            "",
            "That is the geometric-mean probability per token; the whole reply needs the "
            "SUM of the logprobs (the product of the probabilities).",
        )
    if near(sum(math.exp(lp) for lp in logprobs)):
        return report(False, "", "Probabilities of a sequence multiply, they don't add.")
    return report(
        False,
        "",
        "Not quite: add up token.logprob over response.choices[0].logprobs.content, then "
        "take math.exp of the sum.",
    )


# ---------------------------------------------------------------------------------------
# Lesson 7.12 — Streaming


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
def check_reassemble_stream(fn: Any) -> bool:
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
def check_join_tool_calls(fn: Any) -> bool:
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


# ---------------------------------------------------------------------------------------
# Lesson 7.13 — OpenAI Q&A quiz (the questions live here so the notebook's code doesn't show
# the answers; course_lib.quiz draws the widget and grades)


def _quiz() -> Any:
    from course_lib.quiz import Question, Quiz

    return Quiz(
        [
            Question(
                "OpenAI's rate limits (RPM/TPM) are counted per…",
                ["API key user", "organization and project", "IP address"],
                answer=1,
                explanation="limits apply per organization and project; failed requests count too.",
            ),
            Question(
                "A call gets one 429 with retry-after and you kept the SDK's defaults. What happens?",
                [
                    "the SDK waits and retries by itself, and the call succeeds",
                    "RateLimitError is raised at once",
                    "the request is queued until the next minute",
                ],
                answer=0,
                explanation="the SDK retries 429s (twice by default); max_retries=0 turns that off.",
            ),
            Question(
                "For the current OpenAI models in the table, one output token costs…",
                ["less than an input token", "the same as an input token",
                 "more than an input token"],
                answer=2,
                explanation="output is priced several times higher than input.",
            ),
            Question(
                "Why does turn 20 of a chat cost more than turn 1?",
                [
                    "the model gets slower as the chat goes on",
                    "prices rise with usage",
                    "the whole history is sent (and billed) again every turn",
                ],
                answer=2,
                explanation="the API is stateless: each request carries every earlier message.",
            ),
            Question(
                "Which model accepts temperature=0.2?",
                [
                    "any model: it is a standard parameter",
                    "a model whose row in the model table says temperature=True",
                    "none: temperature was removed from the API",
                ],
                answer=1,
                explanation="reasoning models reject it with 400 unsupported_value.",
            ),
            Question(
                "After a model's shutdown date, a request naming it…",
                [
                    "fails with 404 model_not_found",
                    "is answered by its successor",
                    "still works, with a warning",
                ],
                answer=0,
                explanation="retired ids stop working: keep model ids in one place, watch the dates.",
            ),
        ],
        title="Lesson 7.13 quiz",
    )


OPENAI_QA_QUIZ = _quiz()


@never_raises
def check_openai_qa_quiz(answers: Any) -> bool:
    """Grade the 7.13 quiz: one option letter ("b") or index (1) per question."""
    return check_quiz(OPENAI_QA_QUIZ, answers)
