"""The stand-in's OpenAI Chat Completions API, driven through the real ``openai`` SDK.

The stand-in is right when the SDK parses its answers into the right types and raises the right
exceptions; raw httpx checks the wire details the SDK hides (SSE framing, headers, error bodies).
"""

from __future__ import annotations

import asyncio
import json

import httpx
import openai
import pytest
from pydantic import BaseModel

from course_lib.clients import OFFLINE_KEY
from course_lib import models, tokens
from course_lib.offline.exchange import choice_seed
from course_lib.tools import calculator

OPENAI = [m for m in models.models("openai") if not m.retired]
MODEL = next(m.model for m in OPENAI if m.temperature and m.logprobs)  # accepts every knob
STRICT = next(m.model for m in OPENAI if not m.temperature)  # a reasoning model: rejects them
LEGACY = next(m.model for m in OPENAI if m.max_tokens and m.stop)  # before GPT-5: max_tokens, stop
RETIRED = next(m for m in models.models("openai", include_retired=True) if m.retired)
KEY = OFFLINE_KEY  # the key the course's clients send to the stand-in
WEATHER = {
    "type": "function",
    "function": {
        "name": "get_weather",
        "description": "Current weather for a city.",
        "parameters": {
            "type": "object",
            "properties": {"city": {"type": "string"}},
            "required": ["city"],
        },
    },
}
HELLO = [{"role": "user", "content": "Tell me about the Python standard library."}]


class Person(BaseModel):
    name: str
    age: int


@pytest.fixture(scope="module")
def client(url: str) -> openai.OpenAI:
    return openai.OpenAI(base_url=url + "/v1", api_key=KEY, max_retries=0, timeout=20)


@pytest.fixture(scope="module")
def http(url: str) -> httpx.Client:
    with httpx.Client(base_url=url, timeout=20) as http:
        yield http


@pytest.fixture()
def aclient(url: str) -> openai.AsyncOpenAI:
    return openai.AsyncOpenAI(base_url=url + "/v1", api_key=KEY, max_retries=0, timeout=20)


def create(client: openai.OpenAI, **kwargs):
    kwargs.setdefault("model", MODEL)
    kwargs.setdefault("messages", HELLO)
    return client.chat.completions.create(**kwargs)


# ---------------------------------------------------------------------------------------
# Plain completions, sync / async / streaming


def test_completion_parses_into_sdk_types(client):
    r = create(client, seed=1, max_completion_tokens=30)
    assert isinstance(r, openai.types.chat.ChatCompletion)
    assert r.id.startswith("chatcmpl-") and r.object == "chat.completion" and r.model == MODEL
    assert r.system_fingerprint.startswith("fp_") and r.service_tier == "default"
    choice = r.choices[0]
    assert choice.message.role == "assistant" and choice.message.content
    assert choice.finish_reason in ("stop", "length")
    u = r.usage
    assert u.total_tokens == u.prompt_tokens + u.completion_tokens
    assert u.prompt_tokens_details.cached_tokens == 0
    assert u.completion_tokens_details.reasoning_tokens == 0


@pytest.mark.parametrize(
    "messages, tools",
    [
        (HELLO, None),
        (
            [
                {"role": "system", "content": "Be brief."},
                {"role": "developer", "content": "Use plain words."},
                {
                    "role": "user",
                    "name": "ada",
                    "content": [{"type": "text", "text": "Hi"}, {"type": "text", "text": "!"}],
                },
                {"role": "assistant", "content": "Hello."},
                {"role": "user", "content": "What is 2+2?"},
            ],
            None,
        ),
        ([{"role": "user", "content": "What is 12*7?"}], [calculator.OPENAI_TOOL, WEATHER]),
        (
            [
                {"role": "user", "content": "What is 12*7?"},
                {
                    "role": "assistant",
                    "content": None,
                    "tool_calls": [
                        {
                            "id": "call_1",
                            "type": "function",
                            "function": {
                                "name": "calculator",
                                "arguments": '{"expression": "12*7"}',
                            },
                        }
                    ],
                },
                {"role": "tool", "tool_call_id": "call_1", "content": "84"},
            ],
            [calculator.OPENAI_TOOL],
        ),
    ],
)
def test_prompt_tokens_equal_count_chat_tokens(client, messages, tools):
    extra = {"tools": tools} if tools else {}
    r = create(client, messages=messages, seed=0, max_completion_tokens=20, **extra)
    assert r.usage.prompt_tokens == tokens.count_chat_tokens(messages, tools=tools)


