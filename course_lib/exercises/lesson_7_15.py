"""Lesson 7.15 — Function calling under the hood: answering tool calls, and the whole loop.

``check_tool_messages`` runs the student's function on hidden assistant messages (real
``ChatCompletionMessage`` objects); ``check_tool_loop`` runs the student's loop against the
active provider and reads the conversation it returns (SDK objects or dicts).

    >>> verdict = check_tool_messages(None)
    ❌ NOT YET: Not answered yet: replace the None in the cell above with your answer, then re-run.
"""

from __future__ import annotations

import json
import re
from typing import Any

from course_lib._fields import field
from course_lib.exercises._report import NOT_ANSWERED, Verdict, call, never_raises, report

__all__ = ["check_tool_loop", "check_tool_messages"]


def _message(expressions: list[str]) -> Any:
    from openai.types.chat import ChatCompletionMessage

    calls = [{"id": f"call_hidden{i}", "type": "function",
              "function": {"name": "calculator", "arguments": json.dumps({"expression": e})}}
             for i, e in enumerate(expressions)]
    return ChatCompletionMessage.model_validate(
        {"role": "assistant", "content": None, "tool_calls": calls})


CASES = [
    ("one call", ["48271 * 93817"]),
    ("two calls (answer both, in order, each with its own id)", ["2 ** 20", "1 / 8"]),
    ("a call the calculator refuses (1 / 0)", ["7 * 6", "1 / 0"]),
]
# What the calculator gives for each (None: it raises CalculatorError). Written out, so that
# the check does not depend on the code it checks.
EXPECTED = {"48271 * 93817": 4528640407, "2 ** 20": 1048576, "1 / 8": 0.125, "7 * 6": 42,
            "1 / 0": None}


def _expected(expression: str) -> tuple[bool, Any]:
    """(is_error, value) for one expression."""
    value = EXPECTED[expression]
    return value is None, value


def _content_ok(content: Any, expression: str) -> str | None:
    """None if ``content`` is a right answer to ``expression``, else what is wrong."""
    if not isinstance(content, str):
        return (f"content must be a string (json.dumps(value)), got {type(content).__name__}; "
                "the API accepts only text in a tool message")
    is_error, value = _expected(expression)
    if is_error:
        if not content.lower().startswith("error"):
            return (f"for {expression!r} the calculator raises CalculatorError: catch it and "
                    "send 'Error: ' plus its message, so the model can read what went wrong")
        return None
    try:
        got = json.loads(content)
    except ValueError:
        return f"for {expression!r} the content {content!r} is not the number the calculator gives"
    if got != value:
        return f"for {expression!r} the content should be the calculator's result, not {content!r}"
    return None


@never_raises
def check_tool_messages(fn: Any) -> Verdict:
    """Does ``fn(message)`` return one matching ``tool`` message per calculator call?"""
    if fn is None:
        return report(False, "", NOT_ANSWERED)
    if not callable(fn):
        return report(False, "", "Pass a function: tool_messages(message) -> list of dicts.")
    for what, expressions in CASES:
        message = _message(expressions)
        got, problem = call(fn, message, shown="tool_messages(message)")
        if problem:
            hint = " (catch CalculatorError around evaluate)" if "division" in problem else ""
            return report(False, "", f"On {what}: {problem}{hint}")
        if got is None:
            return report(False, "", "Not answered yet: finish tool_messages() so it returns a list.")
        if not isinstance(got, list) or len(got) != len(expressions):
            return report(False, "", f"On {what}: return a list with one tool message per call "
                          f"({len(expressions)} here), got {got!r:.80}")
        for i, (sent, expression) in enumerate(zip(got, expressions, strict=True)):
            if field(sent, "role") != "tool":
                return report(False, "", f"On {what}: each message needs role 'tool'.")
            if field(sent, "tool_call_id") != message.tool_calls[i].id:
                return report(False, "", f"On {what}: message {i} must carry tool_call_id = the "
                              f"id of call {i} (call.id), so the model can match the result")
            wrong = _content_ok(field(sent, "content"), expression)
            if wrong:
                return report(False, "", f"On {what}: {wrong}.")
    return report(True, f"All {len(CASES)} hidden messages answered: ids match, results exact, "
                  "and the refusal goes back as an error result.", "")


QUESTION = "What is 123456789 * 987654321?"


@never_raises
def check_tool_loop(fn: Any) -> Verdict:
    """Does ``fn(question)`` return a conversation that used the calculator and answered?"""
    if fn is None:
        return report(False, "", NOT_ANSWERED)
    if not callable(fn):
        return report(False, "", "Pass a function: solve(question) -> messages.")
    messages, problem = call(fn, QUESTION, shown=f"solve({QUESTION!r})")
    if problem:
        return report(False, "", problem)
    if messages is None:
        return report(False, "", "Not answered yet: finish solve() so it returns the messages.")
    if not isinstance(messages, list) or len(messages) < 4:
        return report(False, "", "Return the whole conversation: the user question, the "
                      "assistant's tool call, the tool message(s) and the final answer.")
    if field(messages[0], "role") != "user" or field(messages[0], "content") != QUESTION:
        return report(False, "", "The first message should be the user's question.")
    calls = {field(c, "id"): c for m in messages if field(m, "role") == "assistant"
             for c in field(m, "tool_calls") or []}
    if not calls:
        return report(False, "", "No assistant message with tool_calls: force a call in the "
                      "first round (tool_choice='required') and append the assistant message.")
    results = [m for m in messages if field(m, "role") == "tool"]
    unanswered = set(calls) - {field(m, "tool_call_id") for m in results}
    if unanswered:
        return report(False, "", "A tool call has no tool message with its id: answer each "
                      "call in message.tool_calls, with tool_call_id = call.id.")
    exact = 123456789 * 987654321
    if not any(str(exact) in re.sub(r"[,_\s]", "", str(field(m, "content"))) for m in results):
        return report(False, "", "No tool message holds the calculator's result: run evaluate() "
                      "on the call's expression and send the value as the content.")
    last = messages[-1]
    text = field(last, "content")
    if field(last, "role") != "assistant" or not text or field(last, "tool_calls"):
        return report(False, "", "The last message should be the assistant's text answer: after "
                      "the tool results, call the model again (tool_choice 'auto') and append it.")
    if str(exact) not in re.sub(r"[^\d]", "", text):
        return report(False, "", "The final answer does not contain the exact product: did the "
                      "tool message reach the model?")
    return report(True, "The model called the calculator, your code answered with the matching "
                  "id, and the final answer has the exact digits.", "")
