"""Lesson 7.16 — Tool definitions: a schema fit for strict mode, and validating arguments.

``check_strict_tool`` reads the student's tool definition with OpenAI's strict rules (the same
code the stand-in uses for its 400s) and tries hidden argument values against each property;
``check_split_bill_model`` feeds hidden argument strings to the student's pydantic model.
Neither check calls an API.

    >>> verdict = check_strict_tool(None)
    ❌ NOT YET: Not answered yet: replace the None in the cell above with your answer, then re-run.
"""

from __future__ import annotations

from typing import Any

from course_lib.exercises._report import NOT_ANSWERED, Verdict, never_raises, report
from course_lib.model.schemas import strict_problem

__all__ = ["check_split_bill_model", "check_strict_tool"]

PROPERTIES = {"total", "people", "tip_percent", "currency"}
# (property, value, should it be accepted?)
VALUES = [
    ("total", 84.5, True), ("total", 20, True), ("total", "84.5", False), ("total", None, False),
    ("people", 3, True), ("people", 2.5, False), ("people", None, False),
    ("tip_percent", 15, True), ("tip_percent", 10.5, True), ("tip_percent", None, True),
    ("tip_percent", "15%", False),
    ("currency", "EUR", True), ("currency", "GBP", True), ("currency", None, True),
    ("currency", "yen", False),
]
KINDS = {"null": lambda v: v is None, "string": lambda v: isinstance(v, str),
         "boolean": lambda v: isinstance(v, bool),
         "integer": lambda v: isinstance(v, int) and not isinstance(v, bool),
         "number": lambda v: isinstance(v, int | float) and not isinstance(v, bool)}


def _allows(schema: Any, value: Any) -> bool:
    """Does ``schema`` accept ``value``? (type, enum, const, anyOf: what these tools use)

    >>> _allows({"type": ["number", "null"]}, None), _allows({"enum": ["EUR"]}, "yen")
    (True, False)
    """
    if not isinstance(schema, dict):
        return False
    if "anyOf" in schema and not any(_allows(s, value) for s in schema["anyOf"]):
        return False
    if "enum" in schema and not any(value == o and type(value) is type(o)
                                    for o in schema["enum"]):
        return False
    if "const" in schema and schema["const"] != value:
        return False
    kind = schema.get("type")
    kinds = kind if isinstance(kind, list) else [kind] if kind else []
    return not kinds or any(KINDS.get(k, lambda v: False)(value) for k in kinds)


def _function(tool: Any) -> dict | None:
    if isinstance(tool, dict) and tool.get("type") == "function" and isinstance(
            tool.get("function"), dict):
        return tool["function"]
    return None


@never_raises
def check_strict_tool(tool: Any) -> Verdict:
    """Is ``tool`` the split_bill tool, rewritten so that strict mode accepts it?"""
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
    if not isinstance(parameters, dict) or parameters.get("type") != "object":
        return report(False, "", 'The function needs its parameters: an object schema.')
    found = strict_problem(parameters)
    if found:
        return report(False, "", f"The API would answer 400: {found}")
    properties = parameters.get("properties") or {}
    if set(properties) != PROPERTIES:
        return report(False, "", "Keep the same four properties: total, people, tip_percent, "
                      "currency (no more, no fewer).")
    for name, value, ok in VALUES:
        if _allows(properties[name], value) == ok:
            continue
        if ok and value is None:
            hint = (" A nullable enum needs null among its values too." if "enum" in
                    properties[name] else ' Make it nullable: "type": ["number", "null"].')
            return report(False, "", f"{name} is optional, so strict mode needs it nullable: "
                          f"your schema refuses null.{hint}")
        if ok:
            return report(False, "", f"Your schema refuses {name} = {value!r}, which is valid: "
                          "keep the property's type and enum.")
        return report(False, "", f"Your schema accepts {name} = {value!r}, which it should "
                      "refuse: keep the property's type (and enum)" +
                      (" and make only the optional ones nullable." if value is None else "."))
    return report(True, "Strict mode accepts it: every property required, optional ones "
                  "nullable, no extra properties, types and enum kept.", "")


# split_bill arguments as a model might send them.
VALID = [
    ('{"total": 84.5, "people": 3, "tip_percent": 15, "currency": "EUR"}', "all four"),
    ('{"total": 84.5, "people": 3, "tip_percent": null, "currency": null}', "nulls"),
    ('{"total": 20, "people": 2}', "the optional ones left out"),
]
INVALID = [
    ('{"total": "eighty", "people": 3}', "total 'eighty'"),
    ('{"total": 80, "people": 2.5}', "2.5 people"),
    ('{"total": 80, "people": 2, "currency": "yen"}', "a currency not listed"),
    ('{"total": 80, "people": 2, "note": "birthday"}', "an extra field"),
    ('{"total": 80}', "people missing"),
    ('{"total": 80, "people": ', "broken JSON"),
]
HINTS = {"an extra field": ' Forbid extras: model_config = ConfigDict(extra="forbid").',
         "a currency not listed": ' Type it as Literal["EUR", "USD", "GBP"] | None.',
         "2.5 people": " people is a whole number: int.",
         "people missing": " total and people have no default: they are required."}


@never_raises
def check_split_bill_model(model: Any) -> Verdict:
    """Does the pydantic model accept exactly the valid split_bill arguments?"""
    import pydantic

    if model is None:
        return report(False, "", NOT_ANSWERED)
    if not (isinstance(model, type) and issubclass(model, pydantic.BaseModel)):
        return report(False, "", "Pass the class itself (class SplitBill(BaseModel): ...), "
                      "not an instance.")
    if set(model.model_fields) != PROPERTIES:
        return report(False, "", "Use the four field names total, people, tip_percent, currency.")
    for text, what in VALID:
        try:
            model.model_validate_json(text)
        except pydantic.ValidationError as error:
            first = error.errors()[0]
            return report(False, "", f"Valid arguments were refused ({what}): {first['msg']} "
                          f"at {first['loc']}. Optional fields need a default of None.")
    for text, what in INVALID:
        try:
            model.model_validate_json(text)
        except pydantic.ValidationError:
            continue
        return report(False, "", f"Invalid arguments got through ({what}).{HINTS.get(what, '')}")
    import openai

    parameters = openai.pydantic_function_tool(model)["function"]["parameters"]
    found = strict_problem(parameters)
    if found:  # the SDK makes schemas strict; custom json_schema_extra could still break them
        return report(False, "", f"openai.pydantic_function_tool(...) gives a schema strict mode "
                      f"refuses: {found}")
    return report(True, "Your model accepts the valid calls, refuses each bad one before it "
                  "runs, and renders a strict-mode schema with pydantic_function_tool.", "")
