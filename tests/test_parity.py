"""Sync and async twins give the same results: the same cases run through each, compared.

Everything runs against the offline stand-in (no network). Unseeded requests get their seed
from a per-request counter (offline/seeds.py), so the stand-in is reset before each twin runs:
then both send the same requests and get the same bytes back.
"""

import asyncio

import pytest

from course_lib import clients, offline
from course_lib.config import DEFAULT_MODELS
from course_lib.streaming import acollect_stream, collect_stream
from course_lib.tools import (
    ToolLoopLimitError,
    acall_tool,
    arun_anthropic_tool_calls,
    arun_openai_tool_calls,
    arun_tool_loop,
    call_tool,
    calculator,
    run_anthropic_tool_calls,
    run_openai_tool_calls,
    run_tool_loop,
)

OPENAI, ANTHROPIC = DEFAULT_MODELS["openai"], DEFAULT_MODELS["anthropic"]
TOOLS = [calculator.CALCULATOR]


def plain(value):
    """SDK objects as dicts, so a reply built by one twin compares with the other's; without
    ``created`` (the clock's second, which may tick between the twins)."""
    if hasattr(value, "model_dump"):
        return plain(value.model_dump())
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items() if k != "created"}
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    return value


def both(sync_run, async_run):
    """(sync result, async result), the stand-in reset before each."""
    offline.reset()
    first = sync_run()
    offline.reset()
    second = asyncio.run(async_run())
    offline.reset()
    return first, second


async def with_async_client(provider, use):
    make = {"openai": clients.offline_async_openai_client,
            "anthropic": clients.offline_async_anthropic_client}[provider]
    client = make(max_retries=0)
    try:
        return await use(client)
    finally:
        await client.close()


def sync_client(provider):
    make = {"openai": clients.offline_openai_client, "anthropic": clients.offline_anthropic_client}
    return make[provider](max_retries=0)


# ---------------------------------------------------------------------------------------
# Offline clients


def test_offline_async_clients_mirror_the_sync_ones(monkeypatch):
    import anthropic
    import openai

    monkeypatch.setenv("OPENAI_API_KEY", "sk-test-not-a-real-key")  # ignored: always offline
    pairs = [(clients.offline_openai_client, clients.offline_async_openai_client, openai.AsyncOpenAI),
             (clients.offline_anthropic_client, clients.offline_async_anthropic_client,
              anthropic.AsyncAnthropic)]
    for make_sync, make_async, async_class in pairs:
        sync, async_ = make_sync(max_retries=1), make_async(max_retries=1)
        assert type(async_) is async_class
        assert (str(sync.base_url), sync.api_key, sync.max_retries) == \
            (str(async_.base_url), async_.api_key, async_.max_retries)
        assert str(async_.base_url).startswith("http://127.0.0.1:")


def test_same_request_same_reply():
    kwargs = dict(model=OPENAI, seed=4, max_completion_tokens=15,
                  messages=[{"role": "user", "content": "Describe Python tuples."}])

    async def use(client):
        return await client.chat.completions.create(**kwargs)

    sync, async_ = both(lambda: sync_client("openai").chat.completions.create(**kwargs),
                        lambda: with_async_client("openai", use))
    assert plain(sync.choices) == plain(async_.choices) and sync.usage == async_.usage


# ---------------------------------------------------------------------------------------
# Streams

STREAMS = {
    "openai text": ("openai", dict(model=OPENAI, seed=2, max_completion_tokens=25, stream=True,
                                   stream_options={"include_usage": True},
                                   messages=[{"role": "user", "content": "A Python set is"}])),
    "openai tool call": ("openai", dict(model=OPENAI, stream=True, tools=[calculator.OPENAI_TOOL],
                                        messages=[{"role": "user", "content": "Compute 12 * 34 and 2 ** 9"}])),
    "anthropic text": ("anthropic", dict(model=ANTHROPIC, max_tokens=25, stream=True,
                                         messages=[{"role": "user", "content": "A Python set is"}])),
    "anthropic tool use": ("anthropic", dict(model=ANTHROPIC, max_tokens=200, stream=True,
                                             tools=[calculator.ANTHROPIC_TOOL],
                                             messages=[{"role": "user", "content": "What is 12 * 34?"}])),
}


def send(client, provider):
    return client.chat.completions.create if provider == "openai" else client.messages.create


def collected(result):
    return (result.text, result.finish_reason, result.tool_calls, result.tokens,
            result.chunk_texts, result.events)


@pytest.mark.parametrize("case", list(STREAMS))
def test_stream_collection(case):
    provider, kwargs = STREAMS[case]

    async def use(client):
        return await acollect_stream(await send(client, provider)(**kwargs))

    sync, async_ = both(lambda: collect_stream(send(sync_client(provider), provider)(**kwargs)),
                        lambda: with_async_client(provider, use))
    assert collected(sync) == collected(async_)
    assert sync.text or sync.tool_calls


