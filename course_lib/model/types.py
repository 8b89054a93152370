"""The contract between the stand-in's HTTP layer and its model.

The HTTP layer (``course_lib/offline``: each provider's ``routes.py``) translates each
provider's wire format into one provider-neutral :class:`GenerationRequest`, asks
``engine.generate(request)`` for a :class:`Generation`, and renders that back in the
provider's format (JSON or SSE). The engine never sees HTTP; the HTTP layer never decides
what the model says.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

Role = Literal["system", "user", "assistant", "tool"]
FinishReason = Literal["stop", "length", "tool_calls", "stop_sequence"]


class InvalidRequest(ValueError):
    """The request cannot be answered as asked (e.g. a JSON schema with no finite instance).

    The engine raises it; the HTTP layer answers with a 400, as the provider would for a schema
    it cannot use.
    """


@dataclass
class ToolCall:
    """A call the model makes (or made earlier in the conversation)."""

    id: str
    name: str
    arguments: str  # a JSON text, exactly as it travels on the wire


@dataclass
class Message:
    """One turn, provider-neutral.

    OpenAI ``developer`` messages and Anthropic's ``system`` parameter become role ``system``.
    An Anthropic user turn holding ``tool_result`` blocks becomes one ``tool`` message per block.
    """

    role: Role
    content: str = ""
    tool_calls: list[ToolCall] = field(default_factory=list)  # assistant turns only
    tool_call_id: str | None = None  # tool turns only: which call this answers
    is_error: bool = False  # tool turns only (Anthropic ``is_error``)


@dataclass
class Tool:
    name: str
    description: str = ""
    parameters: dict = field(default_factory=dict)  # a JSON Schema object


@dataclass
class GenerationRequest:
    model: str
    messages: list[Message]
    tools: list[Tool] = field(default_factory=list)
    # "auto" | "none" | "required" | a tool name (Anthropic "any" -> "required", {"type":"tool"} -> name)
    tool_choice: str = "auto"
    parallel_tool_calls: bool = True
    json_schema: dict | None = None  # structured output: the answer must validate against it
    json_mode: bool = False  # OpenAI {"type": "json_object"}: any JSON object
    temperature: float = 1.0
    top_p: float = 1.0
    seed: int | None = None  # None -> the HTTP layer derives one (see server docs); never random
    max_tokens: int | None = None
    stop: list[str] = field(default_factory=list)
    top_logprobs: int = 0  # how many alternatives to report per output token (0-20)


@dataclass
class TokenInfo:
    """One output token with its probability under the n-gram model."""

    token: int  # o200k_base id
    text: bytes  # its bytes (a token may be part of a UTF-8 character)
    logprob: float
    top: list[tuple[int, bytes, float]] = field(default_factory=list)  # (id, bytes, logprob)


@dataclass
class Generation:
    text: str  # the assistant's text ("" when it only calls tools)
    tokens: list[TokenInfo]  # the tokens of ``text``, in order; their bytes join to ``text``
    tool_calls: list[ToolCall] = field(default_factory=list)
    finish_reason: FinishReason = "stop"
    stop_sequence: str | None = None  # which stop string ended it, if one did
    # Which behaviour produced this (for the docs and for debugging): "ngram", "memory",
    # "calculator", "tool_result", "json_schema", "document", ...
    behaviour: str = "ngram"
