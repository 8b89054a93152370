"""Lesson 7.20 — Claude tool use: answering tool_use blocks, and porting a tool definition.

``check_tool_results`` runs the student's function on hidden ``anthropic.types.Message``
objects that ask for calculator calls (one, two, one that fails, one after some text);
``check_anthropic_tool`` gives theirs hidden OpenAI tool definitions to convert.

    >>> verdict = check_anthropic_tool(None)
    ❌ NOT YET: Not answered yet: replace the None in the cell above with your answer, then re-run.
"""

from __future__ import annotations

from typing import Any

from course_lib.exercises._report import NOT_ANSWERED, Verdict, call, never_raises, report

__all__ = ["check_anthropic_tool", "check_tool_results"]


def _message(*blocks: dict) -> Any:
    from anthropic.types import Message

    return Message.model_validate({
        "id": "msg_hidden", "type": "message", "role": "assistant", "model": "hidden",
        "content": list(blocks), "stop_reason": "tool_use", "stop_sequence": None,
        "usage": {"input_tokens": 300, "output_tokens": 20},
    })


def _use(n: int, expression: str) -> dict:
    return {"type": "tool_use", "id": f"toolu_hidden{n}", "name": "calculator",
            "input": {"expression": expression}}


def _result_cases() -> list[tuple[str, Any, list[tuple[str, str, bool]]]]:
    """(what it tests, message, [(tool_use_id, result text, is_error), ...])."""
    return [
        ("one call", _message(_use(1, "48271 * 93817")), [("toolu_hidden1", "4528640407", False)]),
        ("two calls in one reply", _message(_use(1, "2 ** 10"), _use(2, "7 / 2")),
         [("toolu_hidden1", "1024", False), ("toolu_hidden2", "3.5", False)]),
        ("a division by zero", _message(_use(3, "1 / 0")), [("toolu_hidden3", "", True)]),
        ("text before the call",
         _message({"type": "text", "text": "I'll use the calculator."}, _use(4, "(17 + 25) * 3")),
         [("toolu_hidden4", "126", False)]),
    ]


def _result_problem(what: str, got: Any, expected: list[tuple[str, str, bool]]) -> str | None:
    if not isinstance(got, dict):
        return f"Return one message (a dict), got {type(got).__name__}."
    if got.get("role") != "user":
        return (f"On {what}: role is {got.get('role')!r}. Tool results go back in a USER "
                "message (Anthropic has no 'tool' role).")
    blocks = got.get("content")
    if not isinstance(blocks, list):
        return f"On {what}: content must be a list of tool_result blocks."
    if len(blocks) != len(expected):
        return (f"On {what}: {len(blocks)} block(s) for {len(expected)} tool_use block(s). "
                "Answer every tool_use block, and only those (skip text blocks).")
    for block, (use_id, text, is_error) in zip(blocks, expected, strict=True):
        if not isinstance(block, dict) or block.get("type") != "tool_result":
            return f"On {what}: each block is a dict with type 'tool_result', got {block!r}."
        if block.get("tool_use_id") != use_id:
            return (f"On {what}: tool_use_id {block.get('tool_use_id')!r}; it must be the id of "
                    "the tool_use block it answers, in the same order.")
        content = block.get("content")
        if not isinstance(content, str):
            return f"On {what}: content should be the result as a string, got {content!r}."
        if is_error:
            if block.get("is_error") is not True:
                return (f"On {what}: the calculator refused, so the block needs "
                        "'is_error': True (and the error message as its content).")
            if not content.strip():
                return f"On {what}: put the calculator's error message in content."
        else:
            if block.get("is_error"):
                return f"On {what}: 'is_error' is set on a call that succeeded."
            if content.strip('"') != text:
                return f"On {what}: content {content!r}, expected the calculator's result {text!r}."
    return None


@never_raises
def check_tool_results(fn: Any) -> Verdict:
    """Does ``fn(message) -> dict`` answer every calculator tool_use with a tool_result block?"""
    if fn is None:
        return report(False, "", NOT_ANSWERED)
    if not callable(fn):
        return report(False, "", "Pass a function: tool_results(message) -> dict.")
    cases = _result_cases()
    for what, message, expected in cases:
        got, problem = call(fn, message, shown="tool_results(message)")
        if problem:
            hint = ""
            if "CalculatorError" in problem or "ZeroDivision" in problem:
                hint = " Catch CalculatorError and send its message back with is_error."
            elif "AttributeError" in problem:
                hint = " A text block has no .input: look at block.type first."
            return report(False, "", f"On {what}: {problem}.{hint}")
        if got is None:
            return report(False, "", "Not answered yet: finish tool_results() so it returns a "
                                     "message.")
        problem = _result_problem(what, got, expected)
        if problem:
            return report(False, "", problem)
    return report(True, f"All {len(cases)} hidden replies answered correctly.", "")


