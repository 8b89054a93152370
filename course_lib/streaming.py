"""Consume a streamed reply: print the text as it arrives and keep what a program needs.

    t0 = time.perf_counter()
    stream = client.chat.completions.create(model=model, messages=messages, stream=True,
                                            stream_options={"include_usage": True})
    result = print_stream(stream, start=t0)      # prints the reply piece by piece
    result.text, result.finish_reason, result.tokens, result.ttft_s, result.total_s

With an async client, ``await aprint_stream(stream)`` and ``await acollect_stream(stream)``
read an ``async for`` stream the same way (one reader behind both, so they cannot drift).

It understands two shapes of stream, told apart by the objects themselves:

- OpenAI chat-completion chunks (``chat.completions.create(stream=True)``): text in
  ``choices[0].delta.content``, tool-call fragments in ``choices[0].delta.tool_calls`` (joined
  per ``index``), ``finish_reason`` on the last choice chunk, ``usage`` on the extra final chunk
  with empty ``choices`` (only with ``stream_options={"include_usage": True}``).
- Anthropic Messages events (``messages.create(stream=True)`` or ``messages.stream()``):
  ``text_delta`` / ``input_json_delta`` inside ``content_block_delta``; ``stop_reason`` and the
  cumulative output count in ``message_delta``; input counts in ``message_start``.

Chunks may be SDK objects or plain dicts (``json.loads`` of an SSE ``data:`` line).
``result.tokens`` is the usage as data (:class:`course_lib.usage.Usage`: input, cached input,
cache write, output; ``result.tokens.cost(model)``) for either provider; ``result.usage`` is
the record as it came (OpenAI's usage object; for Anthropic, a dict of the latest counts).
Simplifications: only choice 0 is collected (ask for ``n > 1`` without streaming); timings
are taken when this code *reads* a chunk, which is when it arrived if you consume the stream
as it comes (do not collect it into a list first).
"""

from __future__ import annotations

import dataclasses
import sys
import time
from collections.abc import AsyncIterable, Callable, Iterable
from dataclasses import dataclass
from typing import Any, TextIO

from course_lib._fields import field
from course_lib.usage import Usage

__all__ = ["StreamResult", "acollect_stream", "aprint_stream", "collect_stream", "print_stream"]


@dataclass
class StreamResult:
    """What a stream added up to, plus when its pieces arrived (seconds after ``start``)."""

    text: str = ""
    finish_reason: str | None = None  # OpenAI finish_reason, or Anthropic stop_reason
    usage: Any = None  # as reported. OpenAI: the SDK usage object; Anthropic: a dict of counts
    tool_calls: list[dict] = dataclasses.field(default_factory=list)  # {"index", "id", "name", "arguments"}
    ttft_s: float | None = None  # time to the first piece of content (text or tool arguments)
    total_s: float = 0.0  # time until the stream ended
    chunk_times: list[float] = dataclasses.field(default_factory=list)  # arrival of each content piece
    chunk_texts: list[str] = dataclasses.field(default_factory=list)  # the pieces (text or tool arguments)
    events: int = 0  # chunks/events read, including ones without content

    @property
    def tokens(self) -> Usage | None:
        """The usage as a :class:`~course_lib.usage.Usage`; None when the stream carried none."""
        return None if self.usage is None else Usage.of(self.usage)

    def __repr__(self) -> str:
        # Short, and timings formatted like "12.3 ms": the notebooks' nbval sanitiser masks
        # those, so stored outputs stay comparable from run to run.
        shown = self.text if len(self.text) <= 40 else self.text[:39] + "…"
        ttft = "n/a" if self.ttft_s is None else f"{self.ttft_s * 1000:.1f} ms"
        return (
            f"StreamResult(text={shown!r}, finish_reason={self.finish_reason!r}, "
            f"pieces={len(self.chunk_texts)}, tool_calls={len(self.tool_calls)}, "
            f"usage={'yes' if self.usage is not None else 'no'}, ttft={ttft}, "
            f"total={self.total_s * 1000:.1f} ms)"
        )


_Calls = dict[int, dict]  # tool calls being assembled, by index


def _new_call() -> dict:
    return {"id": None, "name": None, "arguments": ""}


# ---------------------------------------------------------------------------------------
# One reader per stream shape. Each updates ``result``/``calls`` and returns
# (text added, tool-argument text added).


def _openai_chunk(chunk: Any, result: StreamResult, calls: _Calls) -> tuple[str, str]:
    if field(chunk, "usage") is not None:  # the include_usage chunk (choices == [])
        result.usage = field(chunk, "usage")
    text = arguments = ""
    for choice in field(chunk, "choices") or []:
        if (field(choice, "index") or 0) != 0:
            continue
        delta = field(choice, "delta") or {}
        text += field(delta, "content") or ""
        for fragment in field(delta, "tool_calls") or []:
            # The first fragment of a call carries id and name; later ones only arguments.
            call = calls.setdefault(field(fragment, "index") or 0, _new_call())
            function = field(fragment, "function") or {}
            call["id"] = field(fragment, "id") or call["id"]
            call["name"] = field(function, "name") or call["name"]
            piece = field(function, "arguments") or ""
            call["arguments"] += piece
            arguments += piece
        if field(choice, "finish_reason"):
            result.finish_reason = field(choice, "finish_reason")
    return text, arguments


_ANTHROPIC_COUNTS = (
    "input_tokens",
    "output_tokens",
    "cache_creation_input_tokens",
    "cache_read_input_tokens",
)