def test_anthropic_stream_helper():
    kwargs = dict(model=ANTHROPIC, max_tokens=30, messages=[{"role": "user", "content": "Hello!"}])

    def run_sync():
        with sync_client("anthropic").messages.stream(**kwargs) as stream:
            return collect_stream(stream), stream.get_final_message()

    async def use(client):
        async with client.messages.stream(**kwargs) as stream:
            return await acollect_stream(stream), await stream.get_final_message()

    (sync, sync_final), (async_, async_final) = both(run_sync, lambda: with_async_client("anthropic", use))
    assert collected(sync) == collected(async_)
    assert plain(sync_final.content) == plain(async_final.content)


# ---------------------------------------------------------------------------------------
# Tool calls


async def sleepy_double(x: int) -> int:
    await asyncio.sleep(0)
    return 2 * x


def broken(x: int) -> int:
    raise RuntimeError("the database is down")


def picky(x: int) -> int:
    raise ValueError(f"x must be below 10, not {x}")


REGISTRY = {"calculator": calculator.evaluate, "broken": broken, "picky": picky}
CALLS = [
    ("calculator", '{"expression": "2 ** 10"}'),
    ("calculator", {"expression": "1 / 0"}),
    ("calculator", '{"expression": "1 +'),
    ("calculator", '{"expr": "1"}'),
    ("calculator", "[1, 2]"),
    ("calculator", ""),
    ("weather", "{}"),
    ("broken", {"x": 1}),
    ("picky", {"x": 12}),
    (None, "{}"),
]


@pytest.mark.parametrize(("name", "arguments"), CALLS)
def test_call_tool(name, arguments):
    assert call_tool(name, arguments, REGISTRY) == asyncio.run(acall_tool(name, arguments, REGISTRY))


def test_only_the_async_twin_awaits_async_tools():
    tools = {"double": sleepy_double}
    assert asyncio.run(acall_tool("double", {"x": 21}, tools)).content == "42"
    refused = call_tool("double", {"x": 21}, tools)  # the coroutine is closed, never left unawaited
    assert refused.is_error and "acall_tool" in refused.content


def test_one_replys_calls():
    message = {"role": "assistant", "tool_calls": [
        {"id": "call_1", "type": "function", "function": {"name": "calculator", "arguments": '{"expression": "6 * 7"}'}},
        {"id": "call_2", "type": "custom", "custom": {"name": "x", "input": ""}},
        {"id": "call_3", "type": "function", "function": {"name": "broken", "arguments": '{"x": 1}'}},
    ]}
    content = [{"type": "text", "text": "Let me compute."},
               {"type": "tool_use", "id": "toolu_1", "name": "calculator", "input": {"expression": "6 * 7"}},
               {"type": "tool_use", "id": "toolu_2", "name": "picky", "input": {"x": 99}}]
    assert run_openai_tool_calls(message, REGISTRY) == asyncio.run(arun_openai_tool_calls(message, REGISTRY))
    assert run_anthropic_tool_calls(content, REGISTRY) == \
        asyncio.run(arun_anthropic_tool_calls(content, REGISTRY))
    with pytest.raises(ValueError, match="no tool_use"):
        asyncio.run(arun_anthropic_tool_calls(content[:1], REGISTRY))


# ---------------------------------------------------------------------------------------
# Tool loops

QUESTIONS = ["What is 2 * (3 + 4) ** 2?", "Compute 1234 * 5678 and 2 ** 10", "What is 1 / 0?",
             "Say hello."]
EXTRA = {"openai": dict(model=OPENAI), "anthropic": dict(model=ANTHROPIC, max_tokens=200)}


def loop_outcome(result):
    return result.text, result.rounds, result.usage, plain(result.messages), plain(result.response)


@pytest.mark.parametrize("provider", ["openai", "anthropic"])
@pytest.mark.parametrize("question", QUESTIONS)
def test_tool_loop(provider, question):
    kwargs = dict(EXTRA[provider], messages=[{"role": "user", "content": question}])

    async def use(client):
        return await arun_tool_loop(client, TOOLS, **kwargs)

    sync, async_ = both(lambda: run_tool_loop(sync_client(provider), TOOLS, **kwargs),
                        lambda: with_async_client(provider, use))
    assert loop_outcome(sync) == loop_outcome(async_)
    if question != "Say hello.":
        assert sync.rounds == 2  # one round of tool calls, then the answer


@pytest.mark.parametrize("provider", ["openai", "anthropic"])
def test_max_rounds_guard(provider):
    kwargs = dict(EXTRA[provider], messages=[{"role": "user", "content": "What is 6 * 7?"}])

    def catch_sync():
        with pytest.raises(ToolLoopLimitError) as caught:
            run_tool_loop(sync_client(provider), TOOLS, max_rounds=1, **kwargs)
        return caught.value

    async def catch_async(client):
        try:
            await arun_tool_loop(client, TOOLS, max_rounds=1, **kwargs)
        except ToolLoopLimitError as error:
            return error
        raise AssertionError("no ToolLoopLimitError")

    sync, async_ = both(catch_sync, lambda: with_async_client(provider, catch_async))
    assert str(sync) == str(async_) and "after 1 round (max_rounds=1," in str(sync)
    assert (sync.rounds, sync.usage, plain(sync.messages)) == \
        (async_.rounds, async_.usage, plain(async_.messages))
