"""The stand-in across several tool rounds (behaviours/tool_rounds.py), as a real model behaves:
forced tool use holds on every request, sequential calls continue until the arithmetic is done,
and the final answer covers every round of the turn. Engine level, then through both SDKs."""

from __future__ import annotations

import json

import pytest

from course_lib.model import engine
from course_lib.model.types import GenerationRequest, Message, Tool, ToolCall
from course_lib.tools import calculator, run_anthropic_tool_calls, run_openai_tool_calls

CALCULATOR = Tool(
    "calculator",
    "Evaluate an arithmetic expression exactly.",
    {"type": "object", "properties": {"expression": {"type": "string"}},
     "required": ["expression"], "additionalProperties": False},
)
WEATHER = Tool(
    "get_weather",
    "Get the current weather for a city.",
    {"type": "object", "properties": {"city": {"type": "string"}}, "required": ["city"]},
)


def generate(messages, **options):
    return engine.generate(GenerationRequest("m", messages, tools=[CALCULATOR], **options))


def answered(messages, generation):
    """messages + the generation's calls + the calculator's result for each."""
    calls = generation.tool_calls
    results = run_openai_tool_calls(
        [{"id": c.id, "function": {"name": c.name, "arguments": c.arguments}} for c in calls],
        [calculator.CALCULATOR],
    )
    return [*messages, Message("assistant", tool_calls=calls),
            *(Message("tool", r["content"], tool_call_id=r["tool_call_id"]) for r in results)]


def expressions(generation):
    return [json.loads(c.arguments)["expression"] for c in generation.tool_calls]


def test_sequential_calls_continue_one_per_response_until_the_arithmetic_is_done():
    messages = [Message("user", "Compute 2+2, 3*7 and 10/4")]
    rounds = []
    g = generate(messages, parallel_tool_calls=False, tool_choice="required")
    while g.tool_calls:
        rounds.append(expressions(g))
        messages = answered(messages, g)
        g = generate(messages, parallel_tool_calls=False)  # auto after the first round
    assert rounds == [["2+2"], ["3*7"], ["10/4"]]
    assert (g.text, g.finish_reason, g.behaviour) == (
        "2+2 = 4. 3*7 = 21. 10/4 = 2.5.", "stop", "tool_result")
    ids = [c.id for m in messages for c in m.tool_calls]
    assert len(set(ids)) == 3  # each round's call has its own id


def test_parallel_calls_finish_in_one_round_and_the_answer_is_unchanged():
    messages = [Message("user", "Compute 2+2, 3*7 and 10/4")]
    g = generate(messages)
    assert expressions(g) == ["2+2", "3*7", "10/4"]
    final = generate(answered(messages, g))
    assert final.text == "2+2 = 4. 3*7 = 21. 10/4 = 2.5." and final.behaviour == "tool_result"


def test_forced_tool_choice_calls_again_after_results_a_loop_that_keeps_forcing_never_ends():
    messages = [Message("user", "What is 12 * 7?")]
    for choice in ("required", "calculator"):
        g = generate(messages, tool_choice=choice)
        history = messages
        for _ in range(4):
            assert g.finish_reason == "tool_calls" and expressions(g) == ["12 * 7"]
            history = answered(history, g)
            g = generate(history, tool_choice=choice)
        assert g.behaviour == "forced_call" and g.text == ""
        ids = [c.id for m in history for c in m.tool_calls]
        assert len(set(ids)) == len(ids) == 4  # a fresh id every round
        # the same history with tool_choice "auto" (or "none") gets the answer, said once
        assert generate(history).text == generate(history, tool_choice="none").text == "12 * 7 = 84."


def test_a_forced_named_tool_is_called_again_with_its_arguments():
    messages = [Message("user", "Weather in Paris?"),
                Message("assistant", tool_calls=[ToolCall("call_1", "get_weather",
                                                          '{"city":"Paris"}')]),
                Message("tool", "18C, sunny", tool_call_id="call_1")]
    request = GenerationRequest("m", messages, tools=[CALCULATOR, WEATHER],
                                tool_choice="get_weather")
    g = engine.generate(request)
    assert [(c.name, json.loads(c.arguments)) for c in g.tool_calls] == [
        ("get_weather", {"city": "Paris"})]
    request.tool_choice = "auto"
    assert engine.generate(request).text == "The get_weather tool returned: 18C, sunny."


def test_tool_choice_none_after_results_answers_in_text():
    messages = [Message("user", "Compute 2+2 and 3*7")]
    first = generate(messages, parallel_tool_calls=False)
    g = generate(answered(messages, first), tool_choice="none")
    assert g.tool_calls == [] and g.text == "2+2 = 4."


