"""One tool definition, rendered in each provider's format.

Both providers describe a tool by a name, a description and a JSON Schema of its arguments;
they only wrap those three differently:

    spec = ToolSpec("calculator", "Evaluate arithmetic.", {"type": "object", ...}, evaluate)
    to_openai(spec)    -> {"type": "function",
                           "function": {"name": "calculator", "description": ..., "parameters": {...}}}
    to_anthropic(spec) -> {"name": "calculator", "description": ..., "input_schema": {...}}

The schema is copied into each result, so editing one provider's dict never changes the other.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

# Both providers accept exactly these names (OpenAI: ^[a-zA-Z0-9_-]{1,64}$).
_NAME = re.compile(r"[a-zA-Z0-9_-]{1,64}")


@dataclass(frozen=True)
class ToolSpec:
    """A tool described once, provider-neutral.

    ``parameters`` is a JSON Schema for an object; ``function`` is the Python callable the
    tool loop runs as ``function(**arguments)``. The description is a prompt: it is all the
    model knows about when and how to call the tool.
    """

    name: str
    description: str
    parameters: dict[str, Any]
    function: Callable[..., Any]

    def __post_init__(self) -> None:
        if not _NAME.fullmatch(self.name):
            raise ValueError(f"tool name {self.name!r} must be 1-64 letters, digits, _ or -")
        if self.parameters.get("type") != "object":
            raise ValueError('tool parameters must be a JSON Schema with "type": "object"')


def to_openai(spec: ToolSpec, *, strict: bool = False) -> dict[str, Any]:
    """The Chat Completions ``tools=[...]`` entry for ``spec``.

    ``strict=True`` asks OpenAI to guarantee arguments that match the schema (structured
    outputs); it requires every object to list all its properties as required and to set
    ``"additionalProperties": false``, which is checked here rather than by a 400 later.
    """
    if strict:
        _check_strict(spec.parameters, path="parameters")
    function: dict[str, Any] = {
        "name": spec.name,
        "description": spec.description,
        "parameters": copy.deepcopy(spec.parameters),
    }
    if strict:
        function["strict"] = True
    return {"type": "function", "function": function}


def to_anthropic(spec: ToolSpec) -> dict[str, Any]:
    """The Messages API ``tools=[...]`` entry for ``spec``."""
    return {
        "name": spec.name,
        "description": spec.description,
        "input_schema": copy.deepcopy(spec.parameters),
    }


def _check_strict(schema: dict[str, Any], path: str) -> None:
    """Raise ValueError if OpenAI's strict mode would reject ``schema`` (checks nested objects)."""
    if schema.get("type") == "object":
        properties = schema.get("properties", {})
        if schema.get("additionalProperties") is not False:
            raise ValueError(f'strict tools need "additionalProperties": false at {path}')
        missing = sorted(set(properties) - set(schema.get("required", [])))
        if missing:
            raise ValueError(
                f"strict tools need every property required; at {path} add "
                f"{missing} to 'required' (make optional ones nullable instead)"
            )
        for name, child in properties.items():
            _check_strict(child, f"{path}.{name}")
    if isinstance(schema.get("items"), dict):
        _check_strict(schema["items"], f"{path}[]")
