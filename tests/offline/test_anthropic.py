"""The stand-in's Anthropic Messages API, driven through the real ``anthropic`` SDK.

The stand-in is right when the SDK parses its answers into the right types (including the
streaming helpers and ``messages.parse``) and raises the right exceptions; raw httpx checks the
wire details (event names, headers, error bodies).
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator

import anthropic
import httpx
import pytest
from pydantic import BaseModel

from course_lib.clients import OFFLINE_KEY
from course_lib import models, offline
from course_lib.tools import calculator

ANTHROPIC = [m for m in models.models("anthropic") if not m.retired]
MODEL = next(m.model for m in ANTHROPIC if m.temperature)  # still accepts sampling parameters
STRICT = next(m.model for m in ANTHROPIC if not m.temperature)  # removed them (OpenAI's GPT-5 parameter guide; Anthropic's Claude 4.7 release notes)
KEY = OFFLINE_KEY  # the key the course's clients send to the stand-in
WEATHER = {
    "name": "get_weather",
    "description": "Current weather for a city.",
    "input_schema": {
        "type": "object",
        "properties": {"city": {"type": "string"}},
        "required": ["city"],
    },
}
HELLO = [{"role": "user", "content": "Tell me about the Python standard library."}]


class Person(BaseModel):
    name: str
    age: int


@pytest.fixture(scope="module")
def client(url: str) -> anthropic.Anthropic:
    return anthropic.Anthropic(base_url=url, api_key=KEY, max_retries=0, timeout=20)


@pytest.fixture(scope="module")
def http(url: str) -> Iterator[httpx.Client]:
    headers = {"x-api-key": KEY, "anthropic-version": "2023-06-01"}
    with httpx.Client(base_url=url, headers=headers, timeout=20) as http:
        yield http


def create(client: anthropic.Anthropic, **kwargs):
    kwargs.setdefault("model", MODEL)
    kwargs.setdefault("messages", HELLO)
    kwargs.setdefault("max_tokens", 200)
    return client.messages.create(**kwargs)


def text(message) -> str:
    return "".join(b.text for b in message.content if b.type == "text")


# ---------------------------------------------------------------------------------------
# Messages, sync / async / streaming


def test_message_parses_into_sdk_types(client):
    m = create(client, system="You are terse.")
    assert isinstance(m, anthropic.types.Message)
    assert (
        m.id.startswith("msg_01")
        and m.type == "message"
        and m.role == "assistant"
        and m.model == MODEL
    )
    assert m.content[0].type == "text" and m.content[0].text
    assert m.stop_reason == "end_turn" and m.stop_sequence is None
    assert m.usage.input_tokens > 0 and m.usage.output_tokens > 0
    assert m.usage.cache_read_input_tokens == 0 and m.usage.cache_creation_input_tokens == 0


def test_multi_turn_with_system_blocks(client):
    messages = [
        {"role": "user", "content": "My name is Ada."},
        {"role": "assistant", "content": [{"type": "text", "text": "Nice to meet you, Ada."}]},
        {"role": "user", "content": [{"type": "text", "text": "What is my name?"}]},
    ]
    m = create(client, system=[{"type": "text", "text": "You remember names."}], messages=messages)
    assert "Ada" in text(m)


def test_stream_helper_matches_create(client):
    plain = create(client)
    with client.messages.stream(model=MODEL, max_tokens=200, messages=HELLO) as stream:
        pieces = list(stream.text_stream)
        final = stream.get_final_message()
    assert "".join(pieces) == text(plain) == text(final)
    assert final.id == plain.id and final.usage.model_dump() == plain.usage.model_dump()
    assert final.stop_reason == plain.stop_reason


def test_raw_stream_yields_typed_events_in_order(client):
    events = list(create(client, stream=True))
    kinds = [e.type for e in events]
    assert kinds[0] == "message_start" and kinds[-2:] == ["message_delta", "message_stop"]
    assert kinds[1] == "content_block_start" and kinds[-3] == "content_block_stop"
    assert set(kinds[2:-3]) == {"content_block_delta"}
    start, delta = events[0], events[-2]
    assert start.message.content == [] and start.message.usage.input_tokens > 0
    assert delta.delta.stop_reason == "end_turn" and delta.usage.output_tokens > 1


def test_async_client_agrees(client, url):
    offline.reset()  # unseeded requests count repeats; start both runs from the same count
    plain = text(create(client))
    offline.reset()

    async def run() -> tuple[str, str]:
        async with anthropic.AsyncAnthropic(base_url=url, api_key=KEY, max_retries=0) as aclient:
            m = await aclient.messages.create(model=MODEL, max_tokens=200, messages=HELLO)
            async with aclient.messages.stream(
                model=MODEL, max_tokens=200, messages=HELLO
            ) as stream:
                streamed = "".join([t async for t in stream.text_stream])
            return text(m), streamed

    assert asyncio.run(run()) == (plain, plain)


def test_stop_sequences_and_max_tokens(client):
    full = text(create(client, extra_body={"temperature": 0}))
    stop = " " + full.split()[2]
    m = create(client, stop_sequences=[stop, "@@"], extra_body={"temperature": 0})
    assert (
        m.stop_reason == "stop_sequence"
        and m.stop_sequence == stop
        and text(m) == full[: full.index(stop)]
    )
    short = create(client, max_tokens=2)
    assert short.stop_reason == "max_tokens" and short.usage.output_tokens <= 2


def test_sampling_parameters_via_extra_body(client):
    # one of temperature / top_p, never both (tests/test_offline_anthropic_rules.py)
    assert create(client, extra_body={"temperature": 0.2, "top_k": 5}).content
    assert create(client, extra_body={"top_p": 0.9, "top_k": 5}).content
    for name in ("temperature", "top_p"):
        with pytest.raises(anthropic.BadRequestError) as err:
            create(client, model=STRICT, extra_body={name: 0.5})
        assert err.value.api_message == f"`{name}` is deprecated for this model."
    with pytest.raises(anthropic.BadRequestError):
        create(client, extra_body={"temperature": 1.5})


# ---------------------------------------------------------------------------------------
# Tools


def test_tool_use_round_trip(client):
    ask = [{"role": "user", "content": "What is 12 * 7?"}]
    m = create(client, messages=ask, tools=[calculator.ANTHROPIC_TOOL], tool_choice={"type": "any"})
    assert m.stop_reason == "tool_use"
    use = next(b for b in m.content if b.type == "tool_use")
    assert (
        use.id.startswith("toolu_01") and use.name == "calculator" and isinstance(use.input, dict)
    )

    with client.messages.stream(
        model=MODEL,
        max_tokens=200,
        messages=ask,
        tools=[calculator.ANTHROPIC_TOOL],
        tool_choice={"type": "any"},
    ) as stream:
        final = stream.get_final_message()
    streamed = next(b for b in final.content if b.type == "tool_use")
    assert (streamed.id, streamed.input) == (use.id, use.input)

    history = [
        *ask,
        {"role": "assistant", "content": [b.model_dump(exclude_none=True) for b in m.content]},
        {
            "role": "user",
            "content": [{"type": "tool_result", "tool_use_id": use.id, "content": "84"}],
        },
    ]
    answer = create(client, messages=history, tools=[calculator.ANTHROPIC_TOOL])
    assert answer.stop_reason == "end_turn" and text(answer)


def test_tool_choice_forms(client):
    ask = [{"role": "user", "content": "Weather in Paris, and what is 3 + 4?"}]
    tools = [calculator.ANTHROPIC_TOOL, WEATHER]
    named = create(
        client, messages=ask, tools=tools, tool_choice={"type": "tool", "name": "get_weather"}
    )
    assert [b.name for b in named.content if b.type == "tool_use"] == ["get_weather"]
    none = create(client, messages=ask, tools=tools, tool_choice={"type": "none"})
    assert none.stop_reason != "tool_use"
    single = create(
        client,
        messages=ask,
        tools=tools,
        tool_choice={"type": "any", "disable_parallel_tool_use": True},
    )
    assert sum(b.type == "tool_use" for b in single.content) == 1


def test_tool_result_must_answer_a_tool_use(client):
    bad = [
        {
            "role": "user",
            "content": [{"type": "tool_result", "tool_use_id": "toolu_x", "content": "1"}],
        }
    ]
    with pytest.raises(anthropic.BadRequestError) as err:
        create(client, messages=bad)
    assert "toolu_x" in err.value.api_message


# ---------------------------------------------------------------------------------------
# Structured output


def test_parse_with_output_format(client):
    ask = [{"role": "user", "content": "Ada Lovelace was 36. Extract the person."}]
    m = client.messages.parse(model=MODEL, max_tokens=200, messages=ask, output_format=Person)
    assert isinstance(m.parsed_output, Person)
    with client.messages.stream(
        model=MODEL, max_tokens=200, messages=ask, output_format=Person
    ) as stream:
        assert isinstance(stream.get_final_message().parsed_output, Person)


class Node(BaseModel):
    value: int
    next: Node | None


def test_parse_a_recursive_model(client):
    ask = [{"role": "user", "content": "A linked list of 3, 1, 4, 1, 5, 9, 2, 6."}]
    m = client.messages.parse(model=MODEL, max_tokens=500, messages=ask, output_format=Node)
    node, values = m.parsed_output, []
    while node is not None:
        values.append(node.value)
        node = node.next
    assert values[:3] == [3, 1, 4] and 3 <= len(values) <= 10


# ---------------------------------------------------------------------------------------
# Token counting and prompt caching


def test_tools_and_the_output_schema_are_checked_once(client, monkeypatch):
    from course_lib.offline.anthropic import checks as anthropic_checks

    calls = []
    for name in ("tools", "output_schema"):
        check = getattr(anthropic_checks, name)
        monkeypatch.setattr(
            anthropic_checks,
            name,
            lambda body, check=check, name=name: calls.append(name) or check(body),
        )
    create(client, tools=[WEATHER], messages=[{"role": "user", "content": "Weather in Oslo?"}])
    assert sorted(calls) == ["output_schema", "tools"]


SPECIAL = "<|endoftext|> and <|fim_prefix|> are only text here"


def test_special_token_text_is_ordinary_text(client):
    tool = {**WEATHER, "description": SPECIAL}
    kwargs = {
        "model": MODEL,
        "system": SPECIAL,
        "tools": [tool],
        "messages": [{"role": "user", "content": [{"type": "text", "text": SPECIAL}]}],
    }
    counted = client.messages.count_tokens(**kwargs).input_tokens
    assert counted == create(client, **kwargs).usage.input_tokens
    with client.messages.stream(max_tokens=5, **kwargs) as stream:
        assert stream.get_final_message().stop_reason == "max_tokens"


def test_count_tokens_equals_usage_input_tokens(client):
    kwargs = {
        "model": MODEL,
        "system": "You are a careful assistant.",
        "tools": [calculator.ANTHROPIC_TOOL, WEATHER],
        "messages": [
            {"role": "user", "content": "Hello there"},
            {"role": "assistant", "content": "Hi!"},
            {"role": "user", "content": [{"type": "text", "text": "What is 2 + 2?"}]},
        ],
    }
    counted = client.messages.count_tokens(**kwargs).input_tokens
    assert counted == create(client, **kwargs).usage.input_tokens
    assert (
        counted
        < client.messages.count_tokens(
            **{**kwargs, "system": "You are a careful assistant. " * 9}
        ).input_tokens
    )


def test_cache_control_writes_then_reads(client):
    offline.reset()
    info = min(ANTHROPIC, key=lambda m: m.cache_min_tokens)
    system = [
        {
            "type": "text",
            "text": "Reference manual. " + "The stand-in caches prefixes. " * 250,
            "cache_control": {"type": "ephemeral"},
        }
    ]
    ask = [{"role": "user", "content": "Summarise the manual."}]
    total = client.messages.count_tokens(model=info.model, system=system, messages=ask).input_tokens
    first = create(client, model=info.model, system=system, messages=ask).usage
    second = create(client, model=info.model, system=system, messages=ask).usage
    assert (
        first.cache_creation_input_tokens >= info.cache_min_tokens
        and first.cache_read_input_tokens == 0
    )
    assert first.cache_creation.ephemeral_5m_input_tokens == first.cache_creation_input_tokens
    assert second.cache_read_input_tokens == first.cache_creation_input_tokens
    assert second.cache_creation_input_tokens == 0
    for usage in (first, second):
        assert (
            usage.input_tokens + usage.cache_creation_input_tokens + usage.cache_read_input_tokens
            == total
        )

    changed = [{**system[0], "text": "Changed. " + system[0]["text"]}]
    busted = create(client, model=info.model, system=changed, messages=ask).usage
    assert busted.cache_read_input_tokens == 0 and busted.cache_creation_input_tokens > 0

    short = [{"type": "text", "text": "Short.", "cache_control": {"type": "ephemeral"}}]
    for _ in range(2):  # below the minimum: nothing cached, and no error
        usage = create(client, model=info.model, system=short, messages=ask).usage
        assert usage.cache_creation_input_tokens == usage.cache_read_input_tokens == 0


def test_automatic_caching_one_hour_ttl_and_breakpoint_limit(client):
    offline.reset()
    info = min(ANTHROPIC, key=lambda m: m.cache_min_tokens)
    long = "A long shared document about caching. " * 200
    turns = [{"role": "user", "content": long}]
    first = create(
        client, model=info.model, messages=turns, cache_control={"type": "ephemeral", "ttl": "1h"}
    ).usage
    assert first.cache_creation.ephemeral_1h_input_tokens == first.cache_creation_input_tokens > 0
    grown = [
        *turns,
        {"role": "assistant", "content": "Noted."},
        {"role": "user", "content": "Now summarise."},
    ]
    second = create(
        client, model=info.model, messages=grown, cache_control={"type": "ephemeral"}
    ).usage
    assert (
        second.cache_read_input_tokens == first.cache_creation_input_tokens
    )  # the old breakpoint, looked back

    marked = [
        {"type": "text", "text": f"part {i}", "cache_control": {"type": "ephemeral"}}
        for i in range(5)
    ]
    with pytest.raises(anthropic.BadRequestError) as err:
        create(client, system=marked)
    assert (
        err.value.api_message
        == "A maximum of 4 blocks with cache_control may be provided. Found 5."
    )


# ---------------------------------------------------------------------------------------
# Errors


def test_error_classes(client, url):
    with pytest.raises(anthropic.NotFoundError) as err:
        create(client, model="claude-imaginary-0")
    assert err.value.type == "not_found_error" and err.value.request_id.startswith("req_")
    with pytest.raises(anthropic.NotFoundError):
        create(client, model=next(m.model for m in models.models("openai")))
    secret = "wrong-key-0123456789abcdefghij"
    bad = anthropic.Anthropic(base_url=url, api_key=secret, max_retries=0)
    with pytest.raises(anthropic.AuthenticationError) as err:
        bad.messages.create(model=MODEL, max_tokens=10, messages=HELLO)
    assert err.value.type == "authentication_error" and secret not in json.dumps(err.value.body)
    for status, cls in (
        (429, anthropic.RateLimitError),
        (500, anthropic.InternalServerError),
        (529, anthropic.OverloadedError),
    ):
        with offline.faults(status=status, times=1, retry_after=0.01), pytest.raises(cls) as err:
            create(client)
        assert err.value.status_code == status


def test_prompt_too_long(client):
    info = min(ANTHROPIC, key=lambda m: m.context_window)
    with pytest.raises(anthropic.BadRequestError) as err:
        create(
            client,
            model=info.model,
            max_tokens=info.max_output,
            messages=[
                {"role": "user", "content": "word " * (info.context_window - info.max_output)}
            ],
        )
    assert "exceed context limit" in err.value.api_message


def test_models_list(client):
    ids = [m.id for m in client.models.list()]
    assert (
        MODEL in ids
        and client.models.retrieve(MODEL).max_input_tokens == models.get(MODEL).context_window
    )


# ---------------------------------------------------------------------------------------
# The wire itself (raw HTTP)


def test_event_names_match_types_and_headers(http):
    body = {"model": MODEL, "max_tokens": 50, "stream": True, "messages": HELLO}
    with http.stream("POST", "/v1/messages", json=body) as r:
        raw = b"".join(r.iter_raw()).decode()
        assert r.headers["request-id"].startswith("req_")
        assert r.headers["content-type"].startswith("text/event-stream")
        assert int(r.headers["anthropic-ratelimit-requests-remaining"]) > 0
    frames = [f for f in raw.split("\n\n") if f]
    names = []
    for frame in frames:
        event, data = frame.split("\n")
        assert event.startswith("event: ") and data.startswith("data: ")
        assert json.loads(data[6:])["type"] == event[7:]
        names.append(event[7:])
    assert (
        names[:3] == ["message_start", "content_block_start", "ping"]
        and names[-1] == "message_stop"
    )


def test_error_bodies_on_the_wire(http):
    r = http.post("/v1/messages", json={"model": MODEL, "messages": HELLO})
    assert r.status_code == 400
    body = r.json()
    assert body["type"] == "error" and body["error"] == {
        "type": "invalid_request_error",
        "message": "max_tokens: Field required",
    }
    assert body["request_id"] == r.headers["request-id"]
    r = http.post(
        "/v1/messages",
        json={"model": MODEL, "max_tokens": 5, "messages": HELLO},
        headers={"anthropic-version": ""},
    )
    assert r.status_code == 400 and "anthropic-version" in r.json()["error"]["message"]
    r = http.post(
        "/v1/messages", json={"model": MODEL, "max_tokens": 5, "messages": HELLO, "seed": 1}
    )
    assert r.json()["error"]["message"] == "seed: Extra inputs are not permitted"
    r = http.post("/v1/messages", content=b"{oops")
    assert r.status_code == 400 and r.json()["error"]["type"] == "invalid_request_error"
    r = http.post("/v1/mesages", json={})
    assert r.status_code == 404 and r.json()["error"]["type"] == "not_found_error"
