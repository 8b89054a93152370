"""``tools`` and ``tool_choice`` of a chat request: checks, and their provider-neutral form.

Only ``function`` tools are supported; a named ``tool_choice`` becomes the tool's name, as
:class:`GenerationRequest` expects.
"""

from __future__ import annotations

import re

from course_lib.model import schemas
from course_lib.offline.openai import strict as openai_strict
from course_lib.offline.openai.checks import bad, expect, require
from course_lib.model.types import Tool

NAME = re.compile(r"^[a-zA-Z0-9_-]{1,64}$")


def neutral(body: dict) -> list[Tool]:
    raw = body.get("tools") or []
    if not isinstance(raw, list):
        raise bad(
            "Invalid type for 'tools': expected an array of objects.", "tools", "invalid_type"
        )
    out = []
    for i, tool in enumerate(raw):
        if not isinstance(tool, dict) or tool.get("type") != "function":
            raise bad(
                "The offline stand-in supports only tools of type 'function'.",
                f"tools[{i}].type",
                "invalid_value",
            )
        require(tool.get("function"), (dict,), f"tools[{i}].function")
        function = tool["function"]
        name = function.get("name")
        if not isinstance(name, str) or not NAME.match(name):
            raise bad(
                f"Invalid 'tools[{i}].function.name': string does not match pattern. Expected "
                "a string that matches the pattern '^[a-zA-Z0-9_-]+$'.",
                f"tools[{i}].function.name",
                "invalid_value",
            )
        for field, types in (("description", (str,)), ("parameters", (dict,)), ("strict", (bool,))):
            if function.get(field) is not None:
                expect(function[field], types, f"tools[{i}].function.{field}")
        parameters = function.get("parameters") or {}
        problem = schemas.object_problem(parameters)
        if problem:
            raise bad(
                f"Invalid schema for function '{name}': {problem}.",
                f"tools[{i}].function.parameters",
                "invalid_function_parameters",
            )
        if function.get("strict"):  # strict tools must obey the strict-schema rules
            openai_strict.check_function(i, name, parameters)
        out.append(Tool(name, function.get("description") or "", parameters))
    return out


def choice(body: dict, tools: list[Tool]) -> str:
    choice = body.get("tool_choice")
    if choice is None:
        return "auto"
    if not tools:
        raise bad(
            "Invalid value for 'tool_choice': 'tool_choice' is only allowed when 'tools' are "
            "specified.",
            "tool_choice",
        )
    if isinstance(choice, str):
        if choice not in ("none", "auto", "required"):
            raise bad(
                f"Invalid value: '{choice}'. Supported values are: 'none', 'auto', and 'required'.",
                "tool_choice",
                "invalid_value",
            )
        return choice
    function = choice.get("function") if isinstance(choice, dict) else None
    name = function.get("name") if isinstance(function, dict) else None
    if (
        not isinstance(choice, dict)
        or choice.get("type") != "function"
        or not isinstance(name, str)
    ):
        raise bad(
            "Invalid value for 'tool_choice': expected 'none', 'auto', 'required' or "
            "{'type': 'function', 'function': {'name': ...}}.",
            "tool_choice",
            "invalid_value",
        )
    if name not in {t.name for t in tools}:
        raise bad(
            f"Invalid value for 'tool_choice': function '{name}' not found in 'tools'.",
            "tool_choice",
            "invalid_value",
        )
    return name
