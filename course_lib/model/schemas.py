"""Is a JSON schema well-formed enough for the stand-in to fill? (``problem(schema)``)

Structured output (OpenAI ``response_format``, Anthropic ``output_config.format``) and tool
parameters are JSON schemas that ``behaviours/structured.py`` fills with values. Both providers
reject malformed schemas with a 400; so does the stand-in, before the engine sees them, so that
a schema with ``"properties": []`` is the caller's error and not a crash. Only the keywords the
filler reads are checked, each for its JSON type:

    >>> problem({"type": "object", "properties": {"age": {"type": "integer"}}}) is None
    True
    >>> problem({"type": "object", "properties": []})
    "'properties' must be an object (at #)"

Recursive schemas (a ``$ref`` back to an enclosing definition) are fine: the filler stops
recursing after a few levels. A ``$ref`` must point into the same document and resolve to a
schema; a chain of ``$ref`` s that only leads back to itself is an error.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

TYPES = {"string", "number", "integer", "boolean", "object", "array", "null"}
SUBSCHEMA_MAPS = ("properties", "$defs", "definitions")
SUBSCHEMA_LISTS = ("anyOf", "oneOf", "allOf")
COUNTS = ("minItems", "maxItems", "minLength", "maxLength")
MAX_MIN_ITEMS = 1000  # the filler writes at least minItems values: keep answers finite
MAX_MIN_LENGTH = 100_000
MAX_NODES = 10_000  # subschemas checked at most; a bigger schema is refused


def _integer(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def resolve_ref(root: dict, ref: str) -> Any:
    """The value ``ref`` ("#/$defs/Node") points at inside ``root``, or None."""
    if ref == "#":
        return root
    if not ref.startswith("#/"):
        return None
    target: Any = root
    for part in ref[2:].split("/"):
        part = part.replace("~1", "/").replace("~0", "~")  # JSON pointer escapes
        if isinstance(target, dict) and part in target:
            target = target[part]
        elif isinstance(target, list) and part.isdigit() and int(part) < len(target):
            target = target[int(part)]
        else:
            return None
    return target


def _keyword_problem(schema: dict, root: dict) -> str | None:
    kind = schema.get("type")
    kinds = kind if isinstance(kind, list) and kind else [kind]
    if "type" in schema and not all(isinstance(k, str) and k in TYPES for k in kinds):
        return f"'type' must be one of {sorted(TYPES)} or a non-empty list of them"
    for name in SUBSCHEMA_MAPS:
        if name in schema and not isinstance(schema[name], dict):
            return f"'{name}' must be an object"
    for name in SUBSCHEMA_LISTS:
        value = schema.get(name)
        if name in schema and not (isinstance(value, list) and value):
            return f"'{name}' must be a non-empty array of schemas"
    if "items" in schema and not isinstance(schema["items"], dict):
        return "'items' must be a schema (an object)"
    extra = schema.get("additionalProperties")
    if "additionalProperties" in schema and not isinstance(extra, bool | dict):
        return "'additionalProperties' must be a boolean or a schema"
    required = schema.get("required")
    if "required" in schema and not (
        isinstance(required, list) and all(isinstance(r, str) for r in required)
    ):
        return "'required' must be an array of strings"
    if "enum" in schema and not (isinstance(schema["enum"], list) and schema["enum"]):
        return "'enum' must be a non-empty array"
    for name in COUNTS:
        if name in schema and not (_integer(schema[name]) and schema[name] >= 0):
            return f"'{name}' must be a non-negative integer"
    if schema.get("minItems", 0) > MAX_MIN_ITEMS:
        return f"'minItems' above {MAX_MIN_ITEMS} is more than the offline stand-in will write"
    if schema.get("minLength", 0) > MAX_MIN_LENGTH:
        return f"'minLength' above {MAX_MIN_LENGTH} is more than the offline stand-in will write"
    for name in ("minimum", "maximum"):
        if name in schema and not _number(schema[name]):
            return f"'{name}' must be a number"
    for name in ("description", "title", "format"):
        if name in schema and not isinstance(schema[name], str):
            return f"'{name}' must be a string"
    if "$ref" in schema:
        ref = schema["$ref"]
        if not isinstance(ref, str):
            return "'$ref' must be a string"
        if not isinstance(resolve_ref(root, ref), dict):
            return f"'$ref' {ref!r} does not point to a schema in this document"
        seen, target = {ref}, resolve_ref(root, ref)
        while isinstance(target, dict) and isinstance(target.get("$ref"), str):
            if target["$ref"] in seen:
                return f"'$ref' {ref!r} only leads back to itself"
            seen.add(target["$ref"])
            target = resolve_ref(root, target["$ref"])
    return None


def problem(root: Any) -> str | None:
    """What is wrong with ``root`` as a schema to fill (None: nothing)."""
    if not isinstance(root, dict):
        return "the schema must be an object"
    stack: list[tuple[Any, str]] = [(root, "#")]
    checked = 0
    while stack:
        schema, where = stack.pop()
        checked += 1
        if checked > MAX_NODES:
            return f"the schema has more than {MAX_NODES} subschemas"
        if not isinstance(schema, dict):
            return f"a schema must be an object (at {where})"
        found = _keyword_problem(schema, root)
        if found:
            return f"{found} (at {where})"
        for name in SUBSCHEMA_MAPS:
            for key, sub in schema.get(name, {}).items():
                stack.append((sub, f"{where}/{name}/{key}"))
        for name in SUBSCHEMA_LISTS:
            for i, sub in enumerate(schema.get(name, [])):
                stack.append((sub, f"{where}/{name}/{i}"))
        if "items" in schema:
            stack.append((schema["items"], f"{where}/items"))
        if isinstance(schema.get("additionalProperties"), dict):
            stack.append((schema["additionalProperties"], f"{where}/additionalProperties"))
    return None


def object_problem(root: Any) -> str | None:
    """``problem`` for tool parameters, which must also describe a JSON object."""
    found = problem(root)
    if found is None and root.get("type", "object") != "object":
        got = json.dumps(root["type"])
        found = f"schema must be a JSON Schema of 'type: \"object\"', got 'type: {got}'"
    return found


# ---------------------------------------------------------------------------------------
# OpenAI's strict mode (structured outputs, strict tools): the two rules everyone meets.

StrictPath = tuple[str, ...]


def _strict_object(schema: dict) -> bool:
    kind = schema.get("type")
    return kind == "object" or (isinstance(kind, list) and "object" in kind)


def _strict_children(schema: dict, path: StrictPath) -> Iterator[tuple[Any, StrictPath]]:
    """Each child schema with its path, in the order the checks visit them."""
    for key in ("properties", "$defs", "definitions"):
        if isinstance(schema.get(key), dict):
            for name, child in schema[key].items():
                yield child, (*path, key, name)
    if isinstance(schema.get("items"), dict):
        yield schema["items"], (*path, "items")
    for key in ("anyOf", "allOf"):
        if isinstance(schema.get(key), list):
            for i, child in enumerate(schema[key]):
                yield child, (*path, key, str(i))


def _strict_object_problem(schema: dict) -> str | None:
    if schema.get("additionalProperties") is not False:
        return "'additionalProperties' is required to be supplied and to be false."
    properties = schema.get("properties") or {}
    required = schema.get("required")
    if not isinstance(properties, dict):
        return None  # a malformed schema: schemas.problem() words that 400
    if not isinstance(required, list) and properties:
        first = next(iter(properties))
        return ("'required' is required to be supplied and to be an array including every "
                f"key in properties. Missing '{first}'.")
    required = required or []
    missing = [name for name in properties if name not in required]
    if missing:
        return ("'required' is required to be supplied and to be an array including every "
                f"key in properties. Missing '{missing[0]}'.")
    extra = [name for name in required if name not in properties]
    if extra:
        return ("'required' must be an array that includes every key in `properties`. "
                f"Extra required key '{extra[0]}' supplied.")
    return None


def strict_problem(root: Any) -> str | None:
    """The first break of OpenAI's strict-mode rules in ``root``, worded like its 400, or None:
    every object needs ``"additionalProperties": false`` and every property in ``required``
    (sources in ``offline/openai/strict.py``).

    >>> strict_problem({"type": "object", "properties": {}, "additionalProperties": False})
    >>> strict_problem({"type": "object", "properties": {"a": {}}, "additionalProperties": False})
    "In context=(), 'required' is required to be supplied and to be an array including every key in properties. Missing 'a'."
    """
    stack: list[tuple[Any, StrictPath]] = [(root, ())]
    seen = 0
    while stack:
        schema, path = stack.pop()
        seen += 1
        if not isinstance(schema, dict) or seen > 10_000:  # schemas.problem() bounds size
            continue
        if _strict_object(schema):
            found = _strict_object_problem(schema)
            if found:
                return f"In context={path!r}, {found}"
        stack.extend(reversed(list(_strict_children(schema, path))))  # depth first, in order
    return None
