"""course_lib.tools: one tool definition for both providers, and running a model's tool calls.

The shapes are checked against the SDKs' own types (parsed responses in, request params out),
so a change in either SDK's contract shows up here rather than in a lesson.
"""

import json
import subprocess
import sys

import anthropic.types
import openai.types.chat
import pydantic
import pytest

from course_lib.tools import (
    ToolResult,
    ToolSpec,
    call_tool,
    calculator,
    run_anthropic_tool_calls,
    run_openai_tool_calls,
    to_anthropic,
    to_openai,
)

TOOLS = {"calculator": calculator.evaluate}


def valid(param_type, value):
    """Validate a request dict against the SDK's TypedDict, as the SDK would serialise it."""
    return pydantic.TypeAdapter(param_type).validate_python(value)


# ------------------------------------------------------------------------------------------
# Tool definitions


WEATHER = ToolSpec(
    name="get_weather",
    description="Current weather for a city.",
    parameters={
        "type": "object",
        "properties": {"city": {"type": "string"}, "unit": {"type": ["string", "null"]}},
        "required": ["city", "unit"],
        "additionalProperties": False,
    },
    function=lambda city, unit=None: {"city": city, "temperature": 21, "unit": unit or "C"},
)


def test_one_spec_renders_for_both_providers():
    assert to_openai(WEATHER) == {
        "type": "function",
        "function": {
            "name": "get_weather",
            "description": "Current weather for a city.",
            "parameters": WEATHER.parameters,
        },
    }
    assert to_anthropic(WEATHER) == {
        "name": "get_weather",
        "description": "Current weather for a city.",
        "input_schema": WEATHER.parameters,
    }
    assert to_openai(WEATHER, strict=True)["function"]["strict"] is True


def test_calculator_definitions_match_the_sdk_types():
    valid(openai.types.chat.ChatCompletionToolParam, calculator.OPENAI_TOOL)
    valid(anthropic.types.ToolParam, calculator.ANTHROPIC_TOOL)
    assert to_openai(calculator.CALCULATOR, strict=True) == calculator.OPENAI_TOOL
    assert to_anthropic(calculator.CALCULATOR) == calculator.ANTHROPIC_TOOL


def test_rendered_schemas_are_copies():
    rendered = to_openai(WEATHER)
    rendered["function"]["parameters"]["properties"]["city"]["type"] = "integer"
    assert WEATHER.parameters["properties"]["city"]["type"] == "string"
    assert to_anthropic(WEATHER)["input_schema"] is not WEATHER.parameters


@pytest.mark.parametrize(
    "parameters, problem",
    [
        (
            {"type": "object", "properties": {"a": {"type": "string"}}, "required": ["a"]},
            "additionalProperties",
        ),
        (
            {
                "type": "object",
                "properties": {"a": {}, "b": {}},
                "required": ["a"],
                "additionalProperties": False,
            },
            r"\['b'\]",
        ),
        (
            {
                "type": "object",
                "properties": {"a": {"type": "object", "properties": {}}},
                "required": ["a"],
                "additionalProperties": False,
            },
            r"parameters\.a",
        ),
    ],
)
def test_strict_mode_requirements_are_checked_early(parameters, problem):
    spec = ToolSpec("t", "d", parameters, print)
    to_openai(spec)  # fine without strict
    with pytest.raises(ValueError, match=problem):
        to_openai(spec, strict=True)


@pytest.mark.parametrize("name", ["", "has space", "x" * 65, "dots.not.allowed"])
def test_tool_names_follow_the_providers_rules(name):
    with pytest.raises(ValueError, match="tool name"):
        ToolSpec(name, "d", {"type": "object"}, print)


def test_parameters_must_describe_an_object():
    with pytest.raises(ValueError, match='"type": "object"'):
        ToolSpec("t", "d", {"type": "string"}, print)


# ------------------------------------------------------------------------------------------
# call_tool: every way a model's call can go wrong becomes an error result