def test_a_failed_call_counts_as_done_and_the_answer_reports_it():
    messages = [Message("user", "Compute 7 / 0 and 2 ** 10")]
    first = generate(messages, parallel_tool_calls=False)
    assert expressions(first) == ["7 / 0"]
    second = generate(answered(messages, first), parallel_tool_calls=False)
    assert expressions(second) == ["2 ** 10"]
    final = generate(answered(answered(messages, first), second))
    assert final.text == ("The calculator tool failed: division by zero in 7 / 0. "
                          "2 ** 10 = 1024.")


def test_after_a_hallucinated_tool_name_the_real_tool_is_called():
    messages = [Message("user", "What is 2 + 2?"),
                Message("assistant", tool_calls=[ToolCall("call_x", "calculate",
                                                          '{"expression":"2 + 2"}')]),
                Message("tool", "Error: unknown tool 'calculate'; available tools: calculator",
                        tool_call_id="call_x")]
    g = generate(messages)
    assert [(c.name, c.arguments) for c in g.tool_calls] == [
        ("calculator", '{"expression":"2 + 2"}')] and g.behaviour == "next_call"


def test_an_earlier_turn_does_not_count_for_this_one():
    done_before = answered([Message("user", "What is 2+2?")],
                           generate([Message("user", "What is 2+2?")]))
    messages = [*done_before, Message("assistant", "2+2 = 4."), Message("user", "And 2+2 and 5*5?")]
    g = generate(messages, parallel_tool_calls=False)
    assert expressions(g) == ["2+2"]
    final = generate(answered(answered(messages, g), generate(answered(messages, g))))
    assert final.text == "2+2 = 4. 5*5 = 25."


def test_json_output_after_several_rounds_is_left_to_structured_output():
    messages = [Message("user", "Compute 2+2 and 3*7")]
    first = generate(messages, parallel_tool_calls=False)
    history = answered(messages, first)
    history = answered(history, generate(history, parallel_tool_calls=False))
    schema = {"type": "object", "properties": {"total": {"type": "number"}},
              "required": ["total"], "additionalProperties": False}
    g = generate(history, json_schema=schema)
    assert g.behaviour == "json_schema" and "total" in json.loads(g.text)


# ------------------------------------------------------------------------------------------
# Through the SDKs and the HTTP layer


@pytest.fixture
def offline_env(monkeypatch):
    monkeypatch.setenv("COURSE_OFFLINE", "1")


def test_openai_sequential_rounds_and_forced_loop(offline_env):
    from course_lib.clients import openai_client
    from course_lib.config import default_model

    client, model = openai_client(max_retries=0), default_model("openai")
    messages = [{"role": "user", "content": "Compute 2+2 and 3*7"}]
    choices = ["required", "auto", "auto"]
    for choice in choices:
        response = client.chat.completions.create(
            model=model, messages=messages, tools=[calculator.OPENAI_TOOL], tool_choice=choice,
            parallel_tool_calls=False, max_completion_tokens=200)
        message = response.choices[0].message
        if not message.tool_calls:
            break
        assert len(message.tool_calls) == 1
        messages += [message.model_dump(exclude_none=True),
                     *run_openai_tool_calls(message, [calculator.CALCULATOR])]
    assert message.content == "2+2 = 4. 3*7 = 21." and choice == "auto"

    forced = client.chat.completions.create(
        model=model, messages=messages, tools=[calculator.OPENAI_TOOL], tool_choice="required",
        max_completion_tokens=200)
    assert forced.choices[0].finish_reason == "tool_calls"


def test_anthropic_any_keeps_calling_and_disable_parallel_goes_one_by_one(offline_env):
    from course_lib.clients import anthropic_client
    from course_lib.config import default_model

    client, model = anthropic_client(max_retries=0), default_model("anthropic")
    messages = [{"role": "user", "content": "Compute 2+2 and 3*7"}]
    one_by_one = {"type": "auto", "disable_parallel_tool_use": True}
    for _ in range(3):
        response = client.messages.create(model=model, max_tokens=200, messages=messages,
                                          tools=[calculator.ANTHROPIC_TOOL], tool_choice=one_by_one)
        if response.stop_reason != "tool_use":
            break
        assert sum(b.type == "tool_use" for b in response.content) == 1
        messages += [{"role": "assistant", "content": response.content},
                     run_anthropic_tool_calls(response.content, [calculator.CALCULATOR])]
    assert response.content[0].text == "2+2 = 4. 3*7 = 21."
    forced = client.messages.create(model=model, max_tokens=200, messages=messages,
                                    tools=[calculator.ANTHROPIC_TOOL], tool_choice={"type": "any"})
    assert forced.stop_reason == "tool_use"
