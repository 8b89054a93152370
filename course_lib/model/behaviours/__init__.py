"""The stand-in's scripted behaviours: what it says when counting tokens would not do.

An n-gram model cannot call a tool, fill a JSON schema or remember a name, yet the lessons need
each of those API features to give a meaningful answer offline. Each behaviour below is one
small, deterministic function of the request: it returns a :class:`Reply`, or ``None`` to pass.
The first that answers wins, in this order (course_lib/model/README.md has the full table):

    next_call    -> tool results came back, but arithmetic is left (or tool use is forced): call again
    tool_result  -> tool results just came back: phrase the answer from them (every round of the turn)
    tools        -> tools offered: call the calculator for arithmetic, or a tool the text names
    json         -> a JSON schema (or JSON mode with named keys): a JSON value filled from the text
    memory       -> "What is my name?": recall what the user said earlier in *this* request
    document     -> a question about a long document: quote its best-matching sentence
    introduction -> "hello" / "who are you?": say plainly that this is the offline stand-in

Anything else is sampled from the n-gram model by the engine.
"""

from __future__ import annotations

from collections.abc import Callable

from course_lib.model.behaviours import chat, documents, memory, structured, tool_rounds, tools
from course_lib.model.behaviours.base import Reply, last_user_text
from course_lib.model.types import GenerationRequest

__all__ = ["ORDER", "Reply", "last_user_text", "respond"]

ORDER: list[Callable[[GenerationRequest], Reply | None]] = [
    tool_rounds.next_calls,
    tools.answer_from_results,
    tools.call_tools,
    structured.fill_json,
    memory.recall,
    documents.answer_from_document,
    chat.introduce,
]


def respond(request: GenerationRequest) -> Reply | None:
    """The first scripted behaviour that answers ``request``, or None (sample the n-gram)."""
    for behaviour in ORDER:
        reply = behaviour(request)
        if reply is not None:
            return reply
    return None
