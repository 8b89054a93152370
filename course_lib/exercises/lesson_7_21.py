"""Lesson 7.21 — Structured output: a strict schema by hand, validating a model's reply.

    >>> verdict = check_strict_event_schema(None)
    ❌ NOT YET: Not answered yet: replace the None in the cell above with your answer, then re-run.
"""

from __future__ import annotations

import json
from typing import Any

from course_lib._fields import field
from course_lib.exercises._report import NOT_ANSWERED, Verdict, call, never_raises, report

__all__ = ["check_strict_event_schema", "check_validate_reply"]

EVENT_FIELDS = {"title": "string", "date": "string", "attendees": "array", "location": "string"}


def _strict_problems(schema: Any, where: str = "schema") -> list[str]:
    """What OpenAI's strict mode would reject in ``schema`` (facts §13): every object needs
    ``additionalProperties: false`` and every property listed in ``required``.

    >>> _strict_problems({"type": "object", "properties": {"a": {"type": "string"}}})
    ['schema: additionalProperties must be false', "schema: required must list every property (missing: ['a'])"]
    """
    if not isinstance(schema, dict):
        return []
    problems = []
    kinds = schema.get("type")
    kinds = kinds if isinstance(kinds, list) else [kinds]
    if "object" in kinds or "properties" in schema:
        if schema.get("additionalProperties") is not False:
            problems.append(f"{where}: additionalProperties must be false")
        properties = schema.get("properties", {})
        missing = [p for p in properties if p not in (schema.get("required") or [])]
        if missing:
            problems.append(f"{where}: required must list every property (missing: {missing})")
        for name, sub in properties.items():
            problems += _strict_problems(sub, f"{where}.properties.{name}")
    if isinstance(schema.get("items"), dict):
        problems += _strict_problems(schema["items"], f"{where}.items")
    for key in ("anyOf", "oneOf", "allOf"):
        for i, sub in enumerate(schema.get(key) or []):
            problems += _strict_problems(sub, f"{where}.{key}[{i}]")
    for name, sub in (schema.get("$defs") or {}).items():
        problems += _strict_problems(sub, f"$defs.{name}")
    return problems


def _valid(schema: dict, instance: Any) -> bool:
    import jsonschema  # a dependency of nbformat, so always installed with the course

    return jsonschema.Draft202012Validator(schema).is_valid(instance)


@never_raises
def check_strict_event_schema(schema: Any) -> Verdict:
    """Is ``schema`` a strict-mode JSON Schema for an event (title, date, attendees, location
    that may be null)?"""
    if schema is None:
        return report(False, "", NOT_ANSWERED)
    if not isinstance(schema, dict):
        return report(False, "", f"Pass the schema as a dict, got {type(schema).__name__}.")
    if schema.get("type") != "object" or not isinstance(schema.get("properties"), dict):
        return report(False, "", 'The top level must be {"type": "object", "properties": {...}}.')
    names = set(schema["properties"])
    if names != set(EVENT_FIELDS):
        return report(False, "", f"Properties {sorted(names)}; the event needs exactly "
                      f"{sorted(EVENT_FIELDS)}.")
    problems = _strict_problems(schema)
    if problems:
        return report(False, "", f"The real API would answer 400 in strict mode: {problems[0]}. "
                      "(Optional fields are still required: make them nullable instead.)")
    good = {"title": "Launch", "date": "2026-12-03", "attendees": ["Ada", "Grace"],
            "location": "London"}
    cases = [
        (good, True, "a complete event"),
        (good | {"location": None}, True, "an event whose location is null (not known)"),
        (good | {"attendees": []}, True, "an event with no attendees yet"),
        (good | {"attendees": "Ada, Grace"}, False, "attendees given as one string"),
        (good | {"date": 20261203}, False, "a date given as a number"),
        ({k: v for k, v in good.items() if k != "location"}, False, "an event without location"),
        (good | {"attendees": [1, 2]}, False, "attendees that are numbers, not names"),
    ]
    for instance, expected, what in cases:
        if _valid(schema, instance) != expected:
            verb = "rejects" if expected else "accepts"
            hint = (" A value that may be missing is a union with null: "
                    '{"type": ["string", "null"]}.' if "null" in what else "")
            return report(False, "", f"Your schema {verb} {what}: {json.dumps(instance)}.{hint}")
    return report(True, "Strict-mode valid: every object closed, every field required, "
                  "location nullable, and the types hold.", "")


def _cases() -> list[tuple[str, str, dict | None, str]]:
    """(what, reply text, expected fields or None for invalid, a word the problem must name)."""
    return [
        ("a plain JSON reply", '{"name": "Ada Lovelace", "age": 36}',
         {"name": "Ada Lovelace", "age": 36}, ""),
        ("JSON inside a ```json fence (models often add one without JSON mode)",
         '```json\n{"name": "Grace Hopper", "age": 85}\n```', {"name": "Grace Hopper", "age": 85}, ""),
        ("a reply cut off by max_completion_tokens", '{"name": "Ada Lovelace", "age": 3', None,
         ""),
        ("a reply with no JSON at all", "Sure! Ada Lovelace is 36 years old.", None, ""),
        ("JSON without the age", '{"name": "Ada Lovelace"}', None, "age"),
        ("an age that is not a number", '{"name": "Ada Lovelace", "age": "thirty-six"}', None,
         "age"),
        ("a JSON list instead of an object", '["Ada Lovelace", 36]', None, ""),
    ]


@never_raises
def check_validate_reply(fn: Any) -> Verdict:
    """Does ``fn(text)`` return a Person for a valid reply and a problem (str) otherwise?"""
    if fn is None:
        return report(False, "", NOT_ANSWERED)
    if not callable(fn):
        return report(False, "", "Pass a function: validate_reply(text) -> Person or str.")
    for what, text, expected, word in _cases():
        got, problem = call(fn, text, shown="validate_reply")
        if problem:
            problem = " ".join(problem.split())  # one line, however long the error's text
            problem = problem if len(problem) < 160 else problem[:157] + "..."
            return report(False, "", f"On {what}: {problem} Catch json.JSONDecodeError and "
                          "pydantic.ValidationError and return a message instead.")
        if got is None:
            return report(False, "", "Not answered yet: finish validate_reply() so it returns "
                          "a Person or a string.")
        if expected is not None:
            if isinstance(got, str):
                return report(False, "", f"On {what}: you returned the problem {got!r}, but the "
                              "reply is valid." + (" Strip the ``` fence first." if "```" in text
                                                   else ""))
            values = {k: field(got, k) for k in expected}
            if values != expected:
                return report(False, "", f"On {what}: got {values}, expected {expected}.")
            continue
        if not isinstance(got, str) or not got.strip():
            return report(False, "", f"On {what}: expected a string saying what is wrong, got "
                          f"{' '.join(repr(got).split())[:120]}.")
        if word and word not in got:
            return report(False, "", f"On {what}: your message {' '.join(got.split())[:120]!r} "
                          "should name the field "
                          f"that failed ({word!r}); pydantic's error.errors() gives each 'loc'.")
    return report(True, f"All {len(_cases())} hidden replies handled: valid ones parsed, the "
                  "others explained.", "")
