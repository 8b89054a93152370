"""The stand-in fills structured output the way a model reads the text (lesson 7.21).

A schema's string ``name`` takes the person the text is about, an age is not a year, and in
JSON mode the shape the prompt describes (a JSON Schema, an example object or a sketch, in
the system prompt or the question) is followed.
"""

from __future__ import annotations

import json

import pytest

from course_lib.model import engine
from course_lib.model.behaviours.structured import described_schema, first_name_in
from course_lib.model.types import GenerationRequest, Message, Tool

PERSON = {
    "type": "object",
    "properties": {"name": {"type": "string"}, "age": {"type": "integer"}},
    "required": ["name", "age"],
    "additionalProperties": False,
}


def reply(messages: list[Message], **kwargs) -> str:
    return engine.generate(GenerationRequest("any", messages, **kwargs)).text


@pytest.mark.parametrize(("text", "expected"), [
    ("Ada Lovelace is 36.", {"name": "Ada Lovelace", "age": 36}),
    ("Extract the person: Ada Lovelace is 36 years old.", {"name": "Ada Lovelace", "age": 36}),
    ("Grace Hopper, aged 85, wrote the first compiler.", {"name": "Grace Hopper", "age": 85}),
    ("In 1843 Ada Lovelace, then 27, published her notes.", {"name": "Ada Lovelace", "age": 27}),
    ("My name is Alan and I am 41.", {"name": "Alan", "age": 41}),
])
def test_schema_fills_the_person_the_text_is_about(text, expected):
    assert json.loads(reply([Message("user", text)], json_schema=PERSON)) == expected


def test_forced_tool_arguments_take_the_name_too():
    tool = Tool("record_person", "Record a person's name and age.", PERSON)
    g = engine.generate(GenerationRequest("any", [Message("user", "Ada Lovelace is 36.")],
                                          tools=[tool], tool_choice="record_person"))
    assert json.loads(g.tool_calls[0].arguments) == {"name": "Ada Lovelace", "age": 36}


def test_no_name_in_the_text_stays_a_placeholder():
    assert first_name_in("the parser is 36 lines long") is None
    assert first_name_in("In JSON: Ada") == "Ada"


SYSTEM_SCHEMAS = [
    'Reply with a JSON object of this shape: {"name": string, "age": integer, "city": string}',
    'Answer in JSON like this example: {"name": "Jane Doe", "age": 30, "city": "Paris"}',
    "Answer in JSON matching this JSON Schema: " + json.dumps(
        {"type": "object", "properties": {"name": {"type": "string"}, "age": {"type": "integer"},
                                          "city": {"type": "string"}},
         "required": ["name", "age", "city"]}),
]


@pytest.mark.parametrize("system", SYSTEM_SCHEMAS)
def test_json_mode_follows_a_schema_in_the_system_prompt(system):
    text = reply([Message("system", system),
                  Message("user", "Ada Lovelace is 36 and lives in London.")], json_mode=True)
    assert json.loads(text) == {"name": "Ada Lovelace", "age": 36, "city": "London"}


def test_json_mode_follows_a_schema_in_the_question_and_keys_in_the_system_prompt():
    asked = ('Return JSON shaped like {"title": "...", "year": 0}. '
             "Text: Ada Lovelace published the Notes in 1843.")
    # The example's own values are not taken for answers; a title the stand-in cannot find is
    # its "unknown" placeholder (a real model would say "the Notes").
    assert json.loads(reply([Message("user", asked)], json_mode=True)) == {
        "title": "unknown", "year": 1843}
    keys = reply([Message("system", 'Answer in JSON with the keys "name" and "age".'),
                  Message("user", "Grace Hopper is 85.")], json_mode=True)
    assert json.loads(keys) == {"name": "Grace Hopper", "age": 85}


def test_a_repair_prompt_keeps_the_values_of_the_original_text():
    schema = {"type": "object", "properties": {"name": {"type": "string"},
                                               "age": {"type": "integer"},
                                               "city": {"type": "string"}}}
    messages = [Message("system", 'Reply in JSON with the keys "name" and "age".'),
                Message("user", "Ada Lovelace is 36 and lives in London."),
                Message("assistant", '{"name":"Ada Lovelace","age":36}'),
                Message("user", "That JSON does not validate: city: Field required. Reply with "
                        f"JSON matching this schema: {json.dumps(schema)}")]
    assert json.loads(reply(messages, json_mode=True)) == {
        "name": "Ada Lovelace", "age": 36, "city": "London"}


def test_described_schema_kinds():
    sketch, spans = described_schema('Use {"ok": bool, "tags": list}')
    assert sketch == {"type": "object", "properties": {"ok": {"type": "boolean"},
                                                        "tags": {"type": "array"}}}
    assert spans == ['{"ok": bool, "tags": list}']
    example, _ = described_schema('like {"n": 1.5, "items": ["a"], "inner": {"x": true}}')
    assert example["properties"]["n"] == {"type": "number"}
    assert example["properties"]["items"] == {"type": "array", "items": {"type": "string"}}
    assert example["properties"]["inner"]["properties"]["x"] == {"type": "boolean"}
    assert described_schema("no braces here") == (None, [])
    assert described_schema('a set {} and "{not json}"') == (None, [])
