"""course_lib.usage: Usage built from each provider's records, added up and priced."""

import dataclasses
import subprocess
import sys

import pytest

from course_lib import models
from course_lib.streaming import collect_stream
from course_lib.usage import Usage

OPENAI_USAGE = {"prompt_tokens": 2006, "completion_tokens": 300, "total_tokens": 2306,
                "prompt_tokens_details": {"cached_tokens": 1920}}  # facts.md §7 (cookbook example)
ANTHROPIC_USAGE = {"input_tokens": 21, "output_tokens": 50, "cache_read_input_tokens": 188086,
                   "cache_creation_input_tokens": 0}  # facts.md §7, second call


def test_openai_chat_usage_subtracts_cached_tokens():
    assert Usage.from_openai(OPENAI_USAGE) == Usage(input=86, cached_input=1920, output=300)
    assert Usage.from_openai({"prompt_tokens": 5, "completion_tokens": 2}) == Usage(5, 0, 0, 2)


def test_openai_sdk_objects_response_and_usage():
    from openai.types.chat import ChatCompletion
    from openai.types.completion_usage import CompletionUsage

    usage = CompletionUsage.model_validate(OPENAI_USAGE)
    response = ChatCompletion.model_validate({
        "id": "x", "object": "chat.completion", "created": 0, "model": "m", "choices": [],
        "usage": OPENAI_USAGE})
    assert Usage.from_openai(usage) == Usage.from_openai(response) == Usage.from_openai(OPENAI_USAGE)


def test_openai_responses_api_usage():
    from openai.types.responses import ResponseUsage

    usage = ResponseUsage.model_validate({
        "input_tokens": 2006, "input_tokens_details": {"cached_tokens": 1920, "cache_write_tokens": 0},
        "output_tokens": 300,
        "output_tokens_details": {"reasoning_tokens": 100}, "total_tokens": 2306})
    assert Usage.from_openai(usage) == Usage(input=86, cached_input=1920, output=300)
    assert Usage.of(usage) == Usage.from_openai(usage)


def test_openai_cache_writes_are_counted_apart():
    record = {"prompt_tokens": 2006, "completion_tokens": 3,
              "prompt_tokens_details": {"cached_tokens": 0, "cache_write_tokens": 1920}}
    assert Usage.from_openai(record) == Usage(input=86, cache_write=1920, output=3)
    assert Usage.from_openai(record).prompt == 2006


def test_no_usage_says_how_to_get_it():
    for record in (None, {"id": "x", "usage": None}):
        with pytest.raises(ValueError, match="include_usage"):
            Usage.from_openai(record)


def test_anthropic_usage_keeps_cache_reads_and_writes_apart():
    assert Usage.from_anthropic(ANTHROPIC_USAGE) == Usage(21, 188086, 0, 50)
    assert Usage.from_anthropic({"input_tokens": 3, "output_tokens": 1,
                                 "cache_creation_input_tokens": None}) == Usage(3, 0, 0, 1)


def test_anthropic_sdk_message():
    from anthropic.types import Message

    message = Message.model_validate({
        "id": "msg_1", "type": "message", "role": "assistant", "model": "m", "content": [],
        "stop_reason": "end_turn", "stop_sequence": None,
        "usage": {"input_tokens": 21, "output_tokens": 50, "cache_creation_input_tokens": 188086,
                  "cache_read_input_tokens": None}})
    assert Usage.from_anthropic(message) == Usage(input=21, cache_write=188086, output=50)
    assert Usage.of(message) == Usage.from_anthropic(message)


def test_the_wrong_provider_is_named():
    with pytest.raises(ValueError, match="from_anthropic"):
        Usage.from_openai(ANTHROPIC_USAGE)
    with pytest.raises(ValueError, match="from_openai"):
        Usage.from_anthropic(OPENAI_USAGE)
    with pytest.raises(ValueError, match="not an Anthropic usage record"):
        Usage.of({"tokens": 3})


def test_of_tells_the_providers_apart():
    assert Usage.of(OPENAI_USAGE) == Usage.from_openai(OPENAI_USAGE)
    assert Usage.of(ANTHROPIC_USAGE) == Usage.from_anthropic(ANTHROPIC_USAGE)


def test_adding_and_summing():
    a, b = Usage(1, 2, 3, 4), Usage(10, 20, 30, 40)
    assert a + b == Usage(11, 22, 33, 44)
    assert sum([a, b]) == a + b and sum([a]) is a
    assert sum([], Usage()) == Usage()
    assert (a.prompt, a.total) == (6, 10)
    with pytest.raises(TypeError):
        a + 1