def _anthropic_event(event: Any, result: StreamResult, calls: _Calls) -> tuple[str, str]:
    kind = field(event, "type")
    if kind == "message_start":
        usage = field(field(event, "message"), "usage")
        if usage is not None:
            result.usage = {name: field(usage, name) or 0 for name in _ANTHROPIC_COUNTS}
    elif kind == "content_block_start":
        block = field(event, "content_block")
        if field(block, "type") == "tool_use":
            call = calls.setdefault(field(event, "index") or 0, _new_call())
            call["id"], call["name"] = field(block, "id"), field(block, "name")
    elif kind == "content_block_delta":
        delta = field(event, "delta")
        if field(delta, "type") == "text_delta":
            return field(delta, "text") or "", ""
        if field(delta, "type") == "input_json_delta":
            piece = field(delta, "partial_json") or ""
            calls.setdefault(field(event, "index") or 0, _new_call())["arguments"] += piece
            return "", piece
    elif kind == "message_delta":
        result.finish_reason = field(field(event, "delta"), "stop_reason") or result.finish_reason
        usage = field(event, "usage")
        if usage is not None:  # cumulative counts: keep the latest value, never add them up
            result.usage = dict(result.usage or {})
            for name in _ANTHROPIC_COUNTS:
                if isinstance(field(usage, name), int):
                    result.usage[name] = field(usage, name)
    # message_stop, content_block_stop, ping and the helper's own "text"/"input_json"
    # events (which repeat the deltas above) add nothing new.
    return "", ""


# ---------------------------------------------------------------------------------------


class _Reader:
    """The state of one stream being read: shared by the sync and the async readers."""

    def __init__(self, *, start: float | None, echo: bool, file: TextIO | None,
                 clock: Callable[[], float]) -> None:
        self.out = file if file is not None else sys.stdout
        self.echo, self.clock = echo, clock
        self.begin = clock() if start is None else start
        self.result = StreamResult()
        self.calls: _Calls = {}

    def read(self, item: Any) -> None:
        result = self.result
        result.events += 1
        if field(item, "type") == "chunk" and field(item, "chunk") is not None:
            item = field(item, "chunk")  # the OpenAI helper's ChunkEvent wraps a raw chunk
        if field(item, "choices") is not None or field(item, "object") == "chat.completion.chunk":
            text, arguments = _openai_chunk(item, result, self.calls)
        else:
            text, arguments = _anthropic_event(item, result, self.calls)
        if not (text or arguments):
            return
        now = self.clock() - self.begin
        if result.ttft_s is None:
            result.ttft_s = now
        result.chunk_times.append(now)
        result.chunk_texts.append(text or arguments)
        result.text += text
        if self.echo and text:
            print(text, end="", file=self.out, flush=True)

    def finish(self) -> StreamResult:
        result = self.result
        result.total_s = self.clock() - self.begin
        result.tool_calls = [{"index": i, **self.calls[i]} for i in sorted(self.calls)]
        if self.echo:
            for call in result.tool_calls:
                print(f"\n[tool call {call['name']}({call['arguments']})]", end="", file=self.out)
            print(file=self.out, flush=True)
        return result


def print_stream(
    stream: Iterable[Any],
    *,
    start: float | None = None,
    echo: bool = True,
    file: TextIO | None = None,
    clock: Callable[[], float] = time.perf_counter,
) -> StreamResult:
    """Read ``stream`` to the end, printing text as it arrives; return a :class:`StreamResult`.

    ``start`` is a ``clock()`` reading taken just before the request was sent; pass it, or
    time-to-first-token misses the wait for the response headers. ``echo=False`` only collects.

    >>> chunks = [{"choices": [{"index": 0, "delta": {"content": "Hi"}, "finish_reason": None}]},
    ...           {"choices": [{"index": 0, "delta": {}, "finish_reason": "stop"}]}]
    >>> print_stream(chunks).text
    Hi
    'Hi'
    """
    reader = _Reader(start=start, echo=echo, file=file, clock=clock)
    for item in stream:
        reader.read(item)
    return reader.finish()


def collect_stream(stream: Iterable[Any], **kwargs: Any) -> StreamResult:
    """:func:`print_stream` without printing."""
    return print_stream(stream, echo=False, **kwargs)


# ---------------------------------------------------------------------------------------
# The async twins, for AsyncOpenAI / AsyncAnthropic streams (``async for``): same reader.


async def aprint_stream(
    stream: AsyncIterable[Any],
    *,
    start: float | None = None,
    echo: bool = True,
    file: TextIO | None = None,
    clock: Callable[[], float] = time.perf_counter,
) -> StreamResult:
    """:func:`print_stream` for an async stream: ``result = await aprint_stream(stream)``.

    >>> import asyncio
    >>> async def chunks():
    ...     yield {"choices": [{"index": 0, "delta": {"content": "Hi"}, "finish_reason": "stop"}]}
    >>> asyncio.run(aprint_stream(chunks())).finish_reason
    Hi
    'stop'
    """
    reader = _Reader(start=start, echo=echo, file=file, clock=clock)
    async for item in stream:
        reader.read(item)
    return reader.finish()


async def acollect_stream(stream: AsyncIterable[Any], **kwargs: Any) -> StreamResult:
    """:func:`aprint_stream` without printing."""
    return await aprint_stream(stream, echo=False, **kwargs)
