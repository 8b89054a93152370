"""The OpenAI side of the stand-in: ``POST /v1/chat/completions``, ``POST /v1/embeddings``
(``embeddings.py``) and ``GET /v1/models``.

Wire format in, :class:`GenerationRequest` to the engine, wire format out. The checks live in
``checks.py`` (shape), ``messages.py``, ``tools.py`` and ``limits.py`` (per model); rendering in
``wire.py``; token layout for caching in ``../prompt.py``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

from course_lib import models, tokens
from course_lib.offline.openai import checks
from course_lib.offline.openai import embeddings as openai_embeddings
from course_lib.offline.openai import limits
from course_lib.model import schemas
from course_lib.offline.openai import messages as openai_messages
from course_lib.offline.openai import strict as openai_strict
from course_lib.offline.openai import tools as openai_tools
from course_lib.offline.openai import wire
from course_lib.offline.errors import ApiError
from course_lib.offline.exchange import (
    Call,
    Reply,
    choice_seed,
    generate,
    make_id,
    request_digest,
    seed_for,
)
from course_lib.offline.prompt import openai_prompt_tokens
from course_lib.model.seeds import canonical, digest
from course_lib.model.types import GenerationRequest

DAY = 24 * 3600.0


def handle(call: Call) -> Reply:
    if call.method == "POST" and call.path == "/v1/chat/completions":
        return chat_completions(call)
    if call.method == "POST" and call.path == "/v1/embeddings":
        return openai_embeddings.create(call)
    if call.method == "GET" and call.path == "/v1/models":
        listed = models.models("openai", embeddings=True)
        return Reply({"object": "list", "data": [_model(m) for m in listed]})
    if call.method == "GET" and call.path.startswith("/v1/models/"):
        info = limits.model_info({"model": call.path.removeprefix("/v1/models/")})
        return Reply(_model(info))
    raise ApiError(404, f"Invalid URL ({call.method} {call.path})")


def _model(info: models.ModelInfo) -> dict:
    created = int(dt.datetime(2024, 1, 1, tzinfo=dt.UTC).timestamp())  # not in the table; fixed
    return {
        "id": info.model,
        "object": "model",
        "created": created,
        "owned_by": "system",
        "shutdown_date": info.shutdown.isoformat() if info.shutdown else None,
    }


# ---------------------------------------------------------------------------------------


def _response_format(body: dict) -> tuple[dict | None, bool]:
    """(json_schema, json_mode) from ``response_format``."""
    fmt = body.get("response_format")
    if fmt is None or (isinstance(fmt, dict) and fmt.get("type") == "text"):
        return None, False
    if isinstance(fmt, dict) and fmt.get("type") == "json_object":
        text = " ".join(tokens.text_of(m.get("content")) for m in body["messages"])
        if "json" not in text.lower():
            raise checks.bad(
                "'messages' must contain the word 'json' in some form, to use 'response_format' "
                "of type 'json_object'.",
                "messages",
            )
        return None, True
    if isinstance(fmt, dict) and fmt.get("type") == "json_schema":
        spec = fmt.get("json_schema")
        if not isinstance(spec, dict) or not isinstance(spec.get("name"), str):
            raise checks.bad(
                "Missing required parameter: 'response_format.json_schema.name'.",
                "response_format.json_schema.name",
                "missing_required_parameter",
            )
        schema = spec.get("schema")
        if not isinstance(schema, dict):
            raise checks.bad(
                "Invalid type for 'response_format.json_schema.schema': expected an object.",
                "response_format.json_schema.schema",
                "invalid_type",
            )
        if spec.get("strict") is not None:
            checks.expect(spec["strict"], (bool,), "response_format.json_schema.strict")
        problem = schemas.problem(schema)
        if problem:
            raise checks.bad(
                f"Invalid schema for response_format '{spec['name']}': {problem}.",
                "response_format",
            )
        if spec.get("strict"):
            openai_strict.check_response_format(spec["name"], schema)
        return schema, False
    raise checks.bad(
        "Invalid value for 'response_format.type': expected 'text', 'json_object' or "
        "'json_schema'.",
        "response_format.type",
        "invalid_value",
    )


def chat_completions(call: Call) -> Reply:
    body = call.body
    checks.shape(body)
    openai_messages.check(body)
    info = limits.model_info(body)
    if openai_embeddings.is_embedding_model(info):
        raise ApiError(
            404,
            "This is not a chat model and thus not supported in the v1/chat/completions "
            "endpoint. Did you mean to use v1/completions?",
            param="model",
        )
    limits.model_limits(body, info)
    tools = openai_tools.neutral(body)
    tool_choice = openai_tools.choice(body, tools)
    schema, json_mode = _response_format(body)
    # One tokenisation: usage.prompt_tokens is the layout's length, which equals
    # tokens.count_chat_tokens(messages, tools=tools) (see prompt.py), and the cache reads it.
    layout = openai_prompt_tokens(body["messages"], body.get("tools") or [])
    prompt_tokens = len(layout)
    limits.context(prompt_tokens, body, info)
    cached = 0
    if prompt_tokens >= info.cache_min_tokens:  # shorter prompts are never cached: skip the work
        ttl = DAY if body.get("prompt_cache_retention") == "24h" else 300.0
        namespace = f"openai:{info.model}:{digest(canonical(schema or {}))}"
        cached = call.state.cache.openai(namespace, layout, minimum=info.cache_min_tokens, ttl=ttl)
    stop = body.get("stop")
    request = GenerationRequest(
        model=info.model,
        messages=openai_messages.neutral(body["messages"]),
        tools=tools,
        tool_choice=tool_choice,
        parallel_tool_calls=body.get("parallel_tool_calls", True) is not False,
        json_schema=schema,
        json_mode=json_mode,
        temperature=float(body["temperature"]) if body.get("temperature") is not None else 1.0,
        top_p=float(body["top_p"]) if body.get("top_p") is not None else 1.0,
        seed=seed_for(call, body.get("seed")),
        max_tokens=body.get("max_completion_tokens") or body.get("max_tokens"),
        stop=[stop] if isinstance(stop, str) else list(stop or []),
        top_logprobs=int(body.get("top_logprobs") or 0) if body.get("logprobs") else 0,
    )
    meta = wire.Meta(
        id=make_id("chatcmpl-", request.seed, call.stable, length=29),
        model=body["model"],
        fingerprint="fp_" + request_digest({"model": info.model})[:10],
        prompt_tokens=prompt_tokens,
        cached_tokens=cached // 128 * 128 if cached else 0,
        logprobs=bool(body.get("logprobs")),
        top_logprobs=request.top_logprobs,
        include_usage=bool((body.get("stream_options") or {}).get("include_usage")),
    )
    n = body.get("n") or 1
    if body.get("stream"):
        return Reply(
            events=wire.stream(
                meta, n, lambda i: generate(replace(request, seed=choice_seed(request.seed, i)))[0]
            )
        )
    return Reply(wire.completion(meta, generate(request, n)))
