"""course_lib.tools.loop: the whole tool conversation, its max_rounds guard and its checks.

The guard is tested with a scripted fake model (a client whose create() returns recorded
replies, as dicts) where the stand-in cannot be made to call tools forever; everything else
talks to the stand-in through the real SDKs.
"""

import asyncio

import pytest

from course_lib import clients, offline
from course_lib.config import DEFAULT_MODELS
from course_lib.tools import (
    DEFAULT_MAX_ROUNDS,
    ToolLoopLimitError,
    arun_tool_loop,
    calculator,
    run_tool_loop,
    to_openai,
)
from course_lib.usage import Usage

QUESTION = [{"role": "user", "content": "What is 6 * 7?"}]


def openai_reply(n, calls=True):
    message = {"role": "assistant", "content": None if calls else "42"}
    if calls:
        message["tool_calls"] = [{"id": f"call_{n}", "type": "function", "function": {
            "name": "calculator", "arguments": '{"expression": "6 * 7"}'}}]
    return {"choices": [{"index": 0, "message": message,
                         "finish_reason": "tool_calls" if calls else "stop"}],
            "usage": {"prompt_tokens": 100, "completion_tokens": 10}}


class FakeOpenAI:
    """A scripted model: answers ``replies`` in order, recording each request."""

    def __init__(self, replies, is_async=False):
        self.replies, self.requests, self.is_async = list(replies), [], is_async
        self.chat = self
        self.completions = self

    def create(self, **request):
        self.requests.append(request)
        reply = self.replies.pop(0)
        if not self.is_async:
            return reply

        async def later():
            return reply

        return later()


def test_a_model_that_never_stops_calling_tools_is_stopped():
    model = FakeOpenAI(openai_reply(n) for n in range(10))
    with pytest.raises(ToolLoopLimitError) as caught:
        run_tool_loop(model, [calculator.CALCULATOR], model="m", messages=QUESTION, max_rounds=3)
    error = caught.value
    assert len(model.requests) == 3 and error.rounds == 3
    assert str(error).startswith("The model was still calling tools after 3 rounds (max_rounds=3")
    assert "330 tokens so far" in str(error) and "last asked for: calculator" in str(error)
    assert "raise max_rounds" in str(error) and "tool_choice" in str(error)
    assert error.usage == Usage(input=300, output=30)
    assert [m["role"] for m in error.messages] == ["user"] + ["assistant", "tool"] * 3


def test_the_async_twin_stops_at_the_same_round():
    model = FakeOpenAI((openai_reply(n) for n in range(10)), is_async=True)
    with pytest.raises(ToolLoopLimitError, match="after 2 rounds"):
        asyncio.run(arun_tool_loop(model, [calculator.CALCULATOR], model="m", messages=QUESTION,
                                   max_rounds=2))
    assert len(model.requests) == 2


def test_an_answer_in_the_last_allowed_round_is_an_answer():
    model = FakeOpenAI([openai_reply(1), openai_reply(2, calls=False)])
    result = run_tool_loop(model, {"calculator": calculator.evaluate}, model="m",
                           messages=QUESTION, tools=[calculator.OPENAI_TOOL], max_rounds=2)
    assert (result.text, result.rounds, result.usage) == ("42", 2, Usage(input=200, output=20))
    # the second request repeats the call (content and tool_calls only) and carries its result
    sent = model.requests[1]["messages"]
    assert sent[1] == {"role": "assistant", "tool_calls": openai_reply(1)["choices"][0]["message"]["tool_calls"]}
    assert sent[2] == {"role": "tool", "tool_call_id": "call_1", "content": "42"}
    assert result.messages == [*sent, {"role": "assistant", "content": "42"}]


def test_the_callers_messages_are_never_changed():
    messages = list(QUESTION)
    model = FakeOpenAI([openai_reply(1), openai_reply(2, calls=False)])
    run_tool_loop(model, [calculator.CALCULATOR], model="m", messages=messages)
    assert messages == QUESTION and len(model.requests[0]["messages"]) == 1


def test_tool_specs_are_rendered_for_the_provider_when_tools_is_left_out():
    model = FakeOpenAI([openai_reply(1, calls=False)])
    run_tool_loop(model, [calculator.CALCULATOR], model="m", messages=QUESTION)
    assert model.requests[0]["tools"] == [to_openai(calculator.CALCULATOR)]
    with pytest.raises(TypeError, match="tools="):
        run_tool_loop(model, {"calculator": calculator.evaluate}, model="m", messages=QUESTION)


