"""Strict schemas through the real ``openai`` SDK: the stand-in refuses what OpenAI refuses.

With ``strict: true`` every object needs ``additionalProperties: false`` and every property in
``required`` (facts.md §13; the wording and sources are in course_lib/offline/openai/strict.py).
The SDK's own helpers (``parse(response_format=Model)``, ``pydantic_function_tool``) produce
schemas that obey the rules, so they must be accepted.
"""

from __future__ import annotations

from typing import Literal

import openai
import pytest
from pydantic import BaseModel, ConfigDict, Field

from course_lib.clients import OFFLINE_KEY
from course_lib.config import default_model
from course_lib.offline.openai import strict as openai_strict
from course_lib.tools import calculator

MODEL = default_model("openai")
ASK = [{"role": "user", "content": "Ada Lovelace was 36 and lived in London."}]
LOOSE = {"type": "object", "properties": {"name": {"type": "string"}, "age": {"type": "integer"}},
         "required": ["name"]}
STRICT_OK = {**LOOSE, "required": ["name", "age"], "additionalProperties": False}


@pytest.fixture(scope="module")
def client(url: str) -> openai.OpenAI:
    return openai.OpenAI(base_url=url + "/v1", api_key=OFFLINE_KEY, max_retries=0, timeout=20)


def schema_format(schema: dict, strict: bool = True, name: str = "person") -> dict:
    return {"type": "json_schema", "json_schema": {"name": name, "schema": schema, "strict": strict}}


def tool(parameters: dict, strict: bool = True, name: str = "save_person") -> dict:
    return {"type": "function", "function": {"name": name, "description": "Save a person.",
                                             "parameters": parameters, "strict": strict}}


def bad_request(client, **kwargs) -> openai.BadRequestError:
    with pytest.raises(openai.BadRequestError) as info:
        client.chat.completions.create(model=MODEL, messages=ASK, max_completion_tokens=50,
                                       **kwargs)
    err = info.value
    assert err.status_code == 400 and err.body["type"] == "invalid_request_error"
    return err


# ---------------------------------------------------------------------------------------
# response_format


def test_strict_response_format_without_additional_properties_is_the_real_400(client):
    schema = {**LOOSE, "required": ["name", "age"]}
    err = bad_request(client, response_format=schema_format(schema))
    assert err.param == "response_format" and err.code is None
    assert err.body["message"] == (
        "Invalid schema for response_format 'person': In context=(), 'additionalProperties' "
        "is required to be supplied and to be false.")


def test_strict_response_format_with_an_optional_property_is_the_real_400(client):
    schema = {**LOOSE, "additionalProperties": False}  # "age" is not required
    err = bad_request(client, response_format=schema_format(schema))
    assert err.param == "response_format"
    assert err.body["message"] == (
        "Invalid schema for response_format 'person': In context=(), 'required' is required to "
        "be supplied and to be an array including every key in properties. Missing 'age'.")


def test_nested_objects_are_checked_with_their_context(client):
    schema = {"type": "object", "additionalProperties": False, "required": ["people"],
              "properties": {"people": {"type": "array", "items": LOOSE}}}
    err = bad_request(client, response_format=schema_format(schema, name="crowd"))
    assert err.body["message"].startswith(
        "Invalid schema for response_format 'crowd': In context=('properties', 'people', "
        "'items'), 'additionalProperties' is required")
    defs = {"type": "object", "properties": {"home": {"$ref": "#/$defs/Place"}},
            "required": ["home"], "additionalProperties": False,
            "$defs": {"Place": {"type": "object", "properties": {"city": {"type": "string"}},
                                "additionalProperties": False}}}
    err = bad_request(client, response_format=schema_format(defs))
    assert "In context=('$defs', 'Place'), 'required' is required" in err.body["message"]
    assert err.body["message"].endswith("Missing 'city'.")


def test_non_strict_schemas_keep_their_freedom(client):
    r = client.chat.completions.create(model=MODEL, messages=ASK, max_completion_tokens=50,
                                       response_format=schema_format(LOOSE, strict=False))
    assert r.choices[0].message.content.startswith("{")
    r = client.chat.completions.create(model=MODEL, messages=ASK, max_completion_tokens=50,
                                       response_format=schema_format(STRICT_OK))
    assert r.choices[0].finish_reason == "stop"


