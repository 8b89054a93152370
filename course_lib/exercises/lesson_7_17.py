"""Lesson 7.17 — Parallel tool calls: run them concurrently in call order; find calls left
unanswered.

The checks use real ``ChatCompletionMessageToolCall`` objects and, for the runner, a hidden
``execute`` whose calls take different times (the first is the slowest), so that running
one at a time, or collecting results as they finish, each shows.

    >>> verdict = check_run_concurrently(None)
    ❌ NOT YET: Not answered yet: replace the None in the cell above with your answer, then re-run.
"""

from __future__ import annotations

import threading
import time
from typing import Any

from course_lib._fields import field
from course_lib.exercises._report import NOT_ANSWERED, Verdict, call, never_raises, report

__all__ = ["check_find_unanswered", "check_run_concurrently"]

# The hidden calls' latencies: the first is the slowest, so completion order is call order
# reversed; gaps of 50 ms stay far above thread-scheduling jitter.
DELAYS = (0.25, 0.2, 0.15, 0.1, 0.05)


def _tool_call(call_id: str, expression: str, name: str = "calculator") -> Any:
    from openai.types.chat import ChatCompletionMessageToolCall

    return ChatCompletionMessageToolCall.model_validate({
        "id": call_id, "type": "function",
        "function": {"name": name, "arguments": f'{{"expression": "{expression}"}}'},
    })


def _message(calls: list[Any] | None) -> Any:
    from openai.types.chat import ChatCompletionMessage

    return ChatCompletionMessage(role="assistant", content=None, tool_calls=calls)


class _SlowService:
    """A pretend remote tool: answers each call after its delay; counts calls in flight."""

    def __init__(self, calls: list[Any]) -> None:
        self.delays = {c.id: d for c, d in zip(calls, DELAYS, strict=True)}
        self.lock = threading.Lock()
        self.in_flight = self.most_in_flight = 0
        self.seen: list[str] = []

    def __call__(self, tool_call: Any) -> dict:
        call_id = field(tool_call, "id")
        with self.lock:
            self.seen.append(call_id)
            self.in_flight += 1
            self.most_in_flight = max(self.most_in_flight, self.in_flight)
        time.sleep(self.delays.get(call_id, 0.0))
        with self.lock:
            self.in_flight -= 1
        return {"role": "tool", "tool_call_id": call_id, "content": f"result of {call_id}"}


@never_raises
def check_run_concurrently(fn: Any) -> Verdict:
    """Does ``fn(calls, execute)`` run every call at once and return the results in call order?"""
    if fn is None:
        return report(False, "", NOT_ANSWERED)
    if not callable(fn):
        return report(False, "", "Pass a function: run_concurrently(calls, execute) -> list.")
    calls = [_tool_call(f"call_{n}", e) for n, e in
             enumerate(["1 + 1", "2 * 3", "7 / 0", "2 ** 10", "sqrt(16)"], 1)]
    execute = _SlowService(calls)
    results, problem = call(fn, list(calls), execute, shown="run_concurrently(calls, execute)")
    if problem:
        return report(False, "", problem)
    if results is None:
        return report(False, "", "Not answered yet: finish run_concurrently() so it returns "
                      "the list of tool messages.")
    if not isinstance(results, list | tuple):
        return report(False, "", f"Return a list of tool messages (got {type(results).__name__}"
                      "): pool.map() gives a generator, so wrap it in list(...).")
    if sorted(execute.seen) != sorted(c.id for c in calls) or len(execute.seen) != len(calls):
        return report(False, "", f"execute() ran for {len(execute.seen)} call(s) of {len(calls)}"
                      ": call it exactly once per tool call.")
    ids = [field(r, "tool_call_id") for r in results]
    if len(results) != len(calls):
        return report(False, "", f"{len(results)} result(s) for {len(calls)} calls: return "
                      "one tool message per call (what execute() returned).")
    if execute.most_in_flight < 2:
        return report(False, "", "The calls ran one at a time. Submit them all to a "
                      "ThreadPoolExecutor (pool.map or pool.submit) so they wait together.")
    if ids != [c.id for c in calls]:
        return report(False, "", f"The results came back in the order {ids}, not in call order: "
                      "as_completed() yields them as they finish. Use pool.map(), or put each "
                      "result back at its call's position.")
    return report(True, f"All {len(calls)} calls ran concurrently (up to {execute.most_in_flight}"
                  " at once) and came back in call order.", "")


def _unanswered_cases() -> list[tuple[str, Any, list[dict], list[str]]]:
    """(what it tests, assistant message, tool messages, the ids left unanswered)."""
    calls = [_tool_call("call_a", "1 + 1"), _tool_call("call_b", "7 / 0"),
             _tool_call("call_c", "2 ** 10")]

    def answer(call_id: str, content: str = "ok") -> dict:
        return {"role": "tool", "tool_call_id": call_id, "content": content}

    return [
        ("every call answered", _message(calls), [answer("call_a"), answer("call_b"),
                                                   answer("call_c")], []),
        ("the failed call dropped", _message(calls), [answer("call_a"), answer("call_c")],
         ["call_b"]),
        ("answers out of order", _message(calls), [answer("call_c"), answer("call_a"),
                                                    answer("call_b")], []),
        ("no answers yet", _message(calls), [], ["call_a", "call_b", "call_c"]),
        ("an answer to a call that was never made, and one answered twice", _message(calls),
         [answer("call_zzz"), answer("call_c"), answer("call_c")], ["call_a", "call_b"]),
        ("a message without tool calls (tool_calls is None)", _message(None), [], []),
    ]


@never_raises
def check_find_unanswered(fn: Any) -> Verdict:
    """Does ``fn(message, tool_messages)`` list, in call order, the ids nobody answered?"""
    if fn is None:
        return report(False, "", NOT_ANSWERED)
    if not callable(fn):
        return report(False, "", "Pass a function: find_unanswered(message, tool_messages).")
    cases = _unanswered_cases()
    for what, message, tool_messages, expected in cases:
        got, problem = call(fn, message, [dict(m) for m in tool_messages],
                            shown="find_unanswered(message, tool_messages)")
        if problem:
            hint = (" A message without tool calls has tool_calls None: use "
                    "`message.tool_calls or []`." if "NoneType" in problem else "")
            return report(False, "", f"On {what}: {problem}.{hint}")
        if got is None:
            return report(False, "", "Not answered yet: finish find_unanswered() so it returns "
                          "a list of ids.")
        if not isinstance(got, list | tuple):
            return report(False, "", f"Return a list of tool_call ids, got {type(got).__name__}.")
        if sorted(map(str, got)) != sorted(expected):
            return report(False, "", f"On {what}: got {list(got)}, expected {expected}. A call is "
                          "answered when some tool message has its id as tool_call_id; "
                          "order and extra messages do not matter.")
        if list(got) != expected:
            return report(False, "", f"On {what}: the right ids, but list them in the order of "
                          f"message.tool_calls: {expected}.")
    return report(True, f"All {len(cases)} hidden conversations checked correctly.", "")
