"""How the stand-in fills tool arguments and picks between tools (README "Scripted behaviours").

A real model reads a tool's name and description to choose it, and the user's sentence to fill
its arguments: "How many kilometres is 26.2 miles?" converts *from* miles *to* kilometres, and
an optional (nullable) argument the user never gave is null. Driven through the openai SDK.
"""

from __future__ import annotations

import json

import openai
import pytest

from course_lib.clients import OFFLINE_KEY
from course_lib.config import default_model
from course_lib.model.behaviours.structured import pick_enum
from course_lib.tools.calculator import OPENAI_TOOL

MODEL = default_model("openai")
UNITS = ["kilometres", "miles", "kilograms", "pounds", "celsius", "fahrenheit"]
PRECISE = ("Convert a distance, weight or temperature from one unit to another, e.g. miles to "
           "kilometres. Use it, not the calculator, for any unit conversion.")


def convert_tool(description: str = PRECISE) -> dict:
    parameters = {
        "type": "object",
        "properties": {
            "value": {"type": "number"},
            "from_unit": {"type": "string", "enum": UNITS},
            "to_unit": {"type": "string", "enum": UNITS},
            "precision": {"type": ["integer", "null"]},
        },
        "required": ["value", "from_unit", "to_unit", "precision"],
        "additionalProperties": False,
    }
    return {"type": "function", "function": {"name": "convert_units", "description": description,
                                             "parameters": parameters, "strict": True}}


@pytest.fixture(scope="module")
def client(url: str) -> openai.OpenAI:
    return openai.OpenAI(base_url=url + "/v1", api_key=OFFLINE_KEY, max_retries=0, timeout=20)


def calls(client, question: str, tools: list, choice: str = "required") -> list[tuple[str, dict]]:
    r = client.chat.completions.create(model=MODEL, messages=[{"role": "user", "content": question}],
                                       tools=tools, tool_choice=choice, max_completion_tokens=100)
    return [(c.function.name, json.loads(c.function.arguments))
            for c in r.choices[0].message.tool_calls or []]


@pytest.mark.parametrize("question", [
    "How many kilometres is 26.2 miles?",
    "Convert 26.2 miles to kilometres.",
    "Convert 26.2 miles into kilometres, please",
    "What is 26.2 miles in kilometres?",
])
def test_direction_words_decide_from_and_to(client, question):
    [(name, args)] = calls(client, question, [OPENAI_TOOL, convert_tool()])
    assert name == "convert_units"
    assert args == {"value": 26.2, "from_unit": "miles", "to_unit": "kilometres", "precision": None}


def test_direction_words_in_pick_enum():
    assert pick_enum(UNITS, "from 5 pounds to kilograms", key="to_unit") == "kilograms"
    assert pick_enum(UNITS, "from 5 pounds to kilograms", key="from_unit") == "pounds"


def test_two_enum_fields_without_direction_words_take_distinct_values():
    assert pick_enum(UNITS, "miles and kilometres", taken=[]) == "miles"
    assert pick_enum(UNITS, "miles and kilometres", taken=["miles"]) == "kilometres"
    assert pick_enum(UNITS, "nothing named", taken=["miles"]) == "kilometres"  # the first option


def test_the_description_steers_the_choice_between_two_tools(client):
    question = "How many kilometres is 26.2 miles?"
    vague = convert_tool("Converts things.")
    # No word of the question is in the vague tool's name or description: offered both, with
    # auto the stand-in calls neither; forced, it takes the first tool (a poor pick).
    assert calls(client, question, [OPENAI_TOOL, vague], "auto") == []
    assert calls(client, question, [OPENAI_TOOL, vague])[0][0] == "calculator"
    assert calls(client, question, [OPENAI_TOOL, convert_tool()], "auto")[0][0] == "convert_units"
    # Arithmetic still goes to the calculator, whatever else is offered.
    assert calls(client, "What is 26.2 * 1.609344?", [convert_tool(), OPENAI_TOOL]) == [
        ("calculator", {"expression": "26.2 * 1.609344"})]


def test_the_precision_the_user_asks_for_is_used(client):
    [(_, args)] = calls(client, "Convert 100 fahrenheit to celsius with 1 decimal place.",
                        [convert_tool()])
    assert args["from_unit"] == "fahrenheit" and args["to_unit"] == "celsius"
    assert args["value"] == 100 and args["precision"] == 1


def test_optional_arguments_appear_only_when_the_text_gives_them(client):
    loose = convert_tool()
    params = loose["function"]["parameters"]
    params["properties"]["precision"] = {"type": "integer"}
    params["required"] = ["value", "from_unit", "to_unit"]
    del params["additionalProperties"], loose["function"]["strict"]
    [(_, args)] = calls(client, "Convert 26.2 miles to kilometres.", [loose])
    assert args == {"value": 26.2, "from_unit": "miles", "to_unit": "kilometres"}
    [(_, args)] = calls(client, "Convert 26.2 miles to kilometres, 3 decimal places.", [loose])
    assert args["precision"] == 3 and args["value"] == 26.2  # required first: value keeps 26.2


def test_a_nullable_enum_the_text_does_not_mention_is_null():
    assert pick_enum(["EUR", "USD", None], "split 80 between 3") is None
    assert pick_enum(["EUR", "USD", None], "split 80 USD between 3") == "USD"


def test_a_forced_tool_choice_forces_a_call_after_tool_results_too(client):
    # A real model under tool_choice "required" (or a named tool) must call a tool on every
    # request, also after results came back; only "auto" or "none" lets it answer in text.
    question = [{"role": "user", "content": "What is 6 * 7?"}]
    first = client.chat.completions.create(model=MODEL, messages=question, tools=[OPENAI_TOOL],
                                           tool_choice="required", max_completion_tokens=100)
    call = first.choices[0].message.tool_calls[0]
    history = question + [
        {"role": "assistant", "content": None, "tool_calls": [call.to_dict()]},
        {"role": "tool", "tool_call_id": call.id, "content": "42"}]
    for choice in ("required", {"type": "function", "function": {"name": "calculator"}}):
        again = client.chat.completions.create(model=MODEL, messages=history, tools=[OPENAI_TOOL],
                                               tool_choice=choice, max_completion_tokens=100)
        assert again.choices[0].finish_reason == "tool_calls", choice
    for choice in ("auto", "none"):
        answer = client.chat.completions.create(model=MODEL, messages=history,
                                                tools=[OPENAI_TOOL], tool_choice=choice,
                                                max_completion_tokens=100)
        assert answer.choices[0].message.content == "6 * 7 = 42.", choice
