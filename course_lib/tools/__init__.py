"""Tools a model can call: the calculator, and provider-neutral helpers around it.

    from course_lib.tools import calculator, run_openai_tool_calls
    calculator.evaluate("2 * (3 + 4) ** 2")     # -> 98
    tools = [calculator.OPENAI_TOOL]            # or [calculator.ANTHROPIC_TOOL]

- ``schema``: one :class:`ToolSpec`, rendered by :func:`to_openai` / :func:`to_anthropic`.
- ``calls``: run a model's tool calls and get back the tool-result messages
  (:func:`run_openai_tool_calls`, :func:`run_anthropic_tool_calls`); bad calls become error
  results for the model, never exceptions.
- ``loop``: the whole conversation (:func:`run_tool_loop`): request, tool calls, results
  back, until the model answers or ``max_rounds`` is reached (:class:`ToolLoopLimitError`).
- Every function that runs tools has an async twin with an ``a`` in front (``acall_tool``,
  ``arun_tool_loop``, ...): same arguments, same results.
- ``calculator``: the safe evaluator and its tool definitions.

Only the standard library is imported here; the SDKs are never needed to use these helpers.
"""

from course_lib.tools import calculator
from course_lib.tools.errors import CalculatorError
from course_lib.tools.calls import (
    ToolResult,
    acall_tool,
    arun_anthropic_tool_calls,
    arun_openai_tool_calls,
    call_tool,
    run_anthropic_tool_calls,
    run_openai_tool_calls,
)
from course_lib.tools.loop import (
    DEFAULT_MAX_ROUNDS,
    ToolLoopLimitError,
    ToolLoopResult,
    arun_tool_loop,
    run_tool_loop,
)
from course_lib.tools.schema import ToolSpec, to_anthropic, to_openai

__all__ = [
    "DEFAULT_MAX_ROUNDS",
    "CalculatorError",
    "ToolLoopLimitError",
    "ToolLoopResult",
    "ToolResult",
    "ToolSpec",
    "acall_tool",
    "arun_anthropic_tool_calls",
    "arun_openai_tool_calls",
    "arun_tool_loop",
    "calculator",
    "call_tool",
    "run_anthropic_tool_calls",
    "run_openai_tool_calls",
    "run_tool_loop",
    "to_anthropic",
    "to_openai",
]
