"""course_lib.streaming: the streaming printer, on hand-made chunks and on the stand-in's streams."""

import io
import json

import pytest

from course_lib.streaming import StreamResult, collect_stream, print_stream


class FakeClock:
    """A clock that advances 10 ms each time it is read."""

    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        self.now += 0.01
        return self.now


def chunk(delta=None, finish=None, usage=None, choices=True):
    data = {"id": "chatcmpl-x", "object": "chat.completion.chunk", "created": 0, "model": "m",
            "choices": [{"index": 0, "delta": delta or {}, "finish_reason": finish}] if choices else [],
            "usage": usage}
    return data


OPENAI_TEXT = [
    chunk({"role": "assistant", "content": ""}),
    chunk({"content": "Hel"}),
    chunk({"content": None}),
    chunk({"content": "lo"}),
    chunk({}, "length"),
    chunk(usage={"prompt_tokens": 5, "completion_tokens": 2, "total_tokens": 7}, choices=False),
]


def test_openai_dict_chunks_text_finish_usage_and_timings():
    out = io.StringIO()
    result = print_stream(OPENAI_TEXT, file=out, clock=FakeClock())
    assert out.getvalue() == "Hello\n"
    assert (result.text, result.finish_reason) == ("Hello", "length")
    assert result.usage["completion_tokens"] == 2
    assert result.chunk_texts == ["Hel", "lo"]
    assert result.events == len(OPENAI_TEXT)
    # start=0.01; content arrived at the reads after chunks 2 and 4; total after the loop
    assert result.ttft_s == pytest.approx(0.01)
    assert result.chunk_times == pytest.approx([0.01, 0.02])
    assert result.total_s == pytest.approx(0.03)


def test_start_argument_counts_time_before_the_stream():
    result = collect_stream(OPENAI_TEXT, start=-1.0, clock=FakeClock())
    assert result.ttft_s == pytest.approx(1.01)


def test_sdk_chunk_objects_and_tool_call_fragments_joined_per_index():
    from openai.types.chat import ChatCompletionChunk

    def tool(index, arguments, name=None):
        if name:
            return {"index": index, "id": f"call_{index}", "type": "function",
                    "function": {"name": name, "arguments": arguments}}
        return {"index": index, "function": {"arguments": arguments}}

    raw = [
        chunk({"role": "assistant", "content": None, "tool_calls": [tool(0, "", "calculator")]}),
        chunk({"tool_calls": [tool(0, '{"expression": ')]}),
        chunk({"tool_calls": [tool(1, "", "calculator")]}),
        chunk({"tool_calls": [tool(1, '{"expression": "3*4"}')]}),
        chunk({"tool_calls": [tool(0, '"1+2"}')]}),
        chunk({}, "tool_calls"),
    ]
    stream = [ChatCompletionChunk.model_validate(c) for c in raw]
    out = io.StringIO()
    result = print_stream(stream, file=out)
    assert result.text == "" and result.finish_reason == "tool_calls"
    assert [(c["index"], c["id"], c["name"]) for c in result.tool_calls] == [
        (0, "call_0", "calculator"), (1, "call_1", "calculator")]
    assert [json.loads(c["arguments"]) for c in result.tool_calls] == [
        {"expression": "1+2"}, {"expression": "3*4"}]
    assert result.ttft_s is not None and len(result.chunk_texts) == 3
    assert "[tool call calculator(" in out.getvalue()


