"""Lesson 7.16's checks: a tool made strict, and a pydantic model that validates arguments."""

import copy
from typing import Literal

import pytest
from pydantic import BaseModel, ConfigDict, Field

from course_lib.exercises import check_split_bill_model, check_strict_tool
from course_lib.exercises.lesson_7_16 import _allows as allows

SOLUTION = {
    "type": "function",
    "function": {
        "name": "split_bill",
        "description": "Split a restaurant bill between people, with an optional tip.",
        "strict": True,
        "parameters": {
            "type": "object",
            "properties": {
                "total": {"type": "number"},
                "people": {"type": "integer"},
                "tip_percent": {"type": ["number", "null"]},
                "currency": {"type": ["string", "null"], "enum": ["EUR", "USD", "GBP", None]},
            },
            "required": ["total", "people", "tip_percent", "currency"],
            "additionalProperties": False,
        },
    },
}


def variant(change):
    tool = copy.deepcopy(SOLUTION)
    change(tool["function"], tool["function"]["parameters"])
    return tool


def test_strict_tool_accepts_the_solution_and_an_anyof_spelling(verdict):
    verdict(check_strict_tool(SOLUTION), True)

    def any_of(function, parameters):
        parameters["properties"]["tip_percent"] = {"anyOf": [{"type": "number"},
                                                             {"type": "null"}]}

    verdict(check_strict_tool(variant(any_of)), True)


@pytest.mark.parametrize(("change", "hint"), [
    (lambda f, p: f.pop("strict"), '"strict": True'),
    (lambda f, p: p.pop("additionalProperties"), "additionalProperties"),
    (lambda f, p: p.update(required=["total", "people"]), "Missing 'tip_percent'"),
    (lambda f, p: p["properties"].update(tip_percent={"type": "number"}), "nullable"),
    (lambda f, p: p["properties"].update(currency={"type": ["string", "null"],
                                                   "enum": ["EUR", "USD", "GBP"]}),
     "null among its values"),
    (lambda f, p: p["properties"].update(people={"type": ["number", "null"]}), "people"),
    (lambda f, p: p["properties"].update(currency={"type": ["string", "null"]}), "yen"),
    (lambda f, p: f.update(name="bill"), "split_bill"),
    (lambda f, p: (p["properties"].pop("currency"), p["required"].remove("currency")),
     "four properties"),
])
def test_strict_tool_rejects_each_mistake(verdict, change, hint):
    out = verdict(check_strict_tool(variant(change)), False)
    assert hint in out, out


def test_strict_tool_unanswered_and_malformed(verdict):
    verdict(check_strict_tool(None), False)
    verdict(check_strict_tool({"name": "split_bill"}), False)
    verdict(check_strict_tool(SOLUTION["function"]), False)


def test_allows():
    assert allows({"type": "integer"}, 3) and not allows({"type": "integer"}, True)
    assert allows({"anyOf": [{"type": "string"}, {"type": "null"}]}, None)
    assert not allows({"type": "string", "enum": ["a"]}, "b")


class SplitBill(BaseModel):  # the lesson's solution
    model_config = ConfigDict(extra="forbid")
    total: float = Field(description="The bill before the tip.")
    people: int
    tip_percent: float | None = None
    currency: Literal["EUR", "USD", "GBP"] | None = None


def test_split_bill_model(verdict):
    verdict(check_split_bill_model(None), False)
    assert "class itself" in verdict(check_split_bill_model(SplitBill(total=1, people=1)), False)
    verdict(check_split_bill_model(SplitBill), True)

    class Extras(BaseModel):
        total: float
        people: int
        tip_percent: float | None = None
        currency: Literal["EUR", "USD", "GBP"] | None = None

    assert "extra" in verdict(check_split_bill_model(Extras), False)

    class AnyCurrency(SplitBill):
        currency: str | None = None

    assert "Literal" in verdict(check_split_bill_model(AnyCurrency), False)

    class NoDefaults(SplitBill):
        tip_percent: float | None
        currency: Literal["EUR", "USD", "GBP"] | None

    assert "default" in verdict(check_split_bill_model(NoDefaults), False)

    class FloatPeople(SplitBill):
        people: float

    assert "whole number" in verdict(check_split_bill_model(FloatPeople), False)

    class Renamed(BaseModel):
        model_config = ConfigDict(extra="forbid")
        amount: float
        people: int
        tip_percent: float | None = None
        currency: Literal["EUR", "USD", "GBP"] | None = None

    assert "field names" in verdict(check_split_bill_model(Renamed), False)