SPECIAL = "<|endoftext|> and <|fim_prefix|> are only text here"


def test_special_token_text_is_ordinary_text(client):
    tool = {
        "type": "function",
        "function": {
            "name": "echo",
            "description": SPECIAL,
            "parameters": {
                "type": "object",
                "properties": {"text": {"type": "string", "description": SPECIAL}},
            },
        },
    }
    short = [{"role": "system", "content": SPECIAL}, {"role": "user", "content": SPECIAL}]
    long = [{"role": "user", "content": SPECIAL + " " + "filler words " * 900}]  # cached path
    for messages, tools in ((short, None), (short, [tool]), (long, None)):
        extra = {"tools": tools} if tools else {}
        r = create(client, messages=messages, seed=0, max_completion_tokens=20, **extra)
        assert r.usage.prompt_tokens == tokens.count_chat_tokens(messages, tools=tools)
    chunks = list(create(client, messages=short, seed=0, max_completion_tokens=5, stream=True))
    assert chunks[-1].choices[0].finish_reason == "length"
    r = create(
        client,
        messages=[{"role": "user", "content": SPECIAL}],
        tools=[tool],
        tool_choice="required",
    )
    assert r.choices[0].message.tool_calls[0].function.name == "echo"


def test_the_prompt_is_tokenised_once(client, monkeypatch):
    """usage.prompt_tokens and the prompt cache share one tokenisation of a long prompt."""
    enc = tokens.encoding("o200k_base")
    text = "A long prompt about tokens. " * 300  # over 1,024 tokens: the cache reads it
    calls = []

    def encode(value, *args, **kwargs):
        calls.append(value == text)
        return type(enc).encode(enc, value, *args, **kwargs)

    monkeypatch.setattr(enc, "encode", encode)
    messages = [{"role": "user", "content": text}]
    r = create(client, messages=messages, seed=0, max_completion_tokens=5)
    assert sum(calls) == 1
    assert r.usage.prompt_tokens == tokens.count_chat_tokens(messages)


class Node(BaseModel):
    value: int
    next: Node | None


def test_parse_a_recursive_model(client):
    ask = [{"role": "user", "content": "A linked list of 3, 1, 4, 1, 5, 9, 2, 6."}]
    r = client.chat.completions.parse(model=MODEL, messages=ask, response_format=Node, seed=1)
    node, values = r.choices[0].message.parsed, []
    while node is not None:
        values.append(node.value)
        node = node.next
    assert values[:3] == [3, 1, 4] and 3 <= len(values) <= 10


def test_sync_and_async_agree(client, aclient):
    sync = create(client, seed=7, max_completion_tokens=25)
    asynced = asyncio.run(
        aclient.chat.completions.create(
            model=MODEL, messages=HELLO, seed=7, max_completion_tokens=25
        )
    )
    assert asynced.choices[0].message.content == sync.choices[0].message.content
    assert asynced.id == sync.id


def test_stream_chunks_follow_the_documented_sequence(client):
    plain = create(client, seed=3, max_completion_tokens=30)
    chunks = list(
        create(
            client,
            seed=3,
            max_completion_tokens=30,
            stream=True,
            stream_options={"include_usage": True},
        )
    )
    first, finish, last = chunks[0], chunks[-2], chunks[-1]
    assert first.choices[0].delta.role == "assistant" and first.choices[0].delta.content == ""
    assert all(c.object == "chat.completion.chunk" and c.id == first.id for c in chunks)
    assert (
        finish.choices[0].finish_reason == plain.choices[0].finish_reason
        and finish.choices[0].delta.content is None
    )
    assert last.choices == [] and last.usage.model_dump() == plain.usage.model_dump()
    assert all(c.usage is None for c in chunks[:-1])
    text = "".join(c.choices[0].delta.content or "" for c in chunks[:-1])
    assert text == plain.choices[0].message.content


def test_stream_helper_and_async_stream(client, aclient):
    # (the stream helper raises LengthFinishReasonError on "length", so leave room to finish)
    plain = create(client, seed=4, max_completion_tokens=200).choices[0].message.content
    with client.chat.completions.stream(
        model=MODEL, messages=HELLO, seed=4, max_completion_tokens=200
    ) as stream:
        deltas = [e.delta for e in stream if e.type == "content.delta"]
        final = stream.get_final_completion()
    assert "".join(deltas) == plain == final.choices[0].message.content

    async def collect() -> str:
        stream = await aclient.chat.completions.create(
            model=MODEL, messages=HELLO, seed=4, max_completion_tokens=200, stream=True
        )
        return "".join([c.choices[0].delta.content or "" async for c in stream if c.choices])

    assert asyncio.run(collect()) == plain


