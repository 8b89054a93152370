"""The stand-in's engine: n-gram sampling plus the documented scripted behaviours."""

from __future__ import annotations

import json
import re
import uuid
from random import Random

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from course_lib.model import engine
from course_lib.model.behaviours import memory
from course_lib.model.behaviours.tools import expressions
from course_lib.model.ngram import NGramModel, corpus
from course_lib.model.types import (
    Generation,
    GenerationRequest,
    InvalidRequest,
    Message,
    Tool,
    ToolCall,
)

jsonschema = pytest.importorskip("jsonschema")

CALCULATOR = Tool(
    "calculator",
    "Evaluate an arithmetic expression exactly.",
    {
        "type": "object",
        "properties": {"expression": {"type": "string"}},
        "required": ["expression"],
        "additionalProperties": False,
    },
)
WEATHER = Tool(
    "get_weather",
    "Get the current weather for a city.",
    {
        "type": "object",
        "properties": {
            "city": {"type": "string"},
            "unit": {"type": "string", "enum": ["celsius", "fahrenheit"]},
        },
        "required": ["city"],
    },
)


def ask(*turns: str | Message, **options) -> Generation:
    """generate() for a conversation; plain strings alternate user, assistant, user, ..."""
    messages = [
        t if isinstance(t, Message) else Message("user" if i % 2 == 0 else "assistant", t)
        for i, t in enumerate(turns)
    ]
    return engine.generate(GenerationRequest(model="stand-in", messages=messages, **options))


def consistent(g: Generation) -> bool:
    """The tokens' bytes join to the text, which is valid UTF-8."""
    return b"".join(t.text for t in g.tokens) == g.text.encode("utf-8")


# ------------------------------------------------------------------------------------------
# n-gram sampling


def test_same_request_same_generation_and_greedy_ignores_the_seed() -> None:
    assert ask("A list is", seed=5) == ask("A list is", seed=5)
    assert len({ask("A list is", seed=s).text for s in range(4)}) > 1
    assert len({ask("A list is", temperature=0, seed=s).text for s in range(4)}) == 1
    assert ask("A list is", seed=None) == ask("A list is", seed=0)


def test_sampled_text_reports_the_models_logprobs() -> None:
    g = ask("The function", seed=2, top_logprobs=5)
    assert g.behaviour == "ngram" and g.finish_reason == "stop" and g.text and consistent(g)
    for token in g.tokens:
        assert token.logprob <= 0 and 0 < len(token.top) <= 5  # fewer if fewer candidates
        assert [lp for *_, lp in token.top] == sorted((lp for *_, lp in token.top), reverse=True)
    assert ask("The function", seed=2).tokens[0].top == []


@pytest.mark.parametrize("max_tokens", [1, 3, 8])
def test_max_tokens_cuts_with_finish_reason_length(max_tokens: int) -> None:
    for seed in range(5):
        g = ask("Tell me about dictionaries", seed=seed, max_tokens=max_tokens)
        assert g.finish_reason == "length" and 0 < len(g.tokens) <= max_tokens and consistent(g)


def test_stop_strings_end_the_text_before_them() -> None:
    full = ask("A list is", temperature=0).text
    stop = full.split()[3]
    g = ask("A list is", temperature=0, stop=["zzz", stop])
    assert g.finish_reason == "stop_sequence" and g.stop_sequence == stop
    assert g.text == full[: full.index(stop)] and consistent(g)


def test_text_never_splits_a_character(monkeypatch: pytest.MonkeyPatch) -> None:
    # Emoji and accents take several tokens each; any cut could land inside a character.
    emoji = NGramModel.train("🎉 naïve café 🚀 déjà vu. 😀 ünïcödé 🎉🚀 crème brûlée. " * 20, n=3)
    monkeypatch.setattr(engine, "default_model", lambda: emoji)
    for seed in range(20):
        for max_tokens in (None, 1, 2, 5, 9):
            g = ask("🎉", seed=seed, max_tokens=max_tokens, temperature=1.5)
            assert consistent(g)


# ------------------------------------------------------------------------------------------
# tools


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("What is 1234 * 5678?", ["1234 * 5678"]),
        ("Compute 2+2 and 3*7", ["2+2", "3*7"]),
        ("what's (17 + 25) / 6?", ["(17 + 25) / 6"]),
        ("What is 7 times 6 plus 2 squared?", ["7 * 6 + 2 ** 2"]),
        ("And 2^10, 1,000 x 3 and sqrt(16) / 2?", ["2 ** 10", "1000 * 3", "sqrt(16) / 2"]),
        ("In 2024 I had 3 cats, born 2021-05-04.", []),
    ],
)
def test_arithmetic_is_found_the_way_a_model_would_write_it(text: str, found: list[str]) -> None:
    assert expressions(text) == found