@pytest.mark.parametrize(
    "name, arguments, expected",
    [
        ("calculator", '{"expression": "2 * (3 + 4) ** 2"}', ToolResult("98")),
        ("calculator", {"expression": "1 / 4"}, ToolResult("0.25")),
        ("calculator", '{"expression": "2 ** 3321"}', ToolResult(str(2**3321))),
    ],
)
def test_call_tool_runs_the_function(name, arguments, expected):
    assert call_tool(name, arguments, TOOLS) == expected


@pytest.mark.parametrize(
    "name, arguments, message",
    [
        (
            "calculate",
            '{"expression": "1"}',
            "unknown tool 'calculate'; available tools: calculator",
        ),
        ("calculator", '{"expression": "1 +', "not valid JSON"),
        ("calculator", '["1 + 1"]', "must be a JSON object"),
        ("calculator", "[" * 100_000, "not valid JSON"),  # json.loads would hit RecursionError
        ("calculator", "1" * 5000, "not valid JSON"),  # over Python's int-parsing limit
        (None, "{}", "unknown tool None"),
        ("calculator", '"1 + 1"', "must be a JSON object"),
        ("calculator", '{"expr": "1 + 1"}', "wrong arguments for calculator"),
        ("calculator", "{}", "missing a required argument: 'expression'"),
        ("calculator", '{"expression": "1", "precision": 3}', "unexpected keyword"),
        ("calculator", '{"expression": 5}', "must be a string"),
        ("calculator", '{"expression": "1 / 0"}', "division by zero"),
        ("calculator", '{"expression": "9 ** 9 ** 9"}', "1000 digits"),
    ],
)
def test_bad_calls_become_error_results(name, arguments, message):
    result = call_tool(name, arguments, TOOLS)
    assert result.is_error
    assert result.content.startswith("Error: ")
    assert message in result.content


def test_a_failing_tool_is_reported_not_raised():
    def flaky(city):
        raise ConnectionError("weather service unreachable")

    result = call_tool("get_weather", {"city": "Oslo"}, {"get_weather": flaky})
    assert result == ToolResult(
        "Error: get_weather failed with ConnectionError: weather service unreachable", True
    )


def test_results_are_serialised_as_text():
    assert call_tool("get_weather", '{"city": "Oslo", "unit": null}', [WEATHER]) == ToolResult(
        '{"city": "Oslo", "temperature": 21, "unit": "C"}'
    )
    assert call_tool("echo", {"text": "hi"}, {"echo": lambda text: text}).content == "hi"
    assert call_tool("now", "", {"now": lambda: 1}).content == "1"  # "" means no arguments


def test_provider_tool_dicts_are_not_a_registry():
    with pytest.raises(TypeError, match="list of ToolSpec"):
        call_tool("calculator", "{}", [calculator.OPENAI_TOOL])


# ------------------------------------------------------------------------------------------
# OpenAI: tool_calls in, role "tool" messages out


def openai_message(*calls):
    return openai.types.chat.ChatCompletionMessage.model_validate(
        {"role": "assistant", "content": None, "tool_calls": list(calls)}
    )


def function_call(call_id, name, arguments):
    return {"id": call_id, "type": "function", "function": {"name": name, "arguments": arguments}}


def test_openai_parallel_calls_each_get_a_tool_message():
    message = openai_message(
        function_call("call_1", "calculator", '{"expression": "6 * 7"}'),
        function_call("call_2", "calculator", '{"expression": 6 * 7}'),  # broken JSON
        function_call("call_3", "search", "{}"),
        {"id": "call_4", "type": "custom", "custom": {"name": "calculator", "input": "1+1"}},
    )
    results = run_openai_tool_calls(message, TOOLS)
    assert [r["tool_call_id"] for r in results] == ["call_1", "call_2", "call_3", "call_4"]
    assert results[0] == {"role": "tool", "tool_call_id": "call_1", "content": "42"}
    assert "not valid JSON" in results[1]["content"]
    assert "unknown tool 'search'" in results[2]["content"]
    assert "type 'custom'" in results[3]["content"]
    for result in results:
        valid(openai.types.chat.ChatCompletionToolMessageParam, result)


