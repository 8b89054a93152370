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

The async twins (``acall_tool``, ``arun_openai_tool_calls``, ``arun_anthropic_tool_calls``)
take the same arguments and give the same results; they run one reply's calls concurrently
and await ``async def`` tools. :mod:`course_lib.tools.loop` runs whole conversations.
"""

from __future__ import annotations

import inspect
import json
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from course_lib._fields import field
from course_lib.tools.schema import ToolSpec

__all__ = [
    "ToolResult",
    "Tools",
    "acall_tool",
    "arun_anthropic_tool_calls",
    "arun_openai_tool_calls",
    "call_tool",
    "run_anthropic_tool_calls",
    "run_openai_tool_calls",
]

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


# ---------------------------------------------------------------------------------------
# One call. The checks before it and the wrapping of its outcome are shared by both twins.


def _prepare(
    name: str, arguments: str | Mapping[str, Any] | None, tools: Tools
) -> ToolResult | tuple[Callable[..., Any], Mapping[str, Any]]:
    """The function and its keyword arguments, or the error result that replaces the call."""
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
    return function, arguments


def _as_text(value: Any) -> ToolResult:
    return ToolResult(value if isinstance(value, str) else json.dumps(value, default=str))


def _failed(name: str, error: Exception) -> ToolResult:
    if isinstance(error, ValueError):  # the tool's own "bad input" message, e.g. CalculatorError
        return _error(str(error))
    return _error(f"{name} failed with {type(error).__name__}: {error}")


def call_tool(name: str, arguments: str | Mapping[str, Any] | None, tools: Tools) -> ToolResult:
    """Run one call: ``arguments`` is the JSON text (OpenAI) or the parsed dict (Anthropic).

    ``call_tool("calculator", '{"expression": "1 + 1"}', {"calculator": evaluate})``
    -> ``ToolResult(content="2", is_error=False)``
    """
    prepared = _prepare(name, arguments, tools)
    if isinstance(prepared, ToolResult):
        return prepared
    function, kwargs = prepared
    # Deliberately broad: a bug or outage in the tool must not crash the conversation;
    # the model reads the error and can retry or answer without the tool.
    try:
        value = function(**kwargs)
        if inspect.isawaitable(value):
            getattr(value, "close", lambda: None)()  # never run: no "never awaited" warning
            return _error(f"{name} is an async function: run it with acall_tool or arun_tool_loop")
        return _as_text(value)
    except Exception as error:
        return _failed(name, error)


async def acall_tool(
    name: str, arguments: str | Mapping[str, Any] | None, tools: Tools
) -> ToolResult:
    """:func:`call_tool` that also awaits ``async def`` tools (plain functions run as they are)."""
    prepared = _prepare(name, arguments, tools)
    if isinstance(prepared, ToolResult):
        return prepared
    function, kwargs = prepared
    try:
        value = function(**kwargs)
        if inspect.isawaitable(value):
            value = await value
        return _as_text(value)
    except Exception as error:  # as in call_tool: the model reads it
        return _failed(name, error)


# ---------------------------------------------------------------------------------------
# The calls in a reply, and the messages that answer them, in each provider's shape


@dataclass(frozen=True)
class _Call:
    id: Any
    name: Any
    arguments: Any
    refused: ToolResult | None = None  # the result when the call cannot be run at all


def _openai_calls(message: Any) -> list[_Call]:
    if field(message, "choices") is not None:  # a whole ChatCompletion would silently give []
        raise TypeError("pass the message, response.choices[0].message, not the response")
    calls = []
    for call in (message if isinstance(message, list) else field(message, "tool_calls")) or []:
        kind, function = field(call, "type", "function"), field(call, "function")
        refused = None if kind == "function" else _error(
            f"tool calls of type {kind!r} are not supported; call a function")
        calls.append(_Call(field(call, "id"), field(function, "name"), field(function, "arguments"),
                           refused))
    return calls


def _openai_answers(calls: list[_Call], results: list[ToolResult]) -> list[dict[str, Any]]:
    return [{"role": "tool", "tool_call_id": call.id, "content": result.content}
            for call, result in zip(calls, results, strict=True)]


def _anthropic_calls(content: Any) -> list[_Call]:
    if not isinstance(content, list):
        content = field(content, "content")
    return [_Call(field(block, "id"), field(block, "name"), field(block, "input"))
            for block in content or [] if field(block, "type") == "tool_use"]


def _anthropic_answer(calls: list[_Call], results: list[ToolResult]) -> dict[str, Any]:
    blocks = []
    for call, result in zip(calls, results, strict=True):
        block = {"type": "tool_result", "tool_use_id": call.id, "content": result.content}
        if result.is_error:
            block["is_error"] = True
        blocks.append(block)
    return {"role": "user", "content": blocks}


def _no_tool_use(calls: list[_Call]) -> None:
    if not calls:
        # A user message with no content is a 400 from the API; fail here, where it is clear.
        raise ValueError(
            "the response has no tool_use blocks; check "
            "response.stop_reason == 'tool_use' before running tools"
        )


def _run(calls: list[_Call], tools: Tools) -> list[ToolResult]:
    return [call.refused or call_tool(call.name, call.arguments, tools) for call in calls]


async def _arun(calls: list[_Call], tools: Tools) -> list[ToolResult]:
    import asyncio  # here, so that importing the tools stays light

    async def one(call: _Call) -> ToolResult:
        return call.refused or await acall_tool(call.name, call.arguments, tools)

    return list(await asyncio.gather(*map(one, calls)))  # results in the order of the calls


def run_openai_tool_calls(message: Any, tools: Tools) -> list[dict[str, Any]]:
    """Run every ``tool_calls`` entry of a Chat Completions message; one tool message each.

    ``message`` is a ``ChatCompletionMessage``, its dict, or the ``tool_calls`` list itself.
    Returns ``[]`` when the model called no tools. Error results start with ``"Error: "``
    (the Chat Completions API has no error flag for tool messages).
    """
    calls = _openai_calls(message)
    return _openai_answers(calls, _run(calls, tools))


async def arun_openai_tool_calls(message: Any, tools: Tools) -> list[dict[str, Any]]:
    """:func:`run_openai_tool_calls`, the calls run concurrently (``async def`` tools awaited)."""
    calls = _openai_calls(message)
    return _openai_answers(calls, await _arun(calls, tools))


def run_anthropic_tool_calls(content: Any, tools: Tools) -> dict[str, Any]:
    """Run every ``tool_use`` block; return the one user message that answers them all.

    ``content`` is ``response.content`` (or the ``Message`` itself), as SDK blocks or dicts.
    Errors are marked ``"is_error": True`` so the model knows the call failed.
    """
    calls = _anthropic_calls(content)
    _no_tool_use(calls)
    return _anthropic_answer(calls, _run(calls, tools))


async def arun_anthropic_tool_calls(content: Any, tools: Tools) -> dict[str, Any]:
    """:func:`run_anthropic_tool_calls`, the calls run concurrently."""
    calls = _anthropic_calls(content)
    _no_tool_use(calls)
    return _anthropic_answer(calls, await _arun(calls, tools))
