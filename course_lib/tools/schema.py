"""One tool definition, rendered in each provider's format.

Both providers describe a tool by a name, a description and a JSON Schema of its arguments;
they only wrap those three differently:

    spec = ToolSpec("calculator", "Evaluate arithmetic.", {"type": "object", ...}, evaluate)
    to_openai(spec)    -> {"type": "function",
                           "function": {"name": "calculator", "description": ..., "parameters": {...}}}
    to_anthropic(spec) -> {"name": "calculator", "description": ..., "input_schema": {...}}

The schema is copied into each result, so editing one provider's dict never changes the other.
A definition written for one provider converts back (:func:`from_openai`, :func:`from_anthropic`),
and "which tool must the model call" is spelled per provider too:

    openai_tool_choice("calculator")    -> {"type": "function", "function": {"name": "calculator"}}
    anthropic_tool_choice("calculator") -> {"type": "tool", "name": "calculator"}
    anthropic_tool_choice("required")   -> {"type": "any"}
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


def from_openai(tool: dict[str, Any], function: Callable[..., Any]) -> ToolSpec:
    """The :class:`ToolSpec` behind a Chat Completions tool (``strict`` is dropped: it is a
    rendering option, ``to_openai(spec, strict=True)`` puts it back)."""
    if tool.get("type") != "function" or not isinstance(tool.get("function"), dict):
        raise ValueError('an OpenAI tool looks like {"type": "function", "function": {...}}')
    f = tool["function"]
    parameters = f.get("parameters", {"type": "object", "properties": {}})
    return ToolSpec(f["name"], f.get("description", ""), copy.deepcopy(parameters), function)


def from_anthropic(tool: dict[str, Any], function: Callable[..., Any]) -> ToolSpec:
    """The :class:`ToolSpec` behind a Messages API tool (``cache_control`` is dropped)."""
    if "input_schema" not in tool or "name" not in tool:
        raise ValueError('an Anthropic tool looks like {"name": ..., "input_schema": {...}}')
    return ToolSpec(tool["name"], tool.get("description", ""),
                    copy.deepcopy(tool["input_schema"]), function)


# "auto": the model decides; "none": no tool; "required" (Anthropic: "any"): some tool;
# anything else names the one tool the model must call.
_CHOICES = ("auto", "none", "required", "any")


def _choice_name(choice: str | ToolSpec) -> str:
    name = choice.name if isinstance(choice, ToolSpec) else choice
    if not isinstance(name, str) or not (name in _CHOICES or _NAME.fullmatch(name)):
        raise ValueError(f"tool_choice must be 'auto', 'none', 'required' ('any') or a tool name, "
                         f"not {choice!r}")
    return name


def openai_tool_choice(choice: str | ToolSpec) -> str | dict[str, Any]:
    """Chat Completions ``tool_choice``: ``"auto"``/``"none"``/``"required"``, or force one tool.

    >>> openai_tool_choice("calculator")
    {'type': 'function', 'function': {'name': 'calculator'}}
    """
    name = _choice_name(choice)
    if name in _CHOICES and not isinstance(choice, ToolSpec):
        return {"any": "required"}.get(name, name)
    return {"type": "function", "function": {"name": name}}


def anthropic_tool_choice(choice: str | ToolSpec) -> dict[str, Any]:
    """Messages API ``tool_choice``: always an object; "required" is Anthropic's ``"any"``.

    >>> anthropic_tool_choice("required"), anthropic_tool_choice("calculator")
    ({'type': 'any'}, {'type': 'tool', 'name': 'calculator'})
    """
    name = _choice_name(choice)
    if name in _CHOICES and not isinstance(choice, ToolSpec):
        return {"type": {"required": "any"}.get(name, name)}
    return {"type": "tool", "name": name}


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
