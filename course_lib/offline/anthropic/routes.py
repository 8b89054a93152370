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
        return Reply(_model_page(call.query))
    if call.method == "GET" and call.path.startswith("/v1/models/"):
        return Reply(_model(checks.catalogue_entry(call.path.removeprefix("/v1/models/"))))
    raise ApiError(404, "Not Found")


def _model_page(query: dict[str, list[str]]) -> dict:
    """One page of ``GET /v1/models``: newest first, cursors ``after_id`` / ``before_id``.

    The installed SDK documents the parameters (``anthropic/resources/models.py``,
    ``types/model_list_params.py``): ``limit`` 1..1000 (default 20), ``after_id`` returns the
    page right after that id, ``before_id`` the page right before it, ``has_more`` says whether
    more exist in the direction asked, and ``lifecycle`` filters by stage (default: active and
    deprecated; retired only when asked). ``SyncPage`` follows ``last_id`` (or ``first_id``
    when paging backwards) until ``has_more`` is false.
    """
    page = checks.model_page(query)
    rows = [m for m in checks.catalogue() if _lifecycle(m) in page.lifecycle]
    ids = [m.model for m in rows]
    for cursor in (page.after_id, page.before_id):
        if cursor is not None and cursor not in ids:
            # Unverified: the real API's answer to an unknown cursor (low confidence).
            raise ApiError(
                400,
                f"{'after_id' if cursor == page.after_id else 'before_id'}: "
                f"no model with id {cursor!r} in this list",
            )
    if page.before_id is not None:
        end = ids.index(page.before_id)
        start = max(0, end - page.limit)
        chosen, more = rows[start:end], start > 0
    else:
        start = ids.index(page.after_id) + 1 if page.after_id is not None else 0
        chosen, more = rows[start : start + page.limit], start + page.limit < len(rows)
    data = [_model(m) for m in chosen]
    return {
        "data": data,
        "has_more": more,
        "first_id": data[0]["id"] if data else None,
        "last_id": data[-1]["id"] if data else None,
    }


def _lifecycle(info: models.ModelInfo) -> str:
    """The SDK's ``ModelInfo.lifecycle`` from the table's shutdown date and today."""
    status = info.status
    return "active" if status == "current" else status


def _rfc3339(day: dt.date | None) -> str | None:
    return None if day is None else f"{day.isoformat()}T00:00:00Z"


def _model(info: models.ModelInfo) -> dict:
    """A ``ModelInfo`` (anthropic SDK ``types/model_info.py``) from the table's row."""
    lifecycle = _lifecycle(info)
    words = info.display_name.split()
    line = words[1].lower() if len(words) > 1 else ""
    return {
        "type": "model",
        "id": info.model,
        "display_name": info.display_name or info.model,
        # "RFC 3339 ... the time at which the model was released. May be set to an epoch value
        # if the release date is unknown" (SDK docstring).
        "created_at": _rfc3339(info.released) or "1970-01-01T00:00:00Z",
        "lifecycle": lifecycle,
        # null while active; the table has no deprecation date, so null here too (a gap).
        "deprecated_at": None,
        "retires_at": _rfc3339(info.shutdown) if lifecycle != "active" else None,
        "line": line if line in checks.MODEL_LINES else None,
        "max_input_tokens": info.max_input,
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


THINKING_TEXT = (
    "The offline stand-in does not reason before it answers. A real Claude model puts a "
    "summary of its reasoning in this block."
)


def _thinking_text(body: dict, info: models.ModelInfo, kind: str) -> str | None:
    """What the reply's thinking block says: None (no block) when thinking is off."""
    if kind not in ("enabled", "adaptive"):
        return None
    display = body["thinking"].get("display") or checks.default_display(info)
    return "" if display == "omitted" else THINKING_TEXT


def count_tokens(call: Call) -> Reply:
    prompt = _prompt(call, checks.COUNT_FIELDS)
    checks.thinking(call.body, prompt.info, None)  # no max_tokens here: shape and model only
    return Reply({"input_tokens": prompt.total})


def create(call: Call) -> Reply:
    body = call.body
    prompt = _prompt(call, checks.CREATE_FIELDS)
    info = prompt.info
    limit = checks.max_tokens(body, info)
    checks.sampling(body, info)
    choice, parallel = checks.tool_choice(body, [t["name"] for t in prompt.tool_defs])
    thinking = checks.thinking(body, info, limit)
    checks.thinking_turns(body, thinking)
    checks.effort(body, info)
    said = _thinking_text(body, info, thinking)
    checks.context(prompt.total, limit, info)
    cache = call.state.cache.anthropic(
        f"anthropic:{info.model}", prompt.blocks, minimum=info.cache_min_tokens
    )
    request = GenerationRequest(
        model=info.model,
        messages=_messages(body),
        tools=[
            Tool(t["name"], t.get("description") or "", t["input_schema"]) for t in prompt.tool_defs
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
        thinking=said,
    )
    request.max_tokens = max(1, limit - meta.thinking_tokens)  # thinking counts toward max_tokens
    if body.get("stream"):
        return Reply(events=wire.stream(meta, lambda: generate(request)[0]))
    return Reply(wire.message(meta, generate(request)[0]))
