"""Bad requests get the provider's 400, never a 500: wrong JSON types at every field the
stand-in reads (top level and nested), malformed and recursive JSON schemas.

Raw httpx, so that the requests can be as wrong as a hand-written curl call.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from course_lib import models, offline

OPENAI_MODEL = next(m.model for m in models.models("openai") if m.temperature and m.logprobs)
# A model that still takes every field (max_tokens and stop included): the GPT-5 family does not.
LEGACY_MODEL = next(m.model for m in models.models("openai") if m.max_tokens and m.stop and m.logprobs)
ANTHROPIC_MODEL = next(m.model for m in models.models("anthropic") if m.temperature)
OPENAI_HEADERS = {"Authorization": "Bearer offline-stand-in"}
ANTHROPIC_HEADERS = {"x-api-key": "offline-stand-in", "anthropic-version": "2023-06-01"}
SCHEMA = {
    "type": "object",
    "properties": {
        "city": {"type": "string", "description": "where"},
        "n": {"type": "integer", "minimum": 0},
        "tags": {"type": "array", "items": {"type": "string"}, "minItems": 1},
        "unit": {"anyOf": [{"$ref": "#/$defs/Unit"}, {"type": "null"}]},
        "kind": {"type": "string", "enum": ["a", "b"]},
    },
    "required": ["city"],
    "$defs": {"Unit": {"type": "object", "properties": {"x": {"type": "number"}}}},
}
# Anthropic structured outputs take only closed objects (additionalProperties: false).
CLOSED_SCHEMA = {
    **SCHEMA,
    "additionalProperties": False,
    "$defs": {"Unit": {**SCHEMA["$defs"]["Unit"], "additionalProperties": False}},
}
# Valid requests that use every part of the request path: tool calls and results, schemas,
# logprobs, stop strings, cache_control, streaming.
OPENAI_BODY: dict[str, Any] = {
    "model": LEGACY_MODEL,
    "messages": [
        {"role": "system", "content": "Be brief."},
        {"role": "user", "content": [{"type": "text", "text": "Weather in Paris?"}], "name": "ada"},
        {
            "role": "assistant",
            "content": None,
            "tool_calls": [
                {
                    "id": "call_1",
                    "type": "function",
                    "function": {"name": "get_weather", "arguments": '{"city": "Paris"}'},
                }
            ],
        },
        {"role": "tool", "tool_call_id": "call_1", "content": "18C"},
        {"role": "user", "content": "And the json for Rome?"},
    ],
    "tools": [
        {
            "type": "function",
            "function": {"name": "get_weather", "description": "Weather.", "parameters": SCHEMA},
        }
    ],
    "tool_choice": "auto",
    "temperature": 0.5,
    "top_p": 0.9,
    "seed": 1,
    "max_tokens": 30,
    "stop": ["\n\n"],
    "logprobs": True,
    "top_logprobs": 2,
    "response_format": {
        "type": "json_schema",
        "json_schema": {"name": "weather", "schema": SCHEMA, "strict": False},
    },
    "user": "ada",
    "metadata": {"lesson": "7.9"},
}
OPENAI_STREAM_BODY = {k: v for k, v in OPENAI_BODY.items() if k != "response_format"} | {
    "tool_choice": "required",
    "stream": True,
    "stream_options": {"include_usage": True},
}
ANTHROPIC_BODY: dict[str, Any] = {
    "model": ANTHROPIC_MODEL,
    "max_tokens": 30,
    "system": [{"type": "text", "text": "Be brief.", "cache_control": {"type": "ephemeral"}}],
    "messages": [
        {"role": "user", "content": [{"type": "text", "text": "Weather in Paris?"}]},
        {
            "role": "assistant",
            "content": [
                {"type": "text", "text": "Let me check."},
                {
                    "type": "tool_use",
                    "id": "tu_1",
                    "name": "get_weather",
                    "input": {"city": "Paris"},
                },
            ],
        },
        {
            "role": "user",
            "content": [
                {
                    "type": "tool_result",
                    "tool_use_id": "tu_1",
                    "content": [{"type": "text", "text": "18C"}],
                    "is_error": False,
                },
                {"type": "text", "text": "And Rome?"},
            ],
        },
    ],
    "tools": [{"name": "get_weather", "description": "Weather.", "input_schema": SCHEMA}],
    "tool_choice": {"type": "auto", "disable_parallel_tool_use": False},
    "temperature": 0.5,  # not with top_p: Claude models take one or the other
    "top_k": 5,
    "stop_sequences": ["\n\n"],
    "output_config": {"format": {"type": "json_schema", "schema": CLOSED_SCHEMA}},
    "metadata": {"user_id": "ada"},
    "cache_control": {"type": "ephemeral"},
}
ANTHROPIC_STREAM_BODY = {k: v for k, v in ANTHROPIC_BODY.items() if k != "output_config"} | {
    "tool_choice": {"type": "any"},
    "stream": True,
}
COUNT_BODY = {
    k: v
    for k, v in ANTHROPIC_BODY.items()
    if k not in ("max_tokens", "temperature", "top_p", "top_k", "stop_sequences", "metadata")
}
# (endpoint, headers, body) for every request shape the mutation test starts from
BASES = {
    "openai": ("/v1/chat/completions", OPENAI_HEADERS, OPENAI_BODY),
    "openai-stream": ("/v1/chat/completions", OPENAI_HEADERS, OPENAI_STREAM_BODY),
    "anthropic": ("/v1/messages", ANTHROPIC_HEADERS, ANTHROPIC_BODY),
    "anthropic-stream": ("/v1/messages", ANTHROPIC_HEADERS, ANTHROPIC_STREAM_BODY),
    "count_tokens": ("/v1/messages/count_tokens", ANTHROPIC_HEADERS, COUNT_BODY),
}


@pytest.fixture(scope="module")
def http() -> Iterator[httpx.Client]:
    with httpx.Client(base_url=offline.start().url, timeout=30) as client:
        yield client


def post(http: httpx.Client, base: str, body: Any) -> httpx.Response:
    path, headers, _ = BASES[base]
    return http.post(path, content=json.dumps(body), headers=headers)


def no_server_error(response: httpx.Response) -> None:
    """Not a 500, and no stand-in failure inside a stream either."""
    assert response.status_code < 500, response.text
    for failure in ("stand-in failed", "stand-in's model failed", '"api_error"', '"server_error"'):
        assert failure not in response.text, response.text


@pytest.mark.parametrize("base", BASES)
def test_the_valid_bases_succeed(http, base):
    response = post(http, base, BASES[base][2])
    assert response.status_code == 200, response.text
    no_server_error(response)


# ---------------------------------------------------------------------------------------
# Every top-level field with a value of a wrong JSON type: 400, naming the field.

SAMPLES = [True, 7, 2.5, "text", [1], {"a": 1}]
KINDS = {bool: "bool", int: "int", float: "float", str: "str", list: "list", dict: "dict"}
# The JSON types each field accepts (null means "not given" unless listed in NOT_NULL).
OPENAI_FIELDS = {
    "model": "str",
    "messages": "list",
    "temperature": "int float",
    "top_p": "int float",
    "frequency_penalty": "int float",
    "presence_penalty": "int float",
    "n": "int",
    "top_logprobs": "int",
    "max_tokens": "int",
    "max_completion_tokens": "int",
    "seed": "int",
    "logprobs": "bool",
    "stream": "bool",
    "store": "bool",
    "parallel_tool_calls": "bool",
    "stop": "str list",
    "tools": "list",
    "functions": "list",
    "modalities": "list",
    "tool_choice": "str dict",
    "function_call": "str dict",
    "response_format": "dict",
    "stream_options": "dict",
    "metadata": "dict",
    "logit_bias": "dict",
    "audio": "dict",
    "prediction": "dict",
    "web_search_options": "dict",
    "user": "str",
    "prompt_cache_key": "str",
    "prompt_cache_retention": "str",
    "reasoning_effort": "str",
    "safety_identifier": "str",
    "service_tier": "str",
    "verbosity": "str",
}
ANTHROPIC_FIELDS = {
    "model": "str",
    "messages": "list",
    "max_tokens": "int",
    "system": "str list",
    "stop_sequences": "list",
    "stream": "bool",
    "temperature": "int float",
    "top_p": "int float",
    "top_k": "int",
    "metadata": "dict",
    "tool_choice": "dict",
    "tools": "list",
    "output_config": "dict",
    "output_format": "dict",
    "cache_control": "dict",
    "thinking": "dict",
    "service_tier": "str",
}
NOT_NULL = {"model", "messages", "max_tokens", "temperature", "top_p", "top_k"}


def wrong_values(accepted: str, field: str) -> list[Any]:
    values = [v for v in SAMPLES if KINDS[type(v)] not in accepted.split()]
    return values + ([None] if field in NOT_NULL else [])


@pytest.mark.parametrize("field", OPENAI_FIELDS)
def test_openai_wrong_types_are_400_with_param(http, field):
    for value in wrong_values(OPENAI_FIELDS[field], field):
        if value is None:  # OpenAI accepts null for optional fields
            continue
        body = {"model": OPENAI_MODEL, "messages": [{"role": "user", "content": "Hi"}]}
        response = post(http, "openai", {**body, field: value})
        assert response.status_code == 400, (field, value, response.text)
        error = response.json()["error"]
        assert error["type"] == "invalid_request_error"
        assert field == "model" or (error["param"] or "").startswith(field), (field, error)


@pytest.mark.parametrize("field", ANTHROPIC_FIELDS)
def test_anthropic_wrong_types_are_400_naming_the_field(http, field):
    for value in wrong_values(ANTHROPIC_FIELDS[field], field):
        body = {
            "model": ANTHROPIC_MODEL,
            "max_tokens": 20,
            "messages": [{"role": "user", "content": "Hi"}],
        }
        response = post(http, "anthropic", {**body, field: value})
        assert response.status_code == 400, (field, value, response.text)
        error = response.json()["error"]
        assert error["type"] == "invalid_request_error"
        assert error["message"].startswith(field), (field, value, error)


@pytest.mark.parametrize(
    ("base", "path", "value"),
    [
        # the review's findings
        ("anthropic", ("temperature",), None),
        ("anthropic", ("top_p",), None),
        ("anthropic", ("top_k",), None),
        ("anthropic", ("top_k",), "5"),
        ("anthropic", ("output_config",), "json"),
        ("anthropic", ("output_config",), {"format": "json"}),
        ("anthropic", ("output_config", "format", "schema"), {"type": "object", "properties": []}),
        ("openai", ("tool_choice",), {"type": "function", "function": "get_weather"}),
        # nested fields the stand-in reads
        ("openai", ("tools", 0, "function"), "get_weather"),
        ("openai", ("tools", 0, "function", "description"), 5),
        ("openai", ("tools", 0, "function", "parameters"), ["city"]),
        ("openai", ("tools", 0, "function", "parameters", "properties", "city"), True),
        ("openai", ("tools", 0, "function", "parameters", "type"), "string"),
        ("openai", ("messages", 1, "content", 0), "Weather in Paris?"),
        ("openai", ("messages", 1, "content", 0, "text"), 5),
        ("openai", ("messages", 1, "name"), 5),
        ("openai", ("messages", 2, "tool_calls", 0, "function"), None),
        ("openai", ("messages", 2, "tool_calls", 0, "function", "arguments"), {"city": "Paris"}),
        ("openai", ("messages", 3, "tool_call_id"), 1),
        ("openai", ("response_format", "json_schema", "schema", "properties"), []),
        ("openai", ("response_format", "json_schema", "schema", "required"), "city"),
        ("openai", ("response_format", "json_schema", "schema", "$defs", "Unit"), 3),
        ("openai", ("response_format", "json_schema", "strict"), "yes"),
        ("openai-stream", ("stream_options", "include_usage"), "yes"),
        ("anthropic", ("system", 0, "text"), 5),
        ("anthropic", ("system", 0), "Be brief."),
        ("anthropic", ("messages", 1, "content", 1, "input"), "Paris"),
        ("anthropic", ("messages", 2, "content", 0, "content", 0, "text"), 5),
        ("anthropic", ("messages", 2, "content", 0, "is_error"), "no"),
        ("anthropic", ("messages", 0, "content", 0, "text"), ["Weather"]),
        ("anthropic", ("tools", 0, "description"), 5),
        ("anthropic", ("tools", 0, "input_schema", "properties"), "city"),
        ("anthropic", ("tool_choice", "disable_parallel_tool_use"), "yes"),
        ("anthropic", ("tool_choice",), {"type": "tool", "name": 5}),
        ("anthropic", ("metadata", "user_id"), 5),
        ("count_tokens", ("system", 0, "text"), None),
    ],
)
def test_wrong_nested_values_are_400(http, base, path, value):
    response = post(http, base, replaced(BASES[base][2], path, value))
    assert response.status_code == 400, response.text
    no_server_error(response)


# ---------------------------------------------------------------------------------------
# Any JSON value anywhere in a valid request: never a 500.


def paths(value: Any, prefix: tuple = ()) -> Iterator[tuple]:
    """Every path into a JSON value ("messages", 2, "tool_calls", 0, ...)."""
    if prefix:
        yield prefix
    items = (
        value.items()
        if isinstance(value, dict)
        else enumerate(value)
        if isinstance(value, list)
        else []
    )
    for key, inner in items:
        yield from paths(inner, (*prefix, key))


def replaced(body: dict, path: tuple, value: Any) -> dict:
    out = copy.deepcopy(body)
    target = out
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    return out


def removed(body: dict, path: tuple) -> dict:
    out = copy.deepcopy(body)
    target = out
    for key in path[:-1]:
        target = target[key]
    del target[path[-1]]
    return out


JSON = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-3, 10**12)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=8),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3)
    ),
    max_leaves=6,
)


@pytest.mark.parametrize("base", BASES)
def test_any_json_value_anywhere_is_never_a_500(http, base):
    body = BASES[base][2]

    @settings(
        max_examples=80,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.too_slow],
    )
    @given(st.sampled_from(list(paths(body))), JSON)
    def check(path, value):
        no_server_error(post(http, base, replaced(body, path, value)))

    check()


@pytest.mark.parametrize("base", BASES)
def test_any_missing_field_is_never_a_500(http, base):
    body = BASES[base][2]
    for path in paths(body):
        if isinstance(path[-1], str):
            no_server_error(post(http, base, removed(body, path)))


# ---------------------------------------------------------------------------------------
# JSON schemas

LINKED_LIST = {
    "$defs": {
        "Node": {
            "type": "object",
            "properties": {
                "value": {"type": "integer"},
                "next": {"anyOf": [{"$ref": "#/$defs/Node"}, {"type": "null"}]},
            },
            "required": ["value", "next"],
            "additionalProperties": False,
        }
    },
    "$ref": "#/$defs/Node",
}


def test_a_recursive_schema_is_filled_and_validates(http):
    jsonschema = pytest.importorskip("jsonschema")
    format_ = {
        "type": "json_schema",
        "json_schema": {"name": "list", "schema": LINKED_LIST, "strict": True},
    }
    body = {
        "model": OPENAI_MODEL,
        "messages": [{"role": "user", "content": "The values are 3, 1, 4, 1, 5, 9, 2, 6, 5."}],
        "response_format": format_,
    }
    response = post(http, "openai", body)
    assert response.status_code == 200, response.text
    value = json.loads(response.json()["choices"][0]["message"]["content"])
    jsonschema.validate(value, LINKED_LIST)
    assert value["value"] == 3 and value["next"]["value"] == 1  # the text's numbers, in order
    body = {
        "model": ANTHROPIC_MODEL,
        "max_tokens": 1000,
        "messages": [{"role": "user", "content": "A linked list, please."}],
        "output_config": {"format": {"type": "json_schema", "schema": LINKED_LIST}},
    }
    response = post(http, "anthropic", body)
    assert response.status_code == 200, response.text
    jsonschema.validate(json.loads(response.json()["content"][0]["text"]), LINKED_LIST)


@pytest.mark.parametrize(
    "schema",
    [
        # no finite instance: a required property of its own type
        {
            "$defs": {
                "N": {
                    "type": "object",
                    "properties": {"n": {"$ref": "#/$defs/N"}},
                    "required": ["n"],
                }
            },
            "$ref": "#/$defs/N",
        },
        {"$defs": {"A": {"$ref": "#/$defs/B"}, "B": {"$ref": "#/$defs/A"}}, "$ref": "#/$defs/A"},
        {"$ref": "#/$defs/Missing"},
        {"$ref": "https://example.com/schema.json"},
        {
            "type": "array",
            "items": {"type": "array", "items": {}, "minItems": 1000},
            "minItems": 1000,
        },
        {"type": "string", "minLength": 10**9},
        {"type": "text"},
        {"type": "object", "properties": {"a": {"enum": []}}},
    ],
)
def test_schemas_the_stand_in_cannot_fill_are_400(http, schema):
    format_ = {"type": "json_schema", "json_schema": {"name": "x", "schema": schema}}
    body = {
        "model": OPENAI_MODEL,
        "messages": [{"role": "user", "content": "Hi"}],
        "response_format": format_,
    }
    response = post(http, "openai", body)
    assert response.status_code == 400, response.text
    assert response.json()["error"]["type"] == "invalid_request_error"
    body = {
        "model": ANTHROPIC_MODEL,
        "max_tokens": 100,
        "messages": [{"role": "user", "content": "Hi"}],
        "output_config": {"format": {"type": "json_schema", "schema": schema}},
    }
    response = post(http, "anthropic", body)
    assert response.status_code == 400, response.text
    assert response.json()["error"]["type"] == "invalid_request_error"
