"""A whole tool conversation: request, tool calls, results back, ... until the model answers.

    result = run_tool_loop(client, [calculator.CALCULATOR], model=model, messages=messages,
                           tools=[calculator.OPENAI_TOOL], max_rounds=5)
    result.text, result.rounds, result.usage, result.messages

Each round sends one request and runs the tool calls in its reply (with
:mod:`course_lib.tools.calls`, so bad calls become error results the model can correct). The
loop ends when a reply asks for no tools. It sends at most ``max_rounds`` requests: a model
that keeps calling tools cannot loop (and spend) forever; :class:`ToolLoopLimitError` says so.

``client`` is an OpenAI or Anthropic client, sync for :func:`run_tool_loop` and async for
:func:`arun_tool_loop`. One set of steps (``_steps``) lies behind both twins, so they cannot
drift apart; tests/test_parity.py runs the same cases through each. The provider is told
apart in one place, :func:`_shape`. Simplifications: requests are not streamed, and whatever
``tool_choice`` you pass is sent on every round.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Generator, Mapping
from dataclasses import dataclass
from typing import Any

from course_lib._fields import field
from course_lib.tools.calls import (
    ToolResult,
    Tools,
    _anthropic_answer,
    _anthropic_calls,
    _arun,
    _Call,
    _functions,
    _openai_answers,
    _openai_calls,
    _run,
    acall_tool,
    arun_anthropic_tool_calls,
    arun_openai_tool_calls,
    call_tool,
    run_anthropic_tool_calls,
    run_openai_tool_calls,
)
from course_lib.tools.schema import ToolSpec, to_anthropic, to_openai
from course_lib.usage import Usage

__all__ = [  # with the call helpers, which were here first
    "DEFAULT_MAX_ROUNDS",
    "ToolLoopLimitError",
    "ToolLoopResult",
    "ToolResult",
    "acall_tool",
    "arun_anthropic_tool_calls",
    "arun_openai_tool_calls",
    "arun_tool_loop",
    "call_tool",
    "run_anthropic_tool_calls",
    "run_openai_tool_calls",
    "run_tool_loop",
]

DEFAULT_MAX_ROUNDS = 8


class ToolLoopLimitError(RuntimeError):
    """The model still asked for tools when ``max_rounds`` requests had been sent."""

    def __init__(self, rounds: int, names: list[Any], messages: list[Any], usage: Usage) -> None:
        self.rounds, self.messages, self.usage = rounds, messages, usage
        asked = ", ".join(dict.fromkeys(map(str, names)))
        super().__init__(
            f"The model was still calling tools after {rounds} round{'s' * (rounds != 1)} "
            f"(max_rounds={rounds}, "
            f"{usage.total:,} tokens so far; last asked for: {asked}), so there is no answer "
            "yet. If the task needs more steps, raise max_rounds. If the model repeats a call, "
            "read the tool results in error.messages (an error it cannot fix?), and check "
            "tool_choice: a forced tool_choice makes every round call a tool."
        )


@dataclass
class ToolLoopResult:
    """How a tool loop ended: the answer, and what it took to get there."""

    text: str  # the final answer's text
    response: Any  # the final response (it asked for no tools)
    messages: list[Any]  # the whole conversation: yours, every tool round, the final answer
    rounds: int  # requests sent
    usage: Usage  # added up over every request


@dataclass(frozen=True)
class _Shape:
    """What the loop needs from one provider; the only place the two differ."""

    send: Callable[[Any], Callable[..., Any]]  # client -> the method that sends a request
    calls: Callable[[Any], list[_Call]]  # response -> the tool calls in it
    assistant: Callable[[Any], dict[str, Any]]  # response -> the message that repeats it
    answers: Callable[[list[_Call], list[ToolResult]], list[dict[str, Any]]]
    text: Callable[[Any], str]
    usage: Callable[[Any], Usage]
    render: Callable[[ToolSpec], dict[str, Any]]  # ToolSpec -> the definition sent as tools=[...]


def _openai_message(response: Any) -> Any:
    return field(field(response, "choices")[0], "message")


def _openai_assistant(response: Any) -> dict[str, Any]:
    """The reply as an assistant message to send back: content and tool calls, nothing else."""
    message = _openai_message(response)
    repeated: dict[str, Any] = {"role": "assistant"}
    if field(message, "content") is not None:
        repeated["content"] = field(message, "content")
    calls = [{"id": c.id, "type": "function", "function": {"name": c.name, "arguments": c.arguments}}
             for c in _openai_calls(message)]
    if calls:
        repeated["tool_calls"] = calls
    return repeated


def _anthropic_text(response: Any) -> str:
    blocks = field(response, "content") or []
    return "".join(field(b, "text") or "" for b in blocks if field(b, "type") == "text")


_OPENAI = _Shape(
    send=lambda client: client.chat.completions.create,
    calls=lambda response: _openai_calls(_openai_message(response)),
    assistant=_openai_assistant,
    answers=_openai_answers,
    text=lambda response: field(_openai_message(response), "content") or "",
    usage=Usage.from_openai,
    render=to_openai,
)
_ANTHROPIC = _Shape(
    send=lambda client: client.messages.create,
    calls=_anthropic_calls,
    assistant=lambda response: {"role": "assistant", "content": field(response, "content")},
    answers=lambda calls, results: [_anthropic_answer(calls, results)],
    text=_anthropic_text,
    usage=Usage.from_anthropic,
    render=to_anthropic,
)


def _shape(client: Any) -> _Shape:
    if hasattr(client, "chat"):  # OpenAI / AsyncOpenAI
        return _OPENAI
    if hasattr(client, "messages"):  # Anthropic / AsyncAnthropic
        return _ANTHROPIC
    raise TypeError(f"pass an OpenAI or Anthropic client, not {type(client).__name__}")


_Step = tuple[str, Any]  # ("send", request keyword arguments) or ("run", calls)


def _steps(shape: _Shape, tools: Tools, max_rounds: int,
           request: dict[str, Any]) -> Generator[_Step, Any, ToolLoopResult]:
    """The loop itself, for both twins: yields what to do, is sent back what happened."""
    if not isinstance(max_rounds, int) or max_rounds < 1:
        raise ValueError(f"max_rounds must be a whole number >= 1, not {max_rounds!r}")
    if "messages" not in request:
        raise TypeError("pass the conversation so far as messages=[...]")
    if request.get("stream"):
        raise ValueError("the tool loop sends whole (not streamed) requests: leave out stream=True")
    request = dict(request)
    if "tools" not in request:  # the definitions the model sees, rendered from the ToolSpecs
        specs = [] if isinstance(tools, Mapping) else list(tools)
        if not specs:
            raise TypeError("pass tools=[...] (the definitions the model sees), or ToolSpecs")
        _functions(specs)
        request["tools"] = [shape.render(spec) for spec in specs]
    messages = list(request.pop("messages"))
    usage = Usage()
    calls: list[_Call] = []
    for rounds in range(1, max_rounds + 1):
        response = yield "send", {**request, "messages": list(messages)}
        usage += shape.usage(response)
        calls = shape.calls(response)
        messages.append(shape.assistant(response))
        if not calls:
            return ToolLoopResult(shape.text(response), response, messages, rounds, usage)
        results = yield "run", calls
        messages += shape.answers(calls, results)
    raise ToolLoopLimitError(max_rounds, [call.name for call in calls], messages, usage)


def _wrong_twin(response: Any, *, is_async: bool) -> None:
    if inspect.isawaitable(response) and not is_async:
        getattr(response, "close", lambda: None)()
        raise TypeError("this is an async client: use `await arun_tool_loop(...)`")
    if is_async and not inspect.isawaitable(response):
        raise TypeError("this is a sync client: use run_tool_loop(...)")


def run_tool_loop(client: Any, tools: Tools, /, *, max_rounds: int = DEFAULT_MAX_ROUNDS,
                  **request: Any) -> ToolLoopResult:
    """Call the model, run its tool calls, send the results, repeat until it answers.

    ``client`` is an ``OpenAI`` or ``Anthropic`` client; ``tools`` the functions to run
    (``{name: function}`` or ToolSpecs); ``request`` the keyword arguments of
    ``chat.completions.create`` / ``messages.create`` (``messages`` is copied, never changed;
    ``tools=`` may be left out when ``tools`` are ToolSpecs). Raises
    :class:`ToolLoopLimitError` when ``max_rounds`` requests brought no answer.
    """
    shape = _shape(client)
    steps = _steps(shape, tools, max_rounds, request)
    happened: Any = None
    try:
        while True:
            kind, payload = steps.send(happened)
            if kind == "send":
                happened = shape.send(client)(**payload)
                _wrong_twin(happened, is_async=False)
            else:
                happened = _run(payload, tools)
    except StopIteration as done:
        return done.value


async def arun_tool_loop(client: Any, tools: Tools, /, *, max_rounds: int = DEFAULT_MAX_ROUNDS,
                         **request: Any) -> ToolLoopResult:
    """:func:`run_tool_loop` for ``AsyncOpenAI`` / ``AsyncAnthropic`` clients."""
    shape = _shape(client)
    steps = _steps(shape, tools, max_rounds, request)
    happened: Any = None
    try:
        while True:
            kind, payload = steps.send(happened)
            if kind == "send":
                happened = shape.send(client)(**payload)
                _wrong_twin(happened, is_async=True)
                happened = await happened
            else:
                happened = await _arun(payload, tools)
    except StopIteration as done:
        return done.value