# ---------------------------------------------------------------------------------------
# Tools


def test_required_tool_call_and_its_stream(client):
    ask = [{"role": "user", "content": "What is 12 * 7?"}]
    r = create(client, messages=ask, tools=[calculator.OPENAI_TOOL], tool_choice="required", seed=1)
    choice = r.choices[0]
    assert choice.finish_reason == "tool_calls"
    call = choice.message.tool_calls[0]
    assert (
        call.type == "function"
        and call.function.name == "calculator"
        and call.id.startswith("call_")
    )
    assert isinstance(json.loads(call.function.arguments), dict)

    chunks = list(
        create(
            client,
            messages=ask,
            tools=[calculator.OPENAI_TOOL],
            tool_choice="required",
            seed=1,
            stream=True,
        )
    )
    fragments = [tc for c in chunks for tc in (c.choices[0].delta.tool_calls or [])]
    assert fragments[0].id == call.id and fragments[0].function.name == "calculator"
    assert all(f.id is None and f.function.name is None for f in fragments[1:])
    assert "".join(f.function.arguments for f in fragments) == call.function.arguments
    assert chunks[-1].choices[0].finish_reason == "tool_calls"

    with client.chat.completions.stream(
        model=MODEL, messages=ask, tools=[calculator.OPENAI_TOOL], tool_choice="required", seed=1
    ) as stream:
        final = stream.get_final_completion()
    assert final.choices[0].message.tool_calls[0].function.arguments == call.function.arguments


def test_named_tool_choice_none_and_round_trip(client):
    ask = [{"role": "user", "content": "Weather in Paris, and what is 3 + 4?"}]
    tools = [calculator.OPENAI_TOOL, WEATHER]
    named = create(
        client,
        messages=ask,
        tools=tools,
        seed=2,
        tool_choice={"type": "function", "function": {"name": "get_weather"}},
    )
    assert [c.function.name for c in named.choices[0].message.tool_calls] == ["get_weather"]
    none = create(
        client, messages=ask, tools=tools, tool_choice="none", seed=2, max_completion_tokens=20
    )
    assert not none.choices[0].message.tool_calls and none.choices[0].finish_reason != "tool_calls"
    single = create(
        client, messages=ask, tools=tools, tool_choice="required", parallel_tool_calls=False, seed=2
    )
    assert len(single.choices[0].message.tool_calls) == 1

    call = single.choices[0].message.tool_calls[0]
    history = [
        *ask,
        single.choices[0].message.model_dump(exclude_none=True),
        {"role": "tool", "tool_call_id": call.id, "content": "21 degrees"},
    ]
    answer = create(client, messages=history, tools=tools, seed=2, max_completion_tokens=40)
    assert answer.choices[0].message.content and answer.choices[0].finish_reason in (
        "stop",
        "length",
    )


# ---------------------------------------------------------------------------------------
# Sampling parameters, n, stop, max tokens, logprobs


def test_n_choices_are_distinct_and_the_first_matches_n_1(client):
    r = create(client, seed=10, n=3, max_completion_tokens=15)
    assert [c.index for c in r.choices] == [0, 1, 2]
    texts = [c.message.content for c in r.choices]
    assert texts[0] == create(client, seed=10, max_completion_tokens=15).choices[0].message.content
    assert len(set(texts)) == 3, "each choice samples with its own seed"
    # Choice 1 of seed 10 is not simply seed 11's answer (seeds would overlap between requests).
    assert texts[1] != create(client, seed=11, max_completion_tokens=15).choices[0].message.content
    again = create(client, seed=10, n=3, max_completion_tokens=15)
    assert [c.message.content for c in again.choices] == texts
    # Each choice is exactly the single answer for its own seed, and usage adds them up.
    singles = [
        create(client, seed=choice_seed(10, i), max_completion_tokens=15) for i in range(3)
    ]
    assert [s.choices[0].message.content for s in singles] == texts
    assert r.usage.completion_tokens == sum(s.usage.completion_tokens for s in singles)


def test_max_tokens_gives_finish_reason_length(client):
    for model, name in ((LEGACY, "max_tokens"), (MODEL, "max_completion_tokens")):
        r = create(client, model=model, seed=5, **{name: 2})
        assert r.choices[0].finish_reason == "length" and r.usage.completion_tokens <= 2