def test_the_calculator_is_called_once_per_expression() -> None:
    g = ask("Compute 2+2 and 3*7", tools=[WEATHER, CALCULATOR])
    assert g.finish_reason == "tool_calls" and g.text == "" and g.behaviour == "calculator"
    assert [(c.name, json.loads(c.arguments)) for c in g.tool_calls] == [
        ("calculator", {"expression": "2+2"}),
        ("calculator", {"expression": "3*7"}),
    ]
    assert len({c.id for c in g.tool_calls}) == 2 and g == ask(
        "Compute 2+2 and 3*7", tools=[WEATHER, CALCULATOR]
    )
    one = ask("Compute 2+2 and 3*7", tools=[CALCULATOR], parallel_tool_calls=False)
    assert [c.arguments for c in one.tool_calls] == ['{"expression":"2+2"}']


def test_tool_choice_none_and_unrelated_prompts_get_text() -> None:
    assert ask("What is 1234 * 5678?", tools=[CALCULATOR], tool_choice="none").tool_calls == []
    g = ask("Tell me a story", tools=[CALCULATOR, WEATHER])
    assert g.tool_calls == [] and g.behaviour == "ngram"


def test_required_or_named_tool_choice_always_calls() -> None:
    g = ask("Hello there", tools=[CALCULATOR], tool_choice="required")
    assert [(c.name, c.arguments) for c in g.tool_calls] == [
        ("calculator", '{"expression":"Hello there"}')
    ]
    named = ask("What is 2+2?", tools=[CALCULATOR, WEATHER], tool_choice="get_weather")
    assert [c.name for c in named.tool_calls] == ["get_weather"]


def test_a_tool_named_by_the_prompt_is_called_with_arguments_from_it() -> None:
    g = ask("What's the weather in Paris in fahrenheit?", tools=[CALCULATOR, WEATHER])
    (call,) = g.tool_calls
    arguments = json.loads(call.arguments)
    # The optional unit is given ("in fahrenheit"), so it is filled, as a model would.
    assert call.name == "get_weather" and arguments == {"city": "Paris", "unit": "fahrenheit"}
    jsonschema.validate(arguments, WEATHER.parameters)
    g = ask("What's the weather in Paris?", tools=[CALCULATOR, WEATHER])
    assert json.loads(g.tool_calls[0].arguments) == {"city": "Paris"}  # not given: left out


def test_tool_calls_that_do_not_fit_max_tokens_give_length() -> None:
    g = ask("What is 1234 * 5678?", tools=[CALCULATOR], max_tokens=3)
    assert g.finish_reason == "length" and g.tool_calls == []


def _after_call(arguments: str, *results: Message) -> list[Message]:
    calls = [ToolCall(f"call_{i}", "calculator", a) for i, a in enumerate(arguments.split("|"))]
    return [Message("user", "Please calculate."), Message("assistant", tool_calls=calls), *results]


def test_tool_results_are_phrased_as_the_final_answer() -> None:
    messages = _after_call(
        '{"expression":"2 * (3 + 4) ** 2"}', Message("tool", "98", tool_call_id="call_0")
    )
    g = engine.generate(GenerationRequest("m", messages, tools=[CALCULATOR]))
    assert (g.text, g.finish_reason, g.behaviour) == (
        "2 * (3 + 4) ** 2 = 98.",
        "stop",
        "tool_result",
    )

    messages = _after_call(
        '{"expression":"1/0"}|{"expression":"2+2"}',
        Message("tool", "Error: division by zero", tool_call_id="call_0"),
        Message("tool", '{"result": 4}', tool_call_id="call_1"),
    )
    g = engine.generate(GenerationRequest("m", messages, tools=[CALCULATOR]))
    assert g.text == "The calculator tool failed: division by zero. 2+2 = 4."


# ------------------------------------------------------------------------------------------
# structured output

