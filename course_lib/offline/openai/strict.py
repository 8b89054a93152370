"""OpenAI's strict-schema rules: the 400 a ``"strict": true`` schema gets when it breaks them.

With ``strict: true`` (a ``response_format`` of type ``json_schema``, or a function tool) OpenAI
constrains sampling to the schema, and accepts only schemas it can compile. Two rules catch
almost everyone, so the stand-in enforces them, with the real wording:

- every object schema sets ``"additionalProperties": false``;
- every object schema lists **every** key of ``properties`` in ``required`` (an optional field
  is written as a union with null, ``{"type": ["string", "null"]}``, and still required).

    >>> problem({"type": "object", "properties": {"a": {"type": "string"}}})
    "In context=(), 'additionalProperties' is required to be supplied and to be false."
    >>> problem({"type": "object", "properties": {"a": {"type": "string"}},
    ...          "additionalProperties": False})
    "In context=(), 'required' is required to be supplied and to be an array including every key in properties. Missing 'a'."

``context`` is the path to the offending object, as a Python tuple:
``In context=('properties', 'organizations', 'items'), ...``. The real error bodies this copies,
as users quoted them (all Chat Completions):

- response_format, additionalProperties: facts.md §13 (outlines #844, langchain PR #25169);
  ``param: "response_format"``, ``code: null`` (ag2ai/ag2 #1990; the whole body for a pydantic
  model with ``extra="allow"`` in openai/openai-python #2052).
- response_format, required: mastra-ai/mastra #12284 (``In context=()``) and vercel/ai #6484
  (nested: ``In context=('properties', 'organizations', 'items') ... Missing 'roles'.``).
- function tools: "Invalid schema for function 'f': In context=(), 'additionalProperties' is
  required to be supplied and to be false." with ``param: "tools[0].function.parameters"``,
  ``code: "invalid_function_parameters"`` (xemantic/xemantic-ai-tool-schema #37); nested
  ``In context=('properties', 'permissions')`` (lastmile-ai/openai-agents-mcp #2); required:
  "... Missing 'id'." (ash-project/ash_ai #155); a required key that is not a property:
  "'required' must be an array that includes every key in `properties`. Extra required key
  'recipe' supplied." (dotnet/extensions #6302).

The rules themselves are ``course_lib.model.schemas.strict_problem`` (pure schema checks, no HTTP, so that a
lesson's exercise check can use them too); this module turns them into OpenAI's 400s.

Simplifications: only these rules are checked (OpenAI's other strict limits — supported
keywords, nesting depth, total properties, enum sizes — are not); objects are found through
``properties``, ``items``, ``anyOf``, ``allOf``, ``$defs`` and ``definitions``; the first problem
in that order is reported (the real API's order is not documented).
"""

from __future__ import annotations

from course_lib.offline.errors import ApiError
from course_lib.model.schemas import strict_problem as problem

__all__ = ["check_function", "check_response_format", "problem"]

def check_response_format(name: str, schema: dict) -> None:
    """Raise the real 400 if a strict ``response_format`` schema breaks the rules."""
    found = problem(schema)
    if found:
        raise ApiError(400, f"Invalid schema for response_format '{name}': {found}",
                       param="response_format")


def check_function(index: int, name: str, parameters: dict) -> None:
    """Raise the real 400 if a strict function tool's ``parameters`` break the rules."""
    found = problem(parameters)
    if found:
        raise ApiError(400, f"Invalid schema for function '{name}': {found}",
                       param=f"tools[{index}].function.parameters",
                       code="invalid_function_parameters")