def test_stop_sequence_cuts_the_answer(client):
    full = (
        create(client, model=LEGACY, seed=6, max_completion_tokens=40, temperature=0)
        .choices[0].message.content
    )
    words = full.split()
    assert len(words) > 3, full
    stop = " " + words[2]
    cut = create(client, model=LEGACY, seed=6, max_completion_tokens=40, temperature=0,
                 stop=[stop, "zzzz"])
    assert cut.choices[0].finish_reason == "stop"
    assert cut.choices[0].message.content == full[: full.index(stop)]


def test_logprobs_come_from_the_engine(client):
    r = create(client, seed=8, max_completion_tokens=12, logprobs=True, top_logprobs=3)
    content = r.choices[0].logprobs.content
    assert len(content) == r.usage.completion_tokens
    assert "".join(t.token for t in content) == r.choices[0].message.content
    for t in content:
        assert t.logprob <= 0 and bytes(t.bytes).decode("utf-8", "replace") == t.token
        assert 1 <= len(t.top_logprobs) <= 3
    assert create(client, seed=8, max_completion_tokens=5).choices[0].logprobs is None


# ---------------------------------------------------------------------------------------
# Structured output


def test_parse_with_a_pydantic_model(client):
    ask = [{"role": "user", "content": "Ada Lovelace was 36. Extract the person."}]
    r = client.chat.completions.parse(model=MODEL, messages=ask, response_format=Person, seed=1)
    assert isinstance(r.choices[0].message.parsed, Person)
    with client.chat.completions.stream(
        model=MODEL, messages=ask, response_format=Person, seed=1
    ) as stream:
        assert isinstance(stream.get_final_completion().choices[0].message.parsed, Person)


def test_json_object_mode_needs_the_word_json(client):
    r = create(
        client,
        messages=[{"role": "user", "content": "Give me a JSON object about cats."}],
        response_format={"type": "json_object"},
        seed=1,
    )
    assert isinstance(json.loads(r.choices[0].message.content), dict)
    with pytest.raises(openai.BadRequestError) as err:
        create(client, response_format={"type": "json_object"})
    assert err.value.param == "messages"


# ---------------------------------------------------------------------------------------
# Errors


@pytest.mark.parametrize(
    "kwargs, param, code",
    [
        ({"messages": []}, "messages", "empty_array"),
        ({"temperature": 3}, "temperature", "decimal_above_max_value"),
        ({"top_p": -1}, "top_p", "decimal_below_min_value"),
        ({"n": 0}, "n", "integer_below_min_value"),
        ({"top_logprobs": 2}, "top_logprobs", None),
        ({"logprobs": True, "top_logprobs": 21}, "top_logprobs", "integer_above_max_value"),
        ({"stop": ["a", "b", "c", "d", "e"]}, "stop", "array_above_max_length"),
        ({"max_completion_tokens": 10**6}, "max_completion_tokens", "invalid_value"),
        ({"max_tokens": 8}, "max_tokens", "unsupported_parameter"),
        ({"stop": ["."]}, "stop", "unsupported_parameter"),
        ({"tool_choice": "required"}, "tool_choice", None),
        (
            {"tools": [WEATHER], "tool_choice": {"type": "function", "function": {"name": "nope"}}},
            "tool_choice",
            "invalid_value",
        ),
        (
            {"messages": [{"role": "tool", "tool_call_id": "call_9", "content": "84"}]},
            "messages.[0].role",
            None,
        ),
        ({"messages": [{"role": "wizard", "content": "hi"}]}, "messages[0].role", "invalid_value"),
        ({"extra_body": {"frobnicate": 1}}, None, None),
        ({"model": STRICT, "temperature": 0.2}, "temperature", "unsupported_value"),
        ({"model": STRICT, "top_p": 0.5}, "top_p", "unsupported_parameter"),
        ({"model": STRICT, "logprobs": True}, "logprobs", "unsupported_parameter"),
        ({"model": STRICT, "max_tokens": 10}, "max_tokens", "unsupported_parameter"),
    ],
)
def test_bad_requests_are_400_with_param(client, kwargs, param, code):
    with pytest.raises(openai.BadRequestError) as err:
        create(client, **kwargs)
    assert err.value.status_code == 400
    assert err.value.param == param and err.value.code == code
    assert err.value.type == "invalid_request_error"


