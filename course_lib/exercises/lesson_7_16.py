"""Lesson 7.16 — Tool definitions: a schema fit for strict mode, and validating arguments.

``check_strict_tool`` reads the student's tool definition with OpenAI's strict rules (the same
code the stand-in uses for its 400s) and validates hidden argument objects against it with
``jsonschema``; ``check_convert_args`` feeds hidden argument strings to the student's pydantic
model. Neither check calls an API.

    >>> verdict = check_strict_tool(None)
    ❌ NOT YET: Not answered yet: replace the None in the cell above with your answer, then re-run.
"""

from __future__ import annotations

import json
from typing import Any

from course_lib.exercises._report import NOT_ANSWERED, Verdict, never_raises, report
from course_lib.offline.openai_strict import problem as strict_problem

__all__ = ["check_convert_args", "check_strict_tool"]

# split_bill: total and people are required; tip_percent and currency are optional.
GOOD = [
    ({"total": 84.5, "people": 3, "tip_percent": 15, "currency": "EUR"}, "every field given"),
    ({"total": 84.5, "people": 3, "tip_percent": None, "currency": None},
     "no tip and no currency (both null)"),
    ({"total": 20, "people": 2, "tip_percent": 10.5, "currency": None}, "a tip, no currency"),
]
BAD = [
    ({"total": 84.5, "people": 3, "tip_percent": 15}, "currency left out (strict: all required)"),
    ({"total": "84.5", "people": 3, "tip_percent": None, "currency": None}, "total as a string"),
    ({"total": 84.5, "people": 2.5, "tip_percent": None, "currency": None}, "2.5 people"),
    ({"total": 84.5, "people": 3, "tip_percent": None, "currency": "yen"}, "a currency not listed"),
    ({"total": 84.5, "people": 3, "tip_percent": None, "currency": None, "note": "hi"},
     "an extra field"),
]


def _function(tool: Any) -> dict | None:
    if isinstance(tool, dict) and tool.get("type") == "function" and isinstance(
            tool.get("function"), dict):
        return tool["function"]
    return None


@never_raises
def check_strict_tool(tool: Any) -> Verdict:
    """Is ``tool`` the split_bill tool, rewritten so that strict mode accepts it?"""
    import jsonschema

    if tool is None:
        return report(False, "", NOT_ANSWERED)
    function = _function(tool)
    if function is None:
        return report(False, "", 'Write the whole tool: {"type": "function", "function": '
                      '{"name": ..., "description": ..., "parameters": ..., "strict": True}}.')
    if function.get("name") != "split_bill":
        return report(False, "", "Keep the tool's name, split_bill.")
    if function.get("strict") is not True:
        return report(False, "", 'Set "strict": True in the function, next to its parameters.')
    parameters = function.get("parameters")
    if not isinstance(parameters, dict):
        return report(False, "", "The function needs its parameters schema.")
    found = strict_problem(parameters)
    if found:
        return report(False, "", f"The API would answer 400: {found}")
    if set(parameters.get("properties") or {}) != {"total", "people", "tip_percent", "currency"}:
        return report(False, "", "Keep the same four properties: total, people, tip_percent, "
                      "currency (no more, no fewer).")
    validator = jsonschema.Draft202012Validator(parameters)
    for arguments, what in GOOD:
        errors = list(validator.iter_errors(arguments))
        if errors:
            hint = ""
            if any("None is not one of" in e.message for e in errors):
                hint = " A nullable enum needs null among its values too."
            elif any("None is not of type" in e.message for e in errors):
                hint = ' Make optional fields nullable: "type": ["number", "null"].'
            return report(False, "", f"Your schema rejects valid arguments ({what}): "
                          f"{errors[0].message}.{hint}")
    for arguments, what in BAD:
        if validator.is_valid(arguments):
            return report(False, "", f"Your schema accepts arguments it should refuse ({what}): "
                          "keep each property's type and enum.")
    return report(True, "Strict mode accepts it: every property required, optional ones "
                  "nullable, no extra properties, types and enum kept.", "")


# convert_units: value (number), from_unit and to_unit (one of UNITS), precision (optional int).
VALID = [
    ('{"value": 26.2, "from_unit": "miles", "to_unit": "kilometres", "precision": 1}', "all four"),
    ('{"value": 100, "from_unit": "fahrenheit", "to_unit": "celsius", "precision": null}',
     "precision null"),
    ('{"value": 3, "from_unit": "pounds", "to_unit": "kilograms"}', "precision left out"),
]
INVALID = [
    ('{"value": "ten", "from_unit": "miles", "to_unit": "kilometres"}', "value 'ten'"),
    ('{"value": 10, "from_unit": "parsecs", "to_unit": "kilometres"}', "a unit not in UNITS"),
    ('{"value": 10, "from_unit": "miles"}', "to_unit missing"),
    ('{"value": 10, "from_unit": "miles", "to_unit": "kilometres", "note": "x"}', "an extra field"),
    ('{"value": 10, "from_unit": "miles", "to_unit": "kilometres", "precision": 1.5}',
     "precision 1.5"),
    ('{"value": 10, "from_unit": "miles", "to_unit": ', "broken JSON"),
]


@never_raises
def check_convert_args(model: Any) -> Verdict:
    """Does the pydantic model accept exactly the valid convert_units arguments?"""
    import pydantic

    if model is None:
        return report(False, "", NOT_ANSWERED)
    if not (isinstance(model, type) and issubclass(model, pydantic.BaseModel)):
        return report(False, "", "Pass the class itself (class ConvertArgs(BaseModel): ...), "
                      "not an instance.")
    for text, what in VALID:
        try:
            model.model_validate_json(text)
        except pydantic.ValidationError as error:
            return report(False, "", f"Valid arguments were refused ({what}): "
                          f"{error.errors()[0]['msg']} at {error.errors()[0]['loc']}.")
    for text, what in INVALID:
        try:
            model.model_validate_json(text)
        except pydantic.ValidationError:
            continue
        hint = {"an extra field": ' Forbid extras: model_config = ConfigDict(extra="forbid").',
                "a unit not in UNITS": " Type the units as Literal[...] of the allowed names.",
                "precision 1.5": " precision is a whole number: int | None.",
                }.get(what, "")
        return report(False, "", f"Invalid arguments got through ({what}).{hint}")
    import openai

    parameters = openai.pydantic_function_tool(model)["function"]["parameters"]
    found = strict_problem(parameters)
    if found:  # the SDK makes schemas strict; a custom json_schema_extra could still break them
        return report(False, "", f"openai.pydantic_function_tool(...) gives a schema strict mode "
                      f"refuses: {found}")
    names = set(json.loads(json.dumps(parameters)).get("properties", {}))
    if names != {"value", "from_unit", "to_unit", "precision"}:
        return report(False, "", "Use the four field names value, from_unit, to_unit, precision.")
    return report(True, "Your model accepts the valid calls, refuses each bad one before it "
                  "runs, and gives a strict-mode schema via pydantic_function_tool.", "")
