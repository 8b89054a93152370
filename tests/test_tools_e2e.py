"""The calculator tool loop end to end: a model (the offline stand-in) calls it through both SDKs.

This is the loop lessons 7.14-7.20 write in the notebook: offer the tool, run the calls the
model makes, send the results back, read the answer. Error results travel the same way.
"""

import pytest

from course_lib.clients import anthropic_client, openai_client
from course_lib.config import default_model
from course_lib.tools import calculator, run_anthropic_tool_calls, run_openai_tool_calls

TOOLS = [calculator.CALCULATOR]


@pytest.fixture(autouse=True)
def offline(monkeypatch):
    monkeypatch.setenv("COURSE_OFFLINE", "1")


def openai_answer(question):
    client = openai_client(max_retries=0)
    messages = [{"role": "user", "content": question}]
    response = client.chat.completions.create(
        model=default_model("openai"), messages=messages, tools=[calculator.OPENAI_TOOL]
    )
    assert response.choices[0].finish_reason == "tool_calls"
    message = response.choices[0].message
    messages.append(message.model_dump(exclude_none=True))
    results = run_openai_tool_calls(message, TOOLS)
    assert len(results) == len(message.tool_calls)
    messages += results
    final = client.chat.completions.create(
        model=default_model("openai"), messages=messages, tools=[calculator.OPENAI_TOOL]
    )
    assert final.choices[0].finish_reason == "stop"
    return final.choices[0].message.content, results


def anthropic_answer(question):
    client = anthropic_client(max_retries=0)
    messages = [{"role": "user", "content": question}]
    response = client.messages.create(
        model=default_model("anthropic"),
        max_tokens=200,
        messages=messages,
        tools=[calculator.ANTHROPIC_TOOL],
    )
    assert response.stop_reason == "tool_use"
    messages.append({"role": "assistant", "content": response.content})
    reply = run_anthropic_tool_calls(response.content, TOOLS)
    messages.append(reply)
    final = client.messages.create(
        model=default_model("anthropic"),
        max_tokens=200,
        messages=messages,
        tools=[calculator.ANTHROPIC_TOOL],
    )
    assert final.stop_reason == "end_turn"
    return "".join(block.text for block in final.content if block.type == "text"), reply


@pytest.mark.parametrize("ask", [openai_answer, anthropic_answer], ids=["openai", "anthropic"])
def test_model_uses_the_calculator_result(ask):
    answer, _ = ask("What is 2 * (3 + 4) ** 2?")
    assert "98" in answer


@pytest.mark.parametrize("ask", [openai_answer, anthropic_answer], ids=["openai", "anthropic"])
def test_parallel_calls_are_all_answered(ask):
    answer, _ = ask("Compute 1234 * 5678 and 2 ** 10")
    assert "7006652" in answer and "1024" in answer


def test_openai_error_result_reaches_the_model():
    answer, results = openai_answer("What is 1 / 0?")
    assert results[0]["content"].startswith("Error: division by zero")
    assert "division by zero" in answer


def test_anthropic_error_result_is_flagged_and_reaches_the_model():
    answer, reply = anthropic_answer("What is 1 / 0?")
    assert reply["content"][0]["is_error"] is True
    assert "division by zero" in answer