def test_reasoning_model_accepts_the_default_temperature(client):
    assert create(client, model=STRICT, temperature=1, max_completion_tokens=5).choices


def test_unknown_and_retired_models_are_404(client):
    with pytest.raises(openai.NotFoundError) as err:
        create(client, model="gpt-0-imaginary")
    assert err.value.code == "model_not_found"
    assert "The model `gpt-0-imaginary` does not exist or you do not have access to it." in str(
        err.value
    )
    with pytest.raises(openai.NotFoundError) as err:
        create(client, model=RETIRED.model)
    assert err.value.code == "model_not_found" and str(RETIRED.shutdown) in err.value.message


def test_context_length_exceeded(client):
    info = min(OPENAI, key=lambda m: m.context_window - m.max_output)  # the cheapest to overflow
    long = [{"role": "user", "content": "word " * (info.context_window - info.max_output)}]
    prompt = tokens.count_chat_tokens(long)
    with pytest.raises(openai.BadRequestError) as err:
        create(client, model=info.model, messages=long, max_completion_tokens=info.max_output)
    assert err.value.code == "context_length_exceeded" and err.value.param == "messages"
    assert f"maximum context length is {info.context_window} tokens" in err.value.message
    assert f"({prompt} in the messages, {info.max_output} in the completion)" in err.value.message


def test_wrong_key_is_401_and_never_echoed(url):
    secret = "wrong-key-0123456789abcdefghij"
    bad = openai.OpenAI(base_url=url + "/v1", api_key=secret, max_retries=0)
    with pytest.raises(openai.AuthenticationError) as err:
        bad.chat.completions.create(model=MODEL, messages=HELLO)
    assert err.value.code == "invalid_api_key" and secret not in json.dumps(err.value.body)
    assert "wro" in err.value.message and "ghij" in err.value.message


def test_models_list_and_retrieve(client):
    listed = {m.id: m for m in client.models.list()}
    assert MODEL in listed and RETIRED.model not in listed
    assert client.models.retrieve(MODEL).id == MODEL
    deprecated = next(m for m in OPENAI if m.shutdown)
    assert client.models.retrieve(deprecated.model).shutdown_date == deprecated.shutdown.isoformat()
    with pytest.raises(openai.NotFoundError):
        client.models.retrieve("gpt-0-imaginary")


# ---------------------------------------------------------------------------------------
# The wire itself (raw HTTP)


def test_sse_framing_headers_and_done(http):
    body = {
        "model": MODEL,
        "messages": HELLO,
        "seed": 1,
        "max_completion_tokens": 8,
        "stream": True,
        "stream_options": {"include_usage": True},
    }
    with http.stream(
        "POST", "/v1/chat/completions", json=body, headers={"Authorization": f"Bearer {KEY}"}
    ) as r:
        raw = b"".join(r.iter_raw()).decode()
        assert r.status_code == 200 and r.headers["content-type"].startswith("text/event-stream")
        assert r.headers["transfer-encoding"] == "chunked"
        assert r.headers["x-request-id"].startswith("req_")
        assert int(r.headers["x-ratelimit-remaining-requests"]) > 0
    events = raw.split("\n\n")
    assert events[-1] == "" and events[-2] == "data: [DONE]"
    assert all(e.startswith("data: ") and "\n" not in e for e in events[:-1])
    assert json.loads(events[-3][6:])["choices"] == []


def test_error_bodies_on_the_wire(http):
    auth = {"Authorization": f"Bearer {KEY}"}
    r = http.post("/v1/chat/completions", content=b"{not json", headers=auth)
    assert r.status_code == 400 and set(r.json()["error"]) == {"message", "type", "param", "code"}
    r = http.post("/v1/chat/completion", json={}, headers=auth)
    assert (
        r.status_code == 404
        and r.json()["error"]["message"] == "Invalid URL (POST /v1/chat/completion)"
    )
    r = http.get("/v1/chat/completions", headers=auth)
    assert r.status_code == 404
    r = http.post("/v1/chat/completions", json={"model": MODEL, "messages": HELLO})
    assert r.status_code == 401 and r.json()["error"]["type"] == "invalid_request_error"
    r = http.post("/v1/chat/completions", json={"model": MODEL}, headers=auth)
    assert r.json()["error"] == {
        "message": "Missing required parameter: 'messages'.",
        "type": "invalid_request_error",
        "param": "messages",
        "code": "missing_required_parameter",
    }
