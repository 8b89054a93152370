"""Tool rounds: what a model does once tool results are back, beyond phrasing them.

``tools.py`` covers one round (calls, then an answer). A real model also keeps going:

    tool_choice "required" (or a named tool), results just came back
        -> calls a tool again: the API's "must call one or more tools" holds on every request,
           so a loop that keeps forcing never ends (lesson 7.18's loop guard)
    "Compute 2+2 and 3*7", parallel_tool_calls=False, 2+2 answered
        -> calculator({"expression": "3*7"}): the next call, one per response
    results from several rounds since the user spoke
        -> "2+2 = 4. 3*7 = 21.": one sentence per result of the whole turn

A call to a tool that is not offered (a hallucinated name, answered with an error) does not
count as done: the model calls the real tool next, as it would after reading the error.
"""

from __future__ import annotations

import json

# Relative imports: the behaviours and their types move together (offline/ -> model/).
from ..types import GenerationRequest, Message, ToolCall
from . import tools
from .base import Reply, last_user_text


def _turn(messages: list[Message]) -> list[Message]:
    """The messages after the last user message: this turn's calls and results."""
    for i in range(len(messages) - 1, -1, -1):
        if messages[i].role == "user":
            return messages[i + 1 :]
    return list(messages)


def _compact(expression: str) -> str:
    return "".join(expression.split())  # "2 + 2" and "2+2" are the same calculation


def _strings(call: ToolCall) -> list[str]:
    """The string arguments of a call ([] when its arguments are not a JSON object)."""
    try:
        arguments = json.loads(call.arguments)
    except (ValueError, RecursionError):
        return []
    if not isinstance(arguments, dict):
        return []
    return [v for v in arguments.values() if isinstance(v, str)]


def _done(turn: list[Message], offered: set[str]) -> set[str]:
    """Expressions already sent, this turn, to a tool that exists (whatever the result)."""
    done = set()
    for message in turn:
        for call in message.tool_calls:
            if call.name in offered:
                done |= {_compact(v) for v in _strings(call)}
    return done


def next_calls(request: GenerationRequest) -> Reply | None:
    """Tool results came back: call the arithmetic not yet computed; when forced, call again."""
    messages, choice = request.messages, request.tool_choice
    if not request.tools or choice == "none" or not messages or messages[-1].role != "tool":
        return None
    offered = [t for t in request.tools if choice in ("auto", "required") or t.name == choice]
    calculator = next((t for t in offered if tools.expression_parameter(t)), None)
    done = _done(_turn(messages), {t.name for t in request.tools})
    pending = [e for e in tools.expressions(last_user_text(request)) if _compact(e) not in done]
    if calculator and pending:
        param = tools.expression_parameter(calculator)
        common = tools.arguments(calculator, last_user_text(request))
        calls = [{**common, param: e} for e in pending[: tools.MAX_CALLS]]
        if not request.parallel_tool_calls:
            calls = calls[:1]
        made = [tools.make_call(request, i, calculator.name, a) for i, a in enumerate(calls)]
        return Reply(tool_calls=made, behaviour="next_call")
    if choice != "auto":  # forced: the model may not answer in text, so it calls again
        reply = tools.call_tools(request)
        if reply is not None:
            reply.behaviour = "forced_call"
        return reply
    return None


def answer_turn(request: GenerationRequest) -> Reply | None:
    """Results of two or more rounds since the user spoke: one sentence per result, in order,
    each said once. (One round is left to tools.answer_from_results.)"""
    messages = request.messages
    wants_json = request.json_schema is not None or request.json_mode
    if not messages or messages[-1].role != "tool" or wants_json:
        return None
    turn = _turn(messages)
    if sum(1 for m in turn if m.role == "assistant" and m.tool_calls) < 2:
        return None
    calls = {c.id: c for m in messages if m.role == "assistant" for c in m.tool_calls}
    sentences = [tools.phrase(calls.get(m.tool_call_id or ""), m) for m in turn if m.role == "tool"]
    # A forced loop repeats calls; a model states each result once.
    return Reply(" ".join(dict.fromkeys(sentences)), behaviour="tool_result")
