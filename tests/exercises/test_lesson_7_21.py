"""Lesson 7.21's checks: a strict event schema by hand, validating a model's reply."""

import copy

from pydantic import BaseModel, ValidationError

from course_lib.exercises import check_strict_event_schema, check_validate_reply

EVENT = {
    "type": "object",
    "properties": {
        "title": {"type": "string"},
        "date": {"type": "string"},
        "attendees": {"type": "array", "items": {"type": "string"}},
        "location": {"type": ["string", "null"]},
    },
    "required": ["title", "date", "attendees", "location"],
    "additionalProperties": False,
}


def test_strict_event_schema(verdict):
    verdict(check_strict_event_schema(None), False)
    verdict(check_strict_event_schema("not a dict"), False)
    verdict(check_strict_event_schema(EVENT), True)
    any_of = copy.deepcopy(EVENT)
    any_of["properties"]["location"] = {"anyOf": [{"type": "string"}, {"type": "null"}]}
    verdict(check_strict_event_schema(any_of), True)  # the other way to say "or null"

    open_object = {k: v for k, v in EVENT.items() if k != "additionalProperties"}
    assert "additionalProperties" in verdict(check_strict_event_schema(open_object), False)
    optional = EVENT | {"required": ["title", "date", "attendees"]}
    assert "required" in verdict(check_strict_event_schema(optional), False)
    not_null = copy.deepcopy(EVENT)
    not_null["properties"]["location"] = {"type": "string"}
    assert "null" in verdict(check_strict_event_schema(not_null), False)
    loose_items = copy.deepcopy(EVENT)
    loose_items["properties"]["attendees"] = {"type": "array"}
    assert "numbers" in verdict(check_strict_event_schema(loose_items), False)
    one_string = copy.deepcopy(EVENT)
    one_string["properties"]["attendees"] = {"type": "string"}
    verdict(check_strict_event_schema(one_string), False)
    extra = copy.deepcopy(EVENT)
    extra["properties"]["room"] = {"type": "string"}
    extra["required"].append("room")
    verdict(check_strict_event_schema(extra), False)
    nested_open = copy.deepcopy(EVENT)
    nested_open["properties"]["attendees"] = {
        "type": "array", "items": {"type": "object", "properties": {"n": {"type": "string"}}}}
    verdict(check_strict_event_schema(nested_open), False)


class Person(BaseModel):
    name: str
    age: int


def validate_reply(text):  # the lesson's solution
    body = text.strip()
    if body.startswith("```"):
        body = body.split("\n", 1)[-1].rsplit("```", 1)[0]
    try:
        return Person.model_validate_json(body)
    except ValidationError as err:
        return "; ".join(f"{'.'.join(map(str, e['loc'])) or 'reply'}: {e['msg']}"
                         for e in err.errors())


def test_validate_reply(verdict):
    verdict(check_validate_reply(None), False)
    verdict(check_validate_reply(42), False)
    verdict(check_validate_reply(lambda text: None), False)

    def raises(text):
        return Person.model_validate_json(text)

    assert "ValidationError" in verdict(check_validate_reply(raises), False)

    def no_fence(text):
        try:
            return Person.model_validate_json(text)
        except ValidationError as err:
            return str(err)

    assert "fence" in verdict(check_validate_reply(no_fence), False)

    def vague(text):
        result = validate_reply(text)
        return result if isinstance(result, Person) else "invalid"

    assert "name the field" in verdict(check_validate_reply(vague), False)

    def dicts(text):  # returns the data as a dict: also accepted
        result = validate_reply(text)
        return result.model_dump() if isinstance(result, Person) else result

    verdict(check_validate_reply(dicts), True)
    verdict(check_validate_reply(validate_reply), True)