PERSON = {
    "type": "object",
    "properties": {"name": {"type": "string"}, "age": {"type": "integer"}},
    "required": ["name", "age"],
    "additionalProperties": False,
}
SCHEMAS = [
    PERSON,
    {
        "name": "event",
        "strict": True,
        "schema": {  # OpenAI's response_format.json_schema
            "type": "object",
            "additionalProperties": False,
            "required": ["name", "date", "participants"],
            "properties": {
                "name": {"type": "string"},
                "date": {"type": "string"},
                "participants": {"type": "array", "items": {"type": "string"}},
            },
        },
    },
    {
        "type": "object",
        "required": ["sentiment", "score", "tags"],
        "properties": {
            "sentiment": {"enum": ["positive", "negative", "neutral"]},
            "score": {"type": "number", "minimum": 0, "maximum": 1},
            "tags": {"type": "array", "items": {"type": "string"}, "minItems": 2},
        },
    },
    {
        "$defs": {
            "Address": {
                "type": "object",
                "properties": {"city": {"type": "string"}},
                "required": ["city"],
                "additionalProperties": False,
            }
        },
        "type": "object",
        "required": ["owner", "address", "nickname", "pets", "active"],
        "properties": {
            "owner": {"$ref": "#/$defs/Address"},
            "address": {"$ref": "#/$defs/Address"},
            "nickname": {"anyOf": [{"type": "string"}, {"type": "null"}]},
            "pets": {
                "type": "array",
                "items": {
                    "type": "object",
                    "properties": {
                        "kind": {"type": "string", "enum": ["cat", "dog"]},
                        "legs": {"type": "integer"},
                    },
                    "required": ["kind", "legs"],
                },
            },
            "active": {"type": ["boolean", "null"]},
        },
    },
]


@pytest.mark.parametrize("schema", SCHEMAS)
def test_json_schema_output_validates(schema: dict) -> None:
    prompt = "Alice and Bob love the fair on Friday. I live in Paris and I have 2 dogs."
    g = ask(prompt, json_schema=schema)
    assert g.behaviour == "json_schema" and g.finish_reason == "stop" and consistent(g)
    jsonschema.validate(json.loads(g.text), schema.get("schema", schema))


def _node(name: str, fields: dict, required: list[str]) -> dict:
    return {"$defs": {name: {"type": "object", "properties": fields, "required": required}},
            "$ref": f"#/$defs/{name}"}


RECURSIVE = {
    "linked list": _node(
        "Node",
        {"value": {"type": "integer"},
         "next": {"anyOf": [{"$ref": "#/$defs/Node"}, {"type": "null"}]}},
        ["value", "next"],
    ),
    "tree": _node(
        "Tree",
        {"name": {"type": "string"}, "children": {"type": "array", "items": {"$ref": "#/$defs/Tree"}}},
        ["name", "children"],
    ),
    "nullable type list": _node(
        "N", {"kids": {"type": ["array", "null"], "items": {"$ref": "#/$defs/N"}, "minItems": 1}},
        ["kids"],
    ),
    "optional child": _node("N", {"id": {"type": "integer"}, "child": {"$ref": "#/$defs/N"}}, ["id"]),
    "reference to the root": {
        "type": "object",
        "properties": {"v": {"type": "integer"},
                       "next": {"oneOf": [{"$ref": "#"}, {"type": "null"}]}},
        "required": ["v", "next"],
    },
    "a scalar ends it": {
        "$defs": {"E": {"anyOf": [{"$ref": "#/$defs/P"}, {"type": "string"}]},
                  "P": {"type": "object", "properties": {"e": {"$ref": "#/$defs/E"}},
                        "required": ["e"]}},
        "$ref": "#/$defs/E",
    },
}


@pytest.mark.parametrize("name", RECURSIVE)
def test_recursive_schemas_are_filled_a_few_levels_deep_and_validate(name) -> None:
    schema = RECURSIVE[name]
    g = ask("The values are 3, 1, 4, 1, 5, 9, 2, 6, 5, 3, 5.", json_schema=schema)
    assert g.behaviour == "json_schema" and g.finish_reason == "stop"
    jsonschema.validate(json.loads(g.text), schema)
    assert g.text.count("{") <= 10  # a few levels, then the smallest valid value


def test_a_deep_schema_that_does_not_contain_itself_is_filled_in_full() -> None:
    schema: dict = {"type": ["integer", "null"]}
    for name in "gfedcba":  # eight levels of objects
        schema = {"type": "object", "properties": {name: schema}, "required": [name]}
    value = json.loads(ask("I am 36.", json_schema=schema).text)
    for name in "abcdefg":
        value = value[name]
    assert value == 36


def test_a_recursive_linked_list_takes_the_text_s_numbers_in_order() -> None:
    value = json.loads(ask("3, 1, 4, 1, 5, 9, 2, 6", json_schema=RECURSIVE["linked list"]).text)
    values = []
    while value is not None:
        values.append(value["value"])
        value = value["next"]
    assert values == [3, 1, 4, 1, 5, 9, 2] + [6][: len(values) - 7]