# ---------------------------------------------------------------------------------------


def _openai_tools() -> list[tuple[str, dict]]:
    weather = {
        "type": "function",
        "function": {
            "name": "get_weather",
            "description": "Current weather for a city.",
            "parameters": {"type": "object", "properties": {"city": {"type": "string"}},
                           "required": ["city"]},
        },
    }
    now = {"type": "function", "function": {"name": "get_time", "description": "The time now."}}
    convert = {  # written for OpenAI's strict mode, as in lesson 7.16
        "type": "function",
        "function": {
            "name": "convert_units",
            "description": "Convert a quantity between units of length.",
            "parameters": {
                "type": "object",
                "properties": {"value": {"type": "number"},
                               "from_unit": {"type": "string", "enum": ["m", "km", "mi"]},
                               "to_unit": {"type": "string", "enum": ["m", "km", "mi"]}},
                "required": ["value", "from_unit", "to_unit"],
                "additionalProperties": False,
            },
            "strict": True,
        },
    }
    return [
        ("a strict tool", convert),
        ("a weather tool", weather),
        ("a tool with no parameters", now),
    ]


def _tool_problem(what: str, got: Any, tool: dict) -> str | None:
    function = tool["function"]
    if not isinstance(got, dict):
        return f"Return a dict, got {type(got).__name__}."
    leftover = sorted({"function", "parameters"} & set(got)) or (
        ["type"] if got.get("type") not in (None, "custom") else [])
    if leftover:
        return (f"On {what}: {leftover} are OpenAI's wrapping. An Anthropic tool is flat: "
                "name, description, input_schema.")
    if got.get("name") != function["name"]:
        return f"On {what}: name {got.get('name')!r}, expected {function['name']!r}."
    if got.get("description", "") != function.get("description", ""):
        return f"On {what}: keep the description word for word: it is the model's only guide."
    schema = function.get("parameters", {"type": "object", "properties": {}})
    if "input_schema" not in got:
        hint = (" OpenAI lets a tool without arguments leave out parameters; Anthropic "
                'requires input_schema: use {"type": "object", "properties": {}}.'
                if "parameters" not in function else "")
        return f"On {what}: no input_schema.{hint}"
    if got["input_schema"] != schema:
        return (f"On {what}: input_schema should be the OpenAI 'parameters' schema, unchanged; "
                f"got {got['input_schema']!r}.")
    if "strict" in got and not isinstance(got["strict"], bool):
        return f"On {what}: strict, if you keep it, is a boolean."
    if got["input_schema"] is function.get("parameters"):
        return (f"On {what}: input_schema is the very same dict as the OpenAI parameters; copy "
                "it (copy.deepcopy), so editing one tool never changes the other.")
    return None


@never_raises
def check_anthropic_tool(fn: Any) -> Verdict:
    """Does ``fn(openai_tool) -> dict`` give the same tool in Anthropic's format?"""
    import pydantic
    from anthropic.types import ToolParam

    if fn is None:
        return report(False, "", NOT_ANSWERED)
    if not callable(fn):
        return report(False, "", "Pass a function: port_tool(openai_tool) -> dict.")
    cases = _openai_tools()
    for what, tool in cases:
        got, problem = call(fn, tool, shown="port_tool(openai_tool)")
        if problem:
            hint = ""
            if "KeyError" in problem:
                hint = (" Not every OpenAI tool has every field: a tool without arguments may "
                        "have no 'parameters'. Use .get with a default.")
            return report(False, "", f"On {what}: {problem}.{hint}")
        if got is None:
            return report(False, "", "Not answered yet: finish port_tool() so it returns a "
                                     "dict.")
        problem = _tool_problem(what, got, tool)
        if problem:
            return report(False, "", problem)
        try:
            pydantic.TypeAdapter(ToolParam).validate_python(got)
        except pydantic.ValidationError as error:
            return report(False, "", f"On {what}: the SDK's ToolParam type rejects it: "
                                     f"{str(error).splitlines()[0]}")
    return report(True, f"All {len(cases)} hidden tools converted; the Messages API would "
                        "accept each one.", "")