@pytest.mark.parametrize(
    ("options", "error", "words"),
    [
        (dict(max_rounds=0), ValueError, "max_rounds must be"),
        (dict(max_rounds=2.5), ValueError, "max_rounds must be"),
        (dict(stream=True), ValueError, "stream=True"),
        (dict(messages=None), TypeError, "messages="),
    ],
)
def test_bad_loop_arguments_fail_before_any_request(options, error, words):
    model = FakeOpenAI([])
    request = {"model": "m", "messages": QUESTION, **options}
    if request["messages"] is None:
        del request["messages"]
    with pytest.raises(error, match=words):
        run_tool_loop(model, [calculator.CALCULATOR], **request)
    assert model.requests == []


def test_the_wrong_twin_says_which_to_use():
    with pytest.raises(TypeError, match="arun_tool_loop"):
        run_tool_loop(FakeOpenAI([openai_reply(1)], is_async=True), [calculator.CALCULATOR],
                      model="m", messages=QUESTION)
    with pytest.raises(TypeError, match="run_tool_loop"):
        asyncio.run(arun_tool_loop(FakeOpenAI([openai_reply(1)]), [calculator.CALCULATOR],
                                   model="m", messages=QUESTION))
    with pytest.raises(TypeError, match="OpenAI or Anthropic client"):
        run_tool_loop(object(), [calculator.CALCULATOR], model="m", messages=QUESTION)


def test_default_guard():
    assert DEFAULT_MAX_ROUNDS == 8


def test_async_tools_of_one_round_run_concurrently():
    """Each tool waits for the other to start: only concurrent calls can both finish."""
    started = {"a": asyncio.Event(), "b": asyncio.Event()}

    async def wait_for(other: str, me: str) -> str:
        started[me].set()
        await asyncio.wait_for(started[other].wait(), timeout=5)
        return me

    async def a() -> str:
        return await wait_for("b", "a")

    async def b() -> str:
        return await wait_for("a", "b")

    reply = {"choices": [{"index": 0, "finish_reason": "tool_calls", "message": {
        "role": "assistant", "content": None, "tool_calls": [
            {"id": "1", "type": "function", "function": {"name": "a", "arguments": "{}"}},
            {"id": "2", "type": "function", "function": {"name": "b", "arguments": "{}"}}]}}],
        "usage": {"prompt_tokens": 1, "completion_tokens": 1}}
    model = FakeOpenAI([reply, openai_reply(2, calls=False)], is_async=True)
    result = asyncio.run(arun_tool_loop(model, {"a": a, "b": b}, model="m", messages=QUESTION,
                                        tools=[]))
    assert [m["content"] for m in result.messages if m["role"] == "tool"] == ["a", "b"]


# ---------------------------------------------------------------------------------------
# Against the stand-in


def test_anthropic_loop_keeps_the_content_blocks():
    client = clients.offline_anthropic_client(max_retries=0)
    result = run_tool_loop(client, [calculator.CALCULATOR], model=DEFAULT_MODELS["anthropic"],
                           max_tokens=200, messages=QUESTION)
    assert "42" in result.text and result.rounds == 2
    assistant, answer = result.messages[1], result.messages[2]
    # the reply's own SDK blocks go back as they came (the documented way to continue)
    assert "tool_use" in [block.type for block in assistant["content"]]
    assert answer["role"] == "user" and answer["content"][0]["type"] == "tool_result"
    assert answer["content"][0]["content"] == "42"
    assert result.usage.input > 0 and result.usage.output > 0


def test_forced_tool_choice_trips_the_guard_on_the_stand_in():
    """tool_choice="required" holds on every request, so a loop that keeps forcing never ends:
    the stand-in calls again after results (model/behaviours/tool_rounds.py), like a real model."""
    offline.reset()
    client = clients.offline_openai_client(max_retries=0)
    with pytest.raises(ToolLoopLimitError):
        run_tool_loop(client, [calculator.CALCULATOR], model=DEFAULT_MODELS["openai"],
                      messages=QUESTION, tool_choice="required", max_rounds=3)