@pytest.mark.parametrize(
    "schema",
    [
        _node("N", {"n": {"$ref": "#/$defs/N"}}, ["n"]),  # no finite instance
        {"$defs": {"A": {"anyOf": [{"$ref": "#/$defs/A"}]}}, "$ref": "#/$defs/A"},
        {"$defs": {"A": {"$ref": "#/$defs/B"}, "B": {"$ref": "#/$defs/A"}}, "$ref": "#/$defs/A"},
        {"type": "array", "minItems": 1000, "items": {"type": "array", "minItems": 1000}},
    ],
)
def test_schemas_without_a_small_finite_instance_are_invalid_requests(schema) -> None:
    with pytest.raises(InvalidRequest):
        ask("Hi", json_schema=schema)
    inner = {k: v for k, v in schema.items() if k != "$defs"}
    parameters = {"type": "object", "properties": {"x": inner}, "required": ["x"]}
    tool = Tool("build", "Build it.", {**parameters, "$defs": schema.get("$defs", {})})
    with pytest.raises(InvalidRequest):
        ask("Build it", tools=[tool], tool_choice="required")


def test_json_schema_values_come_from_the_conversation() -> None:
    assert json.loads(ask("My name is Ada and I am 36.", json_schema=PERSON).text) == {
        "name": "Ada",
        "age": 36,
    }
    event = json.loads(
        ask("Alice and Bob are going to a science fair on Friday.", json_schema=SCHEMAS[1]).text
    )
    assert event["date"] == "Friday" and event["participants"] == ["Alice", "Bob"]
    review = json.loads(ask("I love it, the best kettle ever.", json_schema=SCHEMAS[2]).text)
    assert review["sentiment"] == "positive"


def test_json_mode_gives_a_json_object() -> None:
    named = ask(
        'Reply in JSON with keys "name" and "age". My name is Ada, I am 36.', json_mode=True
    )
    assert json.loads(named.text) == {"name": "Ada", "age": 36}
    assert set(json.loads(ask("Tell me about lists", json_mode=True, seed=1).text)) == {"answer"}
    assert json.loads(ask("Who are you?", json_mode=True).text)["answer"].startswith("I'm the")


def test_json_cut_by_max_tokens_reports_length() -> None:
    g = ask("My name is Ada and I am 36.", json_schema=PERSON, max_tokens=4)
    assert g.finish_reason == "length" and len(g.tokens) == 4 and consistent(g)


# ------------------------------------------------------------------------------------------
# memory, documents, introductions


def test_memory_recalls_facts_from_this_request_only() -> None:
    assert (
        ask("My name is Ada.", "Nice to meet you!", "What is my name?").text == "Your name is Ada."
    )
    forgot = ask("What is my name?")
    assert forgot.text.startswith("I don't know your name") and forgot.behaviour == "memory"
    g = ask(
        "My name is Ada. My favourite colour is green.",
        "OK.",
        "I live in Oslo and I'm 36.",
        "Noted.",
        "Actually, my name is Grace.",
        "Sure.",
        "What's my name, my favorite color, how old am I and where do I live?",
    )
    assert g.text == (
        "Your name is Grace. Your favourite colour is green. You are 36 years old. "
        "You live in Oslo."
    )
    assert ask("How old am I?").text.startswith("I don't know how old you are")


def _kv_prompt(pairs: dict[str, str], key: str) -> str:
    data = "{" + ",\n ".join(f'"{k}": "{v}"' for k, v in pairs.items()) + "}"
    return (
        "Extract the value corresponding to the specified key in the JSON object below.\n\n"
        f'JSON data:\n{data}\n\nKey: "{key}"\nCorresponding value:'
    )


def test_key_value_retrieval_is_exact_at_every_position() -> None:
    rng = Random(0)
    pairs = {
        str(uuid.UUID(int=rng.getrandbits(128))): str(uuid.UUID(int=rng.getrandbits(128)))
        for _ in range(75)
    }
    keys = list(pairs)
    for key in (keys[0], keys[37], keys[-1]):  # first, middle, last: all found
        g = ask(_kv_prompt(pairs, key))
        assert (g.text, g.behaviour) == (pairs[key], "document")


def test_questions_about_a_document_are_answered_from_it() -> None:
    book = corpus("kitchen")
    g = ask(f"<document>{book}</document>\n\nHow long should I boil an egg for a soft yolk?")
    assert "six minutes for a soft yolk" in g.text and g.behaviour == "document"
    system = Message("system", "Answer from this document:\n" + book)
    g = engine.generate(
        GenerationRequest("m", [system, Message("user", "What is the function of salt in bread?")])
    )
    assert "The function of the salt in bread" in g.text


