"""Run the tool calls a model asked for, and shape the results the way each provider wants.

A model's tool call is untrusted text: the tool may not exist, the JSON may be broken, the
arguments may have the wrong names, the tool itself may fail. None of that raises here;
each becomes an error result the model reads on its next turn and can correct.

    messages += run_openai_tool_calls(response.choices[0].message, tools)
    -> [{"role": "tool", "tool_call_id": "call_1", "content": "98"}]

    messages.append(run_anthropic_tool_calls(response.content, tools))
    -> {"role": "user", "content": [{"type": "tool_result", "tool_use_id": "toolu_1",
                                     "content": "98"}]}

``tools`` is either ``{"calculator": evaluate}`` or a list of :class:`ToolSpec`. SDK objects
and plain dicts are both accepted, so the same helpers work with recorded responses.
"""

from __future__ import annotations

import inspect
import json
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from course_lib._fields import field
from course_lib.tools.schema import ToolSpec

Tools = Mapping[str, Callable[..., Any]] | Iterable[ToolSpec]


@dataclass(frozen=True)
class ToolResult:
    """What a tool call produced: the text for the model, and whether it is an error."""

    content: str
    is_error: bool = False


def _error(message: str) -> ToolResult:
    return ToolResult(f"Error: {message}", is_error=True)


def _functions(tools: Tools) -> Mapping[str, Callable[..., Any]]:
    if isinstance(tools, Mapping):
        return tools
    tools = list(tools)
    if not all(isinstance(spec, ToolSpec) for spec in tools):
        # A common slip: passing the provider-format dicts sent as tools=[...] to the API.
        raise TypeError(
            "tools must be {name: function} or a list of ToolSpec, not the "
            "provider-format tool definitions"
        )
    return {spec.name: spec.function for spec in tools}


def call_tool(name: str, arguments: str | Mapping[str, Any] | None, tools: Tools) -> ToolResult:
    """Run one call: ``arguments`` is the JSON text (OpenAI) or the parsed dict (Anthropic).

    ``call_tool("calculator", '{"expression": "1 + 1"}', {"calculator": evaluate})``
    -> ``ToolResult(content="2", is_error=False)``
    """
    functions = _functions(tools)
    function = functions.get(name) if isinstance(name, str) else None
    if function is None:
        return _error(f"unknown tool {name!r}; available tools: {', '.join(functions)}")
    if arguments is None or arguments == "":  # some models send "" for a tool without arguments
        arguments = {}
    if isinstance(arguments, str):
        try:
            arguments = json.loads(arguments)
        except (ValueError, RecursionError) as error:  # JSONDecodeError, or hostile nesting
            return _error(f"the arguments are not valid JSON ({error}); send a JSON object")
    if not isinstance(arguments, Mapping):
        return _error('the arguments must be a JSON object, e.g. {"expression": "1 + 1"}')
    try:
        # Check names before calling, so a TypeError from inside the tool is not blamed on them.
        inspect.signature(function).bind(**arguments)
    except TypeError as error:
        return _error(f"wrong arguments for {name}: {error}")
    except ValueError:  # some builtins have no signature; let the call itself complain
        pass
    try:
        value = function(**arguments)
        return ToolResult(value if isinstance(value, str) else json.dumps(value, default=str))
    except ValueError as error:  # the tool's own "bad input" message, e.g. CalculatorError
        return _error(str(error))
    # Deliberately broad: a bug or outage in the tool must not crash the conversation;
    # the model reads the error and can retry or answer without the tool.
    except Exception as error:
        return _error(f"{name} failed with {type(error).__name__}: {error}")


def run_openai_tool_calls(message: Any, tools: Tools) -> list[dict[str, Any]]:
    """Run every ``tool_calls`` entry of a Chat Completions message; one tool message each.

    ``message`` is a ``ChatCompletionMessage``, its dict, or the ``tool_calls`` list itself.
    Returns ``[]`` when the model called no tools. Error results start with ``"Error: "``
    (the Chat Completions API has no error flag for tool messages).
    """
    if field(message, "choices") is not None:  # a whole ChatCompletion would silently give []
        raise TypeError("pass the message, response.choices[0].message, not the response")
    calls = message if isinstance(message, list) else field(message, "tool_calls")
    results = []
    for call in calls or []:
        kind = field(call, "type", "function")
        if kind == "function":
            function = field(call, "function")
            result = call_tool(field(function, "name"), field(function, "arguments"), tools)
        else:
            result = _error(f"tool calls of type {kind!r} are not supported; call a function")
        results.append(
            {"role": "tool", "tool_call_id": field(call, "id"), "content": result.content}
        )
    return results


def run_anthropic_tool_calls(content: Any, tools: Tools) -> dict[str, Any]:
    """Run every ``tool_use`` block; return the one user message that answers them all.

    ``content`` is ``response.content`` (or the ``Message`` itself), as SDK blocks or dicts.
    Errors are marked ``"is_error": True`` so the model knows the call failed.
    """
    if not isinstance(content, list):
        content = field(content, "content")
    blocks = []
    for block in content or []:
        if field(block, "type") != "tool_use":
            continue
        result = call_tool(field(block, "name"), field(block, "input"), tools)
        block_result = {
            "type": "tool_result",
            "tool_use_id": field(block, "id"),
            "content": result.content,
        }
        if result.is_error:
            block_result["is_error"] = True
        blocks.append(block_result)
    if not blocks:
        # A user message with no content is a 400 from the API; fail here, where it is clear.
        raise ValueError(
            "the response has no tool_use blocks; check "
            "response.stop_reason == 'tool_use' before running tools"
        )
    return {"role": "user", "content": blocks}