class Address(BaseModel):
    city: str
    country: str | None = None


class Person(BaseModel):
    name: str
    age: int | None = Field(default=None, description="Age in years, if stated.")
    mood: Literal["happy", "sad"] = "happy"
    address: Address | None = None
    pets: list[Address] = []


def test_the_sdks_parse_helper_is_accepted(client):
    r = client.chat.completions.parse(model=MODEL, messages=ASK, response_format=Person,
                                      max_completion_tokens=200)
    assert isinstance(r.choices[0].message.parsed, Person)


# ---------------------------------------------------------------------------------------
# function tools


def test_a_strict_tool_without_additional_properties_is_the_real_400(client):
    parameters = {**LOOSE, "required": ["name", "age"]}
    err = bad_request(client, tools=[calculator.OPENAI_TOOL, tool(parameters)])
    assert err.param == "tools[1].function.parameters"
    assert err.code == "invalid_function_parameters"
    assert err.body["message"] == (
        "Invalid schema for function 'save_person': In context=(), 'additionalProperties' is "
        "required to be supplied and to be false.")


def test_a_strict_tool_with_an_optional_property_is_the_real_400(client):
    err = bad_request(client, tools=[tool({**LOOSE, "additionalProperties": False})])
    assert err.param == "tools[0].function.parameters"
    assert err.body["message"].endswith(
        "'required' is required to be supplied and to be an array including every key in "
        "properties. Missing 'age'.")
    extra = {**STRICT_OK, "required": ["name", "age", "email"]}
    err = bad_request(client, tools=[tool(extra)])
    assert "Extra required key 'email' supplied." in err.body["message"]


def test_a_non_strict_tool_may_have_optional_properties(client):
    r = client.chat.completions.create(model=MODEL, messages=ASK, max_completion_tokens=50,
                                       tools=[tool(LOOSE, strict=False)], tool_choice="required")
    assert r.choices[0].message.tool_calls[0].function.name == "save_person"


def test_pydantic_function_tool_and_the_course_calculator_are_accepted(client):
    r = client.chat.completions.create(
        model=MODEL, messages=ASK, max_completion_tokens=100,
        tools=[openai.pydantic_function_tool(Person), calculator.OPENAI_TOOL],
        tool_choice={"type": "function", "function": {"name": "Person"}})
    call = r.choices[0].message.tool_calls[0]
    assert call.function.name == "Person"
    Person.model_validate_json(call.function.arguments)  # the filled arguments validate


def test_problem_is_silent_for_rule_abiding_schemas():
    assert openai_strict.problem(STRICT_OK) is None
    assert openai_strict.problem(calculator.OPENAI_TOOL["function"]["parameters"]) is None
    assert openai_strict.problem({"type": "string"}) is None
    empty = {"type": "object", "properties": {}, "additionalProperties": False}
    assert openai_strict.problem(empty) is None
    assert "'additionalProperties'" in openai_strict.problem({"type": ["object", "null"]})


class CalendarEvent(BaseModel):
    model_config = ConfigDict(extra="allow")  # pydantic writes "additionalProperties": true
    name: str
    date: str


def test_parse_with_extra_allow_is_the_400_users_report(client):
    # openai/openai-python #2052 quotes this exact body from the real API.
    with pytest.raises(openai.BadRequestError) as info:
        client.chat.completions.parse(model=MODEL, messages=ASK, response_format=CalendarEvent,
                                      max_completion_tokens=50)
    assert info.value.body == {
        "message": "Invalid schema for response_format 'CalendarEvent': In context=(), "
                   "'additionalProperties' is required to be supplied and to be false.",
        "type": "invalid_request_error", "param": "response_format", "code": None}


def test_streamed_requests_are_checked_too(client):
    with pytest.raises(openai.BadRequestError):
        client.chat.completions.create(model=MODEL, messages=ASK, stream=True,
                                       tools=[tool({**LOOSE, "additionalProperties": False})])