def test_a_chunk_is_situated_in_its_document() -> None:
    document = (
        "# Kitchen Handbook\n\n## Knives\n\nA sharp knife is safer than a dull one.\n\n"
        "## Salt\n\nSalt makes food taste more like itself. Add salt early.\n"
    )
    prompt = (
        f"<document>\n{document}</document>\nHere is the chunk we want to situate within the "
        "whole document\n<chunk>\nSalt makes food taste more like itself. Add salt early.\n"
        "</chunk>\nPlease give a short succinct context to situate this chunk within the "
        "overall document. Answer only with the succinct context and nothing else."
    )
    g = ask(prompt)
    assert '"Kitchen Handbook"' in g.text and '"Salt"' in g.text and g.behaviour == "document"


def test_greetings_say_this_is_the_offline_stand_in() -> None:
    for prompt in ("hello", "Hi there!", "Who are you?", "What model are you?"):
        g = ask(prompt)
        assert "offline stand-in" in g.text and g.behaviour == "introduction"
    assert ask("Hello world in Python is a classic first program", seed=1).behaviour == "ngram"


def test_scripted_text_respects_stop_and_max_tokens() -> None:
    g = ask("My name is Ada.", "Hi!", "What is my name?", stop=["Ada"])
    assert (g.text, g.finish_reason, g.stop_sequence) == ("Your name is ", "stop_sequence", "Ada")
    g = ask("Who are you?", max_tokens=5)
    assert g.finish_reason == "length" and len(g.tokens) == 5 and consistent(g)
    assert all(t.logprob == 0.0 for t in g.tokens)
    # an emoji takes several tokens: every cut must still be whole characters
    for max_tokens in range(1, 12):
        g = ask(
            "My favourite emoji is 🎉🚀😀.",
            "Nice.",
            "What is my favourite emoji?",
            max_tokens=max_tokens,
        )
        assert consistent(g)


def _case_variants(text: str, rng: Random) -> str:
    """``text`` with its letters in random case, or swapped for the characters a regex's
    IGNORECASE also matches to them (İ ı -> i, ſ -> s, the Kelvin sign -> k)."""
    odd = {"i": ["İ", "ı"], "s": ["ſ"], "k": ["\u212a"]}
    return "".join(
        rng.choice([c, c.upper(), *odd.get(c, [])]) if c.isalpha() else c for c in text
    )


@settings(max_examples=300, deadline=None)
@given(
    parts=st.lists(
        st.sampled_from(
            ["who am i", "how old am i", "where do i live", "where am i from", "what's my name",
             "what is my favourite colour", "do you know my age", "remind me of my dog's name",
             "tell me my name", "What  is my", "my name", " ", ".", "?", "\n", "é", "İ"]
        )
        | st.text(max_size=6),
        max_size=6,
    ),
    seed=st.integers(0, 2**32),
)
def test_the_memory_precheck_never_hides_a_question(parts, seed) -> None:
    text = _case_variants("".join(parts), Random(seed))
    if any(re.search(pattern, text) for pattern, _ in memory.QUESTIONS):
        assert memory.may_ask(text), text


def test_memory_skips_a_long_document_without_a_question_but_finds_one_anywhere() -> None:
    document = corpus()[:100_000]
    assert not memory.may_ask(document + " What does it say about lists?")
    facts = "My name is Ada. What is my name? "
    g = ask(facts + document)
    assert g.behaviour == "memory" and g.text == "Your name is Ada."


# ------------------------------------------------------------------------------------------
# any request at all


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    prompt=st.text(max_size=80),
    max_tokens=st.none() | st.integers(0, 12),
    stop=st.lists(st.sampled_from([" ", ".", "e", "é", "🎉", "\n", "the"]), max_size=2),
    temperature=st.sampled_from([0, 0.7, 1.0, 2.0]),
    top_p=st.sampled_from([0.0, 0.5, 1.0]),
    seed=st.integers(-(2**70), 2**70),
    tools=st.sampled_from([[], [CALCULATOR], [WEATHER, CALCULATOR]]),
)
def test_every_request_gets_a_well_formed_generation(
    prompt, max_tokens, stop, temperature, top_p, seed, tools
) -> None:
    request = GenerationRequest(
        "m",
        [Message("user", prompt)],
        tools=tools,
        max_tokens=max_tokens,
        stop=stop,
        temperature=temperature,
        top_p=top_p,
        seed=seed,
        top_logprobs=2,
    )
    g = engine.generate(request)
    assert consistent(g) and g == engine.generate(request)
    assert max_tokens is None or len(g.tokens) <= max_tokens
    assert all(json.loads(c.arguments) is not None for c in g.tool_calls)
    if g.finish_reason == "stop_sequence":
        assert g.stop_sequence in stop and not any(s in g.text for s in stop)
