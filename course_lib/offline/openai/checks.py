"""The request-shape 400s of ``POST /v1/chat/completions``, worded like the real API's.

Each check raises :class:`ApiError` with ``param`` naming the bad field, so the SDK raises
``BadRequestError`` and ``err.body["param"]`` points at the problem. The messages are checked in
``messages.py``; what depends on the model (404s, rejected knobs, context window) in
``limits.py``.
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
# The JSON types of the fields checked by type alone (null always means "not given"). Numbers
# are checked with their ranges in ``shape``, ``stop`` there too; ``model`` and ``messages``
# elsewhere; ``moderation`` and ``prompt_cache_options`` are accepted as they come.
FIELD_TYPES: dict[str, tuple[type, ...]] = {
    "audio": (dict,),
    "function_call": (str, dict),
    "functions": (list,),
    "logit_bias": (dict,),
    "logprobs": (bool,),
    "metadata": (dict,),
    "modalities": (list,),
    "parallel_tool_calls": (bool,),
    "prediction": (dict,),
    "prompt_cache_key": (str,),
    "prompt_cache_retention": (str,),
    "reasoning_effort": (str,),
    "response_format": (dict,),
    "safety_identifier": (str,),
    "service_tier": (str,),
    "store": (bool,),
    "stream": (bool,),
    "stream_options": (dict,),
    "tool_choice": (str, dict),
    "tools": (list,),
    "user": (str,),
    "verbosity": (str,),
    "web_search_options": (dict,),
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


def _a(kind: str) -> str:
    return f"{'an' if kind[0] in 'aeiou' else 'a'} {kind}"


def expect(value: Any, types: tuple[type, ...], param: str, names: list[str] | None = None) -> None:
    """The real API's ``invalid_type`` 400 unless ``value`` is one of ``types``."""
    if isinstance(value, types) and not (isinstance(value, bool) and bool not in types):
        return
    names = names or [JSON_TYPES[t] for t in types]
    wanted = _a(names[0]) if len(names) == 1 else "one of " + " or ".join(map(_a, names))
    raise bad(
        f"Invalid type for '{param}': expected {wanted}, but got {_a(_kind(value))} instead.",
        param,
        "invalid_type",
    )


def require(value: Any, types: tuple[type, ...], param: str) -> None:
    """``expect`` for a field that must be present."""
    if value is None:
        raise bad(f"Missing required parameter: '{param}'.", param, "missing_required_parameter")
    expect(value, types, param)


def number(body: dict, name: str, lo: float, hi: float, *, integer: bool = False) -> None:
    """Type and range of one optional numeric parameter."""
    value = body.get(name)
    if value is None:
        return
    kind = "integer" if integer else "decimal"
    expect(value, (int,) if integer else (float, int), name, [kind])
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
    """Unknown fields and the simple ranges (messages: ``messages.check``)."""
    for name in body:
        if name not in KNOWN:
            raise bad(f"Unrecognized request argument supplied: {name}", None)
    for name, types in FIELD_TYPES.items():
        if body.get(name) is not None:
            expect(body[name], types, name)
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
    include_usage = (body.get("stream_options") or {}).get("include_usage")
    if include_usage is not None:
        expect(include_usage, (bool,), "stream_options.include_usage")