def test_anthropic_events_including_cumulative_usage():
    events = [
        {"type": "message_start", "message": {"usage": {"input_tokens": 25, "output_tokens": 1}}},
        {"type": "content_block_start", "index": 0, "content_block": {"type": "text", "text": ""}},
        {"type": "ping"},
        {"type": "content_block_delta", "index": 0, "delta": {"type": "text_delta", "text": "Hi"}},
        {"type": "content_block_delta", "index": 0, "delta": {"type": "text_delta", "text": "!"}},
        {"type": "content_block_stop", "index": 0},
        {"type": "content_block_start", "index": 1,
         "content_block": {"type": "tool_use", "id": "toolu_1", "name": "calculator", "input": {}}},
        {"type": "content_block_delta", "index": 1,
         "delta": {"type": "input_json_delta", "partial_json": '{"expression": "2'}},
        {"type": "content_block_delta", "index": 1,
         "delta": {"type": "input_json_delta", "partial_json": '+2"}'}},
        {"type": "content_block_stop", "index": 1},
        {"type": "message_delta", "delta": {"stop_reason": "tool_use"}, "usage": {"output_tokens": 7}},
        {"type": "message_delta", "delta": {"stop_reason": None}, "usage": {"output_tokens": 9}},
        {"type": "message_stop"},
    ]
    result = collect_stream(events)
    assert result.text == "Hi!" and result.finish_reason == "tool_use"
    assert result.usage["input_tokens"] == 25
    assert result.usage["output_tokens"] == 9  # the latest cumulative value, not a sum
    assert result.tool_calls == [{"index": 1, "id": "toolu_1", "name": "calculator",
                                  "arguments": '{"expression": "2+2"}'}]


def test_repr_is_short_and_formats_timings_for_the_sanitiser():
    text = repr(StreamResult(text="x" * 100, finish_reason="stop", ttft_s=0.0123, total_s=1.5))
    assert "12.3 ms" in text and "1500.0 ms" in text and len(text) < 200


# ---------------------------------------------------------------------------------------
# Against the stand-in, through the real SDKs


@pytest.fixture(scope="module")
def openai_client():
    openai = pytest.importorskip("openai")
    from course_lib import offline

    server = offline.start()
    return openai.OpenAI(base_url=server.url + "/v1", api_key="offline-test")


def test_stand_in_stream_equals_non_streamed_reply(openai_client):
    from course_lib.config import DEFAULT_MODELS

    kwargs = dict(model=DEFAULT_MODELS["openai"], seed=7, max_completion_tokens=20,
                  messages=[{"role": "user", "content": "Describe Python dictionaries."}])
    stream = openai_client.chat.completions.create(
        stream=True, stream_options={"include_usage": True}, **kwargs)
    result = collect_stream(stream)
    response = openai_client.chat.completions.create(**kwargs)
    assert result.text == response.choices[0].message.content
    assert result.finish_reason == response.choices[0].finish_reason
    assert result.usage.completion_tokens == response.usage.completion_tokens
    assert result.usage.prompt_tokens == response.usage.prompt_tokens
    assert result.ttft_s is not None and result.total_s >= result.ttft_s


def test_stand_in_streamed_tool_call(openai_client):
    from course_lib.config import DEFAULT_MODELS
    from course_lib.tools.calculator import OPENAI_TOOL, evaluate

    stream = openai_client.chat.completions.create(
        model=DEFAULT_MODELS["openai"], stream=True, tools=[OPENAI_TOOL], seed=1,
        messages=[{"role": "user", "content": "What is 1234 * 5678?"}])
    result = collect_stream(stream)
    assert result.finish_reason == "tool_calls"
    (call,) = result.tool_calls
    assert call["name"] == "calculator" and call["id"]
    assert evaluate(json.loads(call["arguments"])["expression"]) == 1234 * 5678


def test_stand_in_anthropic_stream():
    anthropic = pytest.importorskip("anthropic")
    from course_lib import offline
    from course_lib.config import DEFAULT_MODELS

    client = anthropic.Anthropic(base_url=offline.start().url, api_key="offline-test")
    kwargs = dict(model=DEFAULT_MODELS["anthropic"], max_tokens=20,
                  messages=[{"role": "user", "content": "Describe Python dictionaries."}])
    with client.messages.stream(**kwargs) as stream:
        result = collect_stream(stream)
    final = stream.get_final_message()
    assert result.text == "".join(b.text for b in final.content if b.type == "text")
    assert result.finish_reason == final.stop_reason
    assert result.usage["output_tokens"] == final.usage.output_tokens
    assert result.usage["input_tokens"] == final.usage.input_tokens
