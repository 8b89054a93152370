"""Tools a model can call: the calculator, and provider-neutral helpers around it.

    from course_lib.tools import calculator, run_openai_tool_calls
    calculator.evaluate("2 * (3 + 4) ** 2")     # -> 98
    tools = [calculator.OPENAI_TOOL]            # or [calculator.ANTHROPIC_TOOL]

- ``schema``: one :class:`ToolSpec`, rendered by :func:`to_openai` / :func:`to_anthropic`.
- ``loop``: run a model's tool calls and get back the tool-result messages
  (:func:`run_openai_tool_calls`, :func:`run_anthropic_tool_calls`); bad calls become error
  results for the model, never exceptions.
- ``calculator``: the safe evaluator and its tool definitions.

Only the standard library is imported here; the SDKs are never needed to use these helpers.
"""

from course_lib.tools import calculator
from course_lib.tools.errors import CalculatorError
from course_lib.tools.loop import (
    ToolResult,
    call_tool,
    run_anthropic_tool_calls,
    run_openai_tool_calls,
)
from course_lib.tools.schema import ToolSpec, to_anthropic, to_openai

__all__ = [
    "CalculatorError",
    "ToolResult",
    "ToolSpec",
    "calculator",
    "call_tool",
    "run_anthropic_tool_calls",
    "run_openai_tool_calls",
    "to_anthropic",
    "to_openai",
]
