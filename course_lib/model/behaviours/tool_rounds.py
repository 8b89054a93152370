"""Tool rounds: what a model does once tool results are back, beyond phrasing them.

``tools.py`` covers one round (calls, then an answer). A real model also keeps going:

    tool_choice "required" (or a named tool), results just came back
        -> calls a tool again: the API's "must call one or more tools" holds on every request,
           so a loop that keeps forcing never ends (lesson 7.18's loop guard)
    "Compute 2+2 and 3*7", parallel_tool_calls=False, 2+2 answered
        -> calculator({"expression": "3*7"}): the next call, one per response
    results from several rounds since the user spoke
        -> "2+2 = 4. 3*7 = 21.": tools.answer_from_results phrases the whole turn

A call to a tool that is not offered (a hallucinated name, answered with an error) does not
count as done: the model calls the real tool next, as it would after reading the error.
"""

from __future__ import annotations

# Relative imports: the behaviours and their types move together (offline/ -> model/).
from ..types import GenerationRequest, Message
from . import tools
from .base import Reply, last_user_text


def _compact(expression: str) -> str:
    return "".join(expression.split())  # "2 + 2" and "2+2" are the same calculation


def _done(turn: list[Message], offered: set[str]) -> set[str]:
    """Expressions already sent, this turn, to a tool that exists (whatever the result)."""
    done = set()
    for message in turn:
        for call in message.tool_calls:
            if call.name in offered:
                done |= {_compact(v) for v in tools.string_arguments(call)}
    return done


def next_calls(request: GenerationRequest) -> Reply | None:
    """Tool results came back: call the arithmetic not yet computed; when forced, call again."""
    messages, choice = request.messages, request.tool_choice
    if not request.tools or choice == "none" or not messages or messages[-1].role != "tool":
        return None
    offered = [t for t in request.tools if choice in ("auto", "required") or t.name == choice]
    calculator = next((t for t in offered if tools.expression_parameter(t)), None)
    done = _done(tools.turn(messages), {t.name for t in request.tools})
    pending = [e for e in tools.expressions(last_user_text(request)) if _compact(e) not in done]
    if calculator and pending:
        calls = tools.calculator_calls(request, calculator, pending)
        return tools.reply_with(request, calls, "next_call")
    if choice != "auto":  # forced: the model may not answer in text, so it calls again
        reply = tools.call_tools(request)
        if reply is not None:
            reply.behaviour = "forced_call"
        return reply
    return None
