"""course_lib.tools.schema: one definition read back from either provider's format, and
tool_choice spelled for each provider (checked against the SDKs' own request types)."""

import anthropic.types
import openai.types.chat
import pydantic
import pytest

from course_lib.tools import ToolSpec, calculator
from course_lib.tools.schema import (
    anthropic_tool_choice,
    from_anthropic,
    from_openai,
    openai_tool_choice,
    to_anthropic,
    to_openai,
)


def valid(param_type, value):
    return pydantic.TypeAdapter(param_type).validate_python(value)


def test_round_trips_through_both_formats():
    spec = calculator.CALCULATOR
    back = from_openai(to_openai(spec, strict=True), spec.function)
    assert back == spec  # strict is a rendering option, not part of the definition
    assert from_anthropic(to_anthropic(spec), spec.function) == spec
    # the OpenAI definition converts to exactly the Anthropic one, and back
    assert to_anthropic(from_openai(calculator.OPENAI_TOOL, spec.function)) == calculator.ANTHROPIC_TOOL
    assert to_openai(from_anthropic(calculator.ANTHROPIC_TOOL, spec.function),
                     strict=True) == calculator.OPENAI_TOOL


def test_read_back_copies_the_schema_and_fills_gaps():
    tool = {"type": "function", "function": {"name": "now"}}  # no description, no parameters
    spec = from_openai(tool, lambda: "12:00")
    assert spec.description == "" and spec.parameters == {"type": "object", "properties": {}}
    anthropic_tool = to_anthropic(calculator.CALCULATOR)
    spec = from_anthropic({**anthropic_tool, "cache_control": {"type": "ephemeral"}}, abs)
    spec.parameters["properties"]["x"] = {}
    assert "x" not in anthropic_tool["input_schema"]["properties"]


@pytest.mark.parametrize("bad", [{"name": "calculator"}, {"type": "function"},
                                 {"type": "function", "function": "calculator"}])
def test_read_back_refuses_the_wrong_shape(bad):
    with pytest.raises(ValueError):
        from_openai(bad, abs)
    with pytest.raises(ValueError):
        from_anthropic(bad, abs)
    with pytest.raises(ValueError, match="look"):  # an OpenAI tool is not an Anthropic one
        from_anthropic(calculator.OPENAI_TOOL, abs)


@pytest.mark.parametrize(("choice", "openai_form", "anthropic_form"), [
    ("auto", "auto", {"type": "auto"}),
    ("none", "none", {"type": "none"}),
    ("required", "required", {"type": "any"}),
    ("any", "required", {"type": "any"}),  # Anthropic's word for it, accepted for both
    ("calculator", {"type": "function", "function": {"name": "calculator"}},
     {"type": "tool", "name": "calculator"}),
    (calculator.CALCULATOR, {"type": "function", "function": {"name": "calculator"}},
     {"type": "tool", "name": "calculator"}),
])
def test_tool_choice_per_provider(choice, openai_form, anthropic_form):
    assert openai_tool_choice(choice) == openai_form
    assert anthropic_tool_choice(choice) == anthropic_form
    valid(openai.types.chat.ChatCompletionToolChoiceOptionParam, openai_form)
    valid(anthropic.types.ToolChoiceParam, anthropic_form)


def test_a_tool_named_like_a_mode_is_forced_when_passed_as_a_spec():
    spec = ToolSpec("none", "A tool with an awkward name.", {"type": "object"}, lambda: 1)
    assert anthropic_tool_choice(spec) == {"type": "tool", "name": "none"}
    assert openai_tool_choice(spec) == {"type": "function", "function": {"name": "none"}}


@pytest.mark.parametrize("bad", ["call the calculator", "", None, 3])
def test_tool_choice_refuses_what_no_api_accepts(bad):
    with pytest.raises(ValueError, match="tool_choice"):
        openai_tool_choice(bad)
    with pytest.raises(ValueError, match="tool_choice"):
        anthropic_tool_choice(bad)


def test_the_docstring_examples_hold():
    import doctest

    from course_lib.tools import schema

    assert doctest.testmod(schema).failed == 0
