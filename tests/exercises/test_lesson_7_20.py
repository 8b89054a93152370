"""Lesson 7.20's checks: answering tool_use blocks, and porting an OpenAI tool definition."""

import copy
import json

from course_lib.exercises import check_anthropic_tool, check_tool_results
from course_lib.tools import CalculatorError, calculator, run_anthropic_tool_calls
from course_lib.tools.schema import from_openai, to_anthropic
from course_lib.tools.calculator import evaluate


def tool_results(message):  # the lesson's solution
    blocks = []
    for block in message.content:
        if block.type != "tool_use":
            continue
        result = {"type": "tool_result", "tool_use_id": block.id}
        try:
            result["content"] = json.dumps(evaluate(block.input["expression"]))
        except CalculatorError as error:
            result["content"], result["is_error"] = str(error), True
        blocks.append(result)
    return {"role": "user", "content": blocks}


def test_tool_results(verdict):
    verdict(check_tool_results(None), False)
    verdict(check_tool_results(42), False)

    def uncaught(message):
        return {"role": "user", "content": [
            {"type": "tool_result", "tool_use_id": b.id,
             "content": json.dumps(evaluate(b.input["expression"]))}
            for b in message.content if b.type == "tool_use"]}

    assert "Catch CalculatorError" in verdict(check_tool_results(uncaught), False)

    def openai_style(message):
        return {"role": "tool", "content": tool_results(message)["content"]}

    assert "USER" in verdict(check_tool_results(openai_style), False)

    def no_flag(message):
        out = tool_results(message)
        for block in out["content"]:
            block.pop("is_error", None)
        return out

    assert "is_error" in verdict(check_tool_results(no_flag), False)

    def every_block(message):  # text blocks have no .input
        return {"role": "user", "content": [
            {"type": "tool_result", "tool_use_id": b.id, "content": str(b.input)} for b in message.content]}

    verdict(check_tool_results(every_block), False)

    def wrong_id(message):
        out = tool_results(message)
        for block in out["content"]:
            block["tool_use_id"] = "toolu_1"
        return out

    assert "tool_use_id" in verdict(check_tool_results(wrong_id), False)
    verdict(check_tool_results(tool_results), True)
    # course_lib's helper is right too (its errors start "Error: ")
    verdict(check_tool_results(lambda m: run_anthropic_tool_calls(m, [calculator.CALCULATOR])), True)


def port_tool(openai_tool):  # the lesson's solution
    function = openai_tool["function"]
    return {
        "name": function["name"],
        "description": function.get("description", ""),
        "input_schema": copy.deepcopy(function.get("parameters", {"type": "object", "properties": {}})),
    }


def test_anthropic_tool(verdict):
    verdict(check_anthropic_tool(None), False)
    verdict(check_anthropic_tool(lambda t: None), False)
    assert "flat" in verdict(check_anthropic_tool(lambda t: t), False)
    assert "flat" in verdict(check_anthropic_tool(lambda t: {**t["function"]}), False)

    def strict_keys(t):  # KeyError on the tool without parameters
        f = t["function"]
        return {"name": f["name"], "description": f["description"],
                "input_schema": copy.deepcopy(f["parameters"])}

    assert ".get" in verdict(check_anthropic_tool(strict_keys), False)

    def no_schema(t):
        out = port_tool(t)
        if "parameters" not in t["function"]:
            del out["input_schema"]
        return out

    assert "requires input_schema" in verdict(check_anthropic_tool(no_schema), False)

    def shared(t):
        f = t["function"]
        return {"name": f["name"], "description": f.get("description", ""),
                "input_schema": f.get("parameters", {"type": "object", "properties": {}})}

    assert "deepcopy" in verdict(check_anthropic_tool(shared), False)
    assert "word for word" in verdict(check_anthropic_tool(
        lambda t: {**port_tool(t), "description": "A tool."}), False)
    verdict(check_anthropic_tool(lambda t: {**port_tool(t), "strict": "yes"}), False)
    verdict(check_anthropic_tool(port_tool), True)
    # keeping strict (Anthropic tools accept it too) is fine, and so is course_lib's converter
    verdict(check_anthropic_tool(lambda t: {**port_tool(t), "strict": True}), True)
    verdict(check_anthropic_tool(lambda t: to_anthropic(from_openai(t, print))), True)


def test_the_module_docstring_example_holds():
    import doctest

    from course_lib.exercises import lesson_7_20

    assert doctest.testmod(lesson_7_20).failed == 0