def test_frozen_and_validated():
    with pytest.raises(dataclasses.FrozenInstanceError):
        Usage().input = 3  # type: ignore[misc]
    for bad in (-1, 1.5, True, "3"):
        with pytest.raises(ValueError, match="whole number"):
            Usage(input=bad)


@pytest.mark.parametrize(
    ("record", "model"),
    [
        (OPENAI_USAGE, "gpt-4o"),
        (OPENAI_USAGE, "gpt-5.4-mini"),
        ({"prompt_tokens": 1000, "completion_tokens": 500}, "gpt-4o-mini"),
        (ANTHROPIC_USAGE, "claude-haiku-4-5"),
        ({"input_tokens": 21, "output_tokens": 10, "cache_creation_input_tokens": 1000}, "claude-haiku-4-5"),
        ({"input_tokens": 21, "output_tokens": 10, "cache_creation_input_tokens": 1000}, "gpt-4o"),
    ],
)
def test_cost_is_the_model_tables(record, model):
    assert Usage.of(record).cost(model) == pytest.approx(models.cost(record, model))


def test_cost_of_a_sum_is_the_sum_of_costs():
    parts = [Usage.of(OPENAI_USAGE), Usage(input=7, output=3)]
    assert sum(parts).cost("gpt-4o") == pytest.approx(sum(p.cost("gpt-4o") for p in parts))


def test_unknown_model_is_the_tables_error():
    with pytest.raises(models.UnknownModelError):
        Usage(1).cost("no-such-model")


def test_stream_result_tokens():
    chunks = [{"choices": [{"index": 0, "delta": {"content": "Hi"}, "finish_reason": "stop"}]},
              {"choices": [], "usage": {"prompt_tokens": 5, "completion_tokens": 1}}]
    assert collect_stream(chunks).tokens == Usage(input=5, output=1)
    assert collect_stream(chunks[:1]).tokens is None
    events = [{"type": "message_start", "message": {"usage": {"input_tokens": 9, "output_tokens": 1}}},
              {"type": "message_delta", "delta": {"stop_reason": "end_turn"}, "usage": {"output_tokens": 4}}]
    assert collect_stream(events).tokens == Usage(input=9, output=4)


# ---------------------------------------------------------------------------------------
# Against the stand-in: a stream's usage equals the same request's non-streamed usage


@pytest.fixture(scope="module")
def stand_in():
    from course_lib.clients import offline_anthropic_client, offline_openai_client

    return offline_openai_client(max_retries=0), offline_anthropic_client(max_retries=0)


def test_streamed_and_non_streamed_usage_agree(stand_in):
    from course_lib.config import DEFAULT_MODELS

    openai_client, anthropic_client = stand_in
    kwargs = dict(model=DEFAULT_MODELS["openai"], seed=3, max_completion_tokens=20,
                  messages=[{"role": "user", "content": "Describe Python lists."}])
    streamed = collect_stream(openai_client.chat.completions.create(
        **kwargs, stream=True, stream_options={"include_usage": True}))
    assert streamed.tokens == Usage.from_openai(openai_client.chat.completions.create(**kwargs))
    assert streamed.tokens.output == 20

    # the SDK's stream helper (it refuses a reply cut off by the length limit: ask for enough)
    kwargs = dict(kwargs, max_completion_tokens=100,
                  messages=[{"role": "user", "content": "In one short sentence: what is a Python list?"}])
    with openai_client.chat.completions.stream(**kwargs, stream_options={"include_usage": True}) as stream:
        helper = collect_stream(stream)
    assert Usage.from_openai(stream.get_final_completion()) == helper.tokens
    assert helper.tokens == Usage.from_openai(openai_client.chat.completions.create(**kwargs))

    kwargs = dict(model=DEFAULT_MODELS["anthropic"], max_tokens=20,
                  messages=[{"role": "user", "content": "Describe Python lists."}])
    with anthropic_client.messages.stream(**kwargs) as stream:
        result = collect_stream(stream)
    assert result.tokens == Usage.from_anthropic(stream.get_final_message())
    assert result.tokens == Usage.from_anthropic(anthropic_client.messages.create(**kwargs))


def test_importing_usage_is_light():
    code = "import sys, course_lib.usage; print(sorted({'course_lib.models', 'openai', 'anthropic', 'pandas'} & set(sys.modules)))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert out.stdout.strip() == "[]", out.stderr