def test_openai_accepts_dicts_and_bare_tool_call_lists():
    call = function_call("call_1", "calculator", '{"expression": "2 ** 10"}')
    expected = [{"role": "tool", "tool_call_id": "call_1", "content": "1024"}]
    assert run_openai_tool_calls({"role": "assistant", "tool_calls": [call]}, TOOLS) == expected
    assert run_openai_tool_calls([call], TOOLS) == expected
    assert run_openai_tool_calls(openai_message(call).tool_calls, TOOLS) == expected


def test_openai_needs_the_message_not_the_whole_response():
    response = openai.types.chat.ChatCompletion.model_validate(
        {
            "id": "chatcmpl-1",
            "object": "chat.completion",
            "created": 0,
            "model": "gpt",
            "choices": [
                {
                    "index": 0,
                    "finish_reason": "tool_calls",
                    "message": openai_message(function_call("call_1", "calculator", "{}")),
                }
            ],
        }
    )
    with pytest.raises(TypeError, match=r"response\.choices\[0\]\.message"):
        run_openai_tool_calls(response, TOOLS)


def test_openai_message_without_tool_calls_needs_no_answer():
    message = openai.types.chat.ChatCompletionMessage(role="assistant", content="Hello")
    assert run_openai_tool_calls(message, TOOLS) == []


# ------------------------------------------------------------------------------------------
# Anthropic: tool_use blocks in, one user message of tool_result blocks out


def anthropic_message(*blocks):
    return anthropic.types.Message.model_validate(
        {
            "id": "msg_1",
            "type": "message",
            "role": "assistant",
            "model": "claude",
            "content": list(blocks),
            "stop_reason": "tool_use",
            "stop_sequence": None,
            "usage": {"input_tokens": 1, "output_tokens": 1},
        }
    )


def tool_use(block_id, name, tool_input):
    return {"type": "tool_use", "id": block_id, "name": name, "input": tool_input}


def test_anthropic_tool_uses_answered_in_one_user_message():
    message = anthropic_message(
        {"type": "text", "text": "Let me calculate."},
        tool_use("toolu_1", "calculator", {"expression": "6 * 7"}),
        tool_use("toolu_2", "calculator", {"expression": "sqrt(-1)"}),
        tool_use("toolu_3", "calculator", {"formula": "1"}),
    )
    reply = run_anthropic_tool_calls(message.content, TOOLS)
    assert reply["role"] == "user"
    first, second, third = reply["content"]
    assert first == {"type": "tool_result", "tool_use_id": "toolu_1", "content": "42"}
    assert second["is_error"] is True and "sqrt() needs a number >= 0" in second["content"]
    assert third["is_error"] is True and "wrong arguments" in third["content"]
    valid(anthropic.types.MessageParam, reply)
    assert run_anthropic_tool_calls(message, TOOLS) == reply  # the Message itself works too


def test_anthropic_accepts_plain_dict_blocks():
    content = [tool_use("toolu_1", "calculator", {"expression": "2 ** 10"})]
    assert run_anthropic_tool_calls(content, [calculator.CALCULATOR]) == {
        "role": "user",
        "content": [{"type": "tool_result", "tool_use_id": "toolu_1", "content": "1024"}],
    }


def test_anthropic_without_tool_use_says_what_to_check():
    message = anthropic_message({"type": "text", "text": "42"})
    with pytest.raises(ValueError, match="stop_reason"):
        run_anthropic_tool_calls(message.content, TOOLS)


# ------------------------------------------------------------------------------------------


def test_importing_tools_does_not_import_the_sdks():
    code = (
        "import sys, course_lib.tools; print('openai' in sys.modules, 'anthropic' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "False"]


def test_error_text_is_json_safe():
    result = call_tool("calculator", {"expression": "'\"\\n'"}, TOOLS)
    assert json.loads(json.dumps(result.content)) == result.content
