"""Lesson 7.15's checks: answering tool calls by id, and the whole loop against the stand-in."""

import json

import openai
import pytest

from course_lib.clients import OFFLINE_KEY
from course_lib.config import default_model
from course_lib.exercises import check_tool_loop, check_tool_messages
from course_lib.tools import CalculatorError, calculator, run_openai_tool_calls
from course_lib.tools.calculator import OPENAI_TOOL, evaluate


def tool_messages(message):  # the lesson's solution
    out = []
    for call in message.tool_calls:
        try:
            content = json.dumps(evaluate(json.loads(call.function.arguments)["expression"]))
        except CalculatorError as error:
            content = f"Error: {error}"
        out.append({"role": "tool", "tool_call_id": call.id, "content": content})
    return out


def test_tool_messages(verdict):
    verdict(check_tool_messages(None), False)
    verdict(check_tool_messages(42), False)
    verdict(check_tool_messages(lambda m: None), False)

    def crashes_on_refusal(message):
        return [{"role": "tool", "tool_call_id": c.id,
                 "content": json.dumps(evaluate(json.loads(c.function.arguments)["expression"]))}
                for c in message.tool_calls]

    assert "CalculatorError" in verdict(check_tool_messages(crashes_on_refusal), False)

    def first_only(message):
        return tool_messages(message)[:1]

    verdict(check_tool_messages(first_only), False)

    def same_id(message):
        return [{**m, "tool_call_id": message.tool_calls[0].id} for m in tool_messages(message)]

    assert "tool_call_id" in verdict(check_tool_messages(same_id), False)

    def numbers(message):
        return [{**m, "content": json.loads(m["content"]) if not m["content"].startswith("Error")
                 else m["content"]} for m in tool_messages(message)]

    assert "string" in verdict(check_tool_messages(numbers), False)

    def wrong_role(message):
        return [{**m, "role": "user"} for m in tool_messages(message)]

    verdict(check_tool_messages(wrong_role), False)
    verdict(check_tool_messages(tool_messages), True)
    # The course's helper is a correct answer too (any "Error: ..." text is accepted).
    verdict(check_tool_messages(lambda m: run_openai_tool_calls(m, [calculator.CALCULATOR])), True)


@pytest.fixture(scope="module")
def client(url):
    return openai.OpenAI(base_url=url + "/v1", api_key=OFFLINE_KEY, max_retries=0, timeout=20)


def make_solve(client, *, force_first=True, answer=True, send_results=True):
    model = default_model("openai")

    def solve(question):
        messages = [{"role": "user", "content": question}]
        for round_ in range(5):
            response = client.chat.completions.create(
                model=model, messages=messages, tools=[OPENAI_TOOL],
                tool_choice="required" if round_ == 0 and force_first else "auto",
                max_completion_tokens=200)
            message = response.choices[0].message
            messages.append({"role": "assistant", "content": message.content,
                             **({"tool_calls": [c.to_dict() for c in message.tool_calls]}
                                if message.tool_calls else {})})
            if not message.tool_calls:
                return messages
            if not send_results:
                return messages
            messages += run_openai_tool_calls(message, [calculator.CALCULATOR])
            if not answer:
                return messages
        return messages

    return solve


def test_tool_loop(verdict, client):
    verdict(check_tool_loop(None), False)
    verdict(check_tool_loop(lambda q: None), False)
    verdict(check_tool_loop(lambda q: [{"role": "user", "content": q}]), False)
    no_call = [{"role": "user", "content": "What is 123456789 * 987654321?"},
               {"role": "assistant", "content": "Let me think."},
               {"role": "user", "content": "Go on."},
               {"role": "assistant", "content": "121932631112635269"}]
    assert "tool_calls" in verdict(check_tool_loop(lambda q: no_call), False)
    assert "final answer" in verdict(check_tool_loop(make_solve(client, answer=False)), False)
    verdict(check_tool_loop(make_solve(client, send_results=False)), False)

    def raises(question):
        raise RuntimeError("boom")

    assert "boom" in verdict(check_tool_loop(raises), False)
    verdict(check_tool_loop(make_solve(client)), True)


def test_the_checks_expected_values_are_the_calculators():
    from course_lib.exercises.lesson_7_15 import EXPECTED

    for expression, value in EXPECTED.items():
        if value is None:
            with pytest.raises(CalculatorError):
                evaluate(expression)
        else:
            assert evaluate(expression) == value, expression
