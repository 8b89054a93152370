"""The request-shape 400s of ``POST /v1/chat/completions``, worded like the real API's.

Each check raises :class:`ApiError` with ``param`` naming the bad field, so the SDK raises
``BadRequestError`` and ``err.body["param"]`` points at the problem. The messages are checked in
``openai_messages.py``; what depends on the model (404s, rejected knobs, context window) in
``openai_limits.py``.
"""

from __future__ import annotations

import json
from typing import Any

from course_lib.offline.errors import ApiError

KNOWN = {
    "audio",
    "frequency_penalty",
    "function_call",
    "functions",
    "logit_bias",
    "logprobs",
    "max_completion_tokens",
    "max_tokens",
    "messages",
    "metadata",
    "modalities",
    "model",
    "moderation",
    "n",
    "parallel_tool_calls",
    "prediction",
    "presence_penalty",
    "prompt_cache_key",
    "prompt_cache_options",
    "prompt_cache_retention",
    "reasoning_effort",
    "response_format",
    "safety_identifier",
    "seed",
    "service_tier",
    "stop",
    "store",
    "stream",
    "stream_options",
    "temperature",
    "tool_choice",
    "tools",
    "top_logprobs",
    "top_p",
    "user",
    "verbosity",
    "web_search_options",
}
ROLES = ("system", "assistant", "user", "function", "tool", "developer")
JSON_TYPES = {
    bool: "boolean",
    int: "integer",
    float: "decimal",
    str: "string",
    list: "array",
    dict: "object",
    type(None): "null",
}


def bad(message: str, param: str | None, code: str | None = None) -> ApiError:
    return ApiError(400, message, param=param, code=code)


def _kind(value: Any) -> str:
    return JSON_TYPES.get(type(value), "value")


def number(body: dict, name: str, lo: float, hi: float, *, integer: bool = False) -> None:
    """Type and range of one optional numeric parameter."""
    value = body.get(name)
    if value is None:
        return
    kind = "integer" if integer else "decimal"
    ok = isinstance(value, int) if integer else isinstance(value, int | float)
    if not ok or isinstance(value, bool):
        raise bad(
            f"Invalid type for '{name}': expected {'an' if integer else 'a'} {kind}, but got "
            f"{'an' if _kind(value)[0] in 'aeiou' else 'a'} {_kind(value)} instead.",
            name,
            "invalid_type",
        )
    if value > hi:
        raise bad(
            f"Invalid '{name}': {kind} above maximum value. Expected a value <= {hi:g}, but got "
            f"{json.dumps(value)} instead.",
            name,
            f"{kind}_above_max_value",
        )
    if value < lo:
        raise bad(
            f"Invalid '{name}': {kind} below minimum value. Expected a value >= {lo:g}, but got "
            f"{json.dumps(value)} instead.",
            name,
            f"{kind}_below_min_value",
        )


def shape(body: dict) -> None:
    """Unknown fields and the simple ranges (messages: ``openai_messages.check``)."""
    for name in body:
        if name not in KNOWN:
            raise bad(f"Unrecognized request argument supplied: {name}", None)
    number(body, "temperature", 0, 2)
    number(body, "top_p", 0, 1)
    number(body, "n", 1, 128, integer=True)
    number(body, "top_logprobs", 0, 20, integer=True)
    number(body, "frequency_penalty", -2, 2)
    number(body, "presence_penalty", -2, 2)
    number(body, "max_tokens", 1, 2**31, integer=True)
    number(body, "max_completion_tokens", 1, 2**31, integer=True)
    number(body, "seed", -(2**63), 2**63 - 1, integer=True)
    if body.get("top_logprobs") is not None and not body.get("logprobs"):
        raise bad(
            "Invalid value for 'top_logprobs': 'logprobs' must be set to true when "
            "'top_logprobs' is used.",
            "top_logprobs",
        )
    stop = body.get("stop")
    if isinstance(stop, list) and len(stop) > 4:
        raise bad(
            f"Invalid 'stop': array too long. Expected an array with maximum length 4, but got an "
            f"array with length {len(stop)} instead.",
            "stop",
            "array_above_max_length",
        )
    if not (
        stop is None
        or isinstance(stop, str)
        or (isinstance(stop, list) and all(isinstance(s, str) for s in stop))
    ):
        raise bad(
            "Invalid type for 'stop': expected one of a string or array of strings.",
            "stop",
            "invalid_type",
        )
    if body.get("stream_options") is not None and not body.get("stream"):
        raise bad(
            "The 'stream_options' parameter is only allowed when 'stream' is enabled.",
            "stream_options",
        )
