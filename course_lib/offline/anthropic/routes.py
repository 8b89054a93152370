"""The Anthropic side of the stand-in: ``POST /v1/messages``, ``/v1/messages/count_tokens``, models.

Wire format in, :class:`GenerationRequest` to the engine, wire format out. Validation lives in
``checks.py``, rendering in ``wire.py``, the token rule in ``../prompt.py``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from course_lib import models
from course_lib.offline.anthropic import checks
from course_lib.offline.anthropic import wire
from course_lib.offline.errors import ApiError
from course_lib.offline.exchange import Call, Reply, generate, make_id, seed_for
from course_lib.offline.prompt import (
    anthropic_blocks,
    anthropic_input_tokens,
    as_blocks,
    compact,
    text_of,
)
from course_lib.offline.caching import Block
from course_lib.model.types import GenerationRequest, Message, Tool, ToolCall


def handle(call: Call) -> Reply:
    if call.method == "POST" and call.path == "/v1/messages":
        return create(call)
    if call.method == "POST" and call.path == "/v1/messages/count_tokens":
        return count_tokens(call)
    if call.method == "GET" and call.path == "/v1/models":
        data = [_model(m) for m in models.models("anthropic")]
        return Reply(
            {
                "data": data,
                "has_more": False,
                "first_id": data[0]["id"] if data else None,
                "last_id": data[-1]["id"] if data else None,
            }
        )
    if call.method == "GET" and call.path.startswith("/v1/models/"):
        return Reply(_model(checks.model_info(call.path.removeprefix("/v1/models/"))))
    raise ApiError(404, "Not Found")


def _model(info: models.ModelInfo) -> dict:
    retires = (
        dt.datetime.combine(info.shutdown, dt.time(), dt.UTC).isoformat() if info.shutdown else None
    )
    return {
        "type": "model",
        "id": info.model,
        "display_name": info.model.replace("-", " ").title(),
        "created_at": "2025-01-01T00:00:00Z",
        "lifecycle": "active" if info.status == "current" else info.status,
        "retires_at": retires,
        "max_input_tokens": info.context_window,
        "max_tokens": info.max_output,
    }


def _messages(body: dict) -> list[Message]:
    """Provider-neutral turns; a user turn of tool_result blocks becomes one ``tool`` message each."""
    out = []
    system = text_of(body.get("system")) if body.get("system") is not None else ""
    if system:
        out.append(Message("system", system))
    for m in body["messages"]:
        blocks = as_blocks(m["content"])
        text = text_of(blocks)
        if m["role"] == "assistant":
            calls = [
                ToolCall(b.get("id", ""), b.get("name", ""), compact(b.get("input", {})))
                for b in blocks
                if b.get("type") == "tool_use"
            ]
            out.append(Message("assistant", text, tool_calls=calls))
            continue
        for b in blocks:
            if b.get("type") == "tool_result":
                out.append(
                    Message(
                        "tool",
                        text_of(b.get("content", "")),
                        tool_call_id=b.get("tool_use_id"),
                        is_error=bool(b.get("is_error")),
                    )
                )
        if text or not any(b.get("type") == "tool_result" for b in blocks):
            out.append(Message("user", text))
    return out


@dataclass
class Prompt:
    """What create and count_tokens share: the checked request and its tokens."""

    info: models.ModelInfo
    blocks: list[Block]  # cacheable, tools -> system -> messages
    total: int  # all input tokens
    tool_defs: list[dict]
    schema: dict | None  # output_config.format's JSON schema


def _prompt(call: Call, allowed: set[str]) -> Prompt:
    body = call.body
    checks.version(call.headers)
    checks.fields(body, allowed)
    info = checks.model_info(body.get("model"))
    checks.messages(body)
    tool_defs = checks.tools(body)
    schema = checks.output_schema(body)
    blocks = anthropic_blocks(body)
    return Prompt(info, blocks, anthropic_input_tokens(blocks), tool_defs, schema)


def count_tokens(call: Call) -> Reply:
    return Reply({"input_tokens": _prompt(call, checks.COUNT_FIELDS).total})


def create(call: Call) -> Reply:
    body = call.body
    prompt = _prompt(call, checks.CREATE_FIELDS)
    info = prompt.info
    limit = checks.max_tokens(body, info)
    checks.sampling(body, info)
    choice, parallel = checks.tool_choice(body, [t["name"] for t in prompt.tool_defs])
    checks.context(prompt.total, limit, info)
    cache = call.state.cache.anthropic(
        f"anthropic:{info.model}", prompt.blocks, minimum=info.cache_min_tokens
    )
    request = GenerationRequest(
        model=info.model,
        messages=_messages(body),
        tools=[
            Tool(t["name"], t.get("description") or "", t["input_schema"])
            for t in prompt.tool_defs
        ],
        tool_choice=choice,
        parallel_tool_calls=parallel,
        json_schema=prompt.schema,
        temperature=float(body.get("temperature", 1.0)),
        top_p=float(body.get("top_p", 1.0)),
        seed=seed_for(call, None),  # the Messages API has no seed parameter
        max_tokens=limit,
        stop=list(body.get("stop_sequences") or []),
    )
    meta = wire.Meta(
        id=make_id("msg_01", request.seed, call.stable, length=22),
        model=body["model"],
        input_tokens=prompt.total - cache.read - cache.written,
        cache=cache,
        request_id=call.request_id,
    )
    if body.get("stream"):
        return Reply(events=wire.stream(meta, lambda: generate(request)[0]))
    return Reply(wire.message(meta, generate(request)[0]))
