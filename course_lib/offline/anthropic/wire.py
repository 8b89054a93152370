"""Render engine output as an Anthropic Message, or as its named stream of events.

Stream order (Anthropic streaming docs): ``message_start`` (empty content; usage with the input and cache
counts), then per content block ``content_block_start`` / ``content_block_delta``... /
``content_block_stop`` (a ``ping`` after the first block starts, as the real API does), then
``message_delta`` (stop reason, cumulative usage) and ``message_stop``.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from course_lib.offline.caching import CacheUsage
from course_lib.offline.anthropic.errors import body as error_body
from course_lib.offline.errors import ApiError
from course_lib.model.types import Generation
from course_lib.offline.exchange import make_id
from course_lib.offline.prompt import completion_tokens
from course_lib.offline.sse import argument_pieces, pieces, sse


@dataclass
class Meta:
    id: str
    model: str
    input_tokens: int  # uncached: after the last cache breakpoint
    cache: CacheUsage
    request_id: str = ""
    # With thinking on, the reply starts with a thinking block ("" = display "omitted": an empty
    # text with a signature). None: thinking off, no block.
    thinking: str | None = None

    @property
    def signature(self) -> str:
        """Opaque, like the real one; the SDK passes it back unchanged with the block."""
        return make_id("offline_sig_", self.id, self.thinking, length=40)

    @property
    def thinking_tokens(self) -> int:
        from course_lib.offline.prompt import count  # here, not at the top: merges with the move

        return count(self.thinking) if self.thinking else 0

    def thinking_block(self) -> list[dict]:
        if self.thinking is None:
            return []
        return [{"type": "thinking", "thinking": self.thinking, "signature": self.signature}]


def stop_reason(gen: Generation) -> str:
    if gen.tool_calls:
        return "tool_use"
    return {"length": "max_tokens", "stop_sequence": "stop_sequence"}.get(
        gen.finish_reason, "end_turn"
    )


def usage(meta: Meta, output_tokens: int) -> dict:
    return {
        "input_tokens": meta.input_tokens,
        "cache_creation_input_tokens": meta.cache.written,
        "cache_read_input_tokens": meta.cache.read,
        "cache_creation": {
            "ephemeral_5m_input_tokens": meta.cache.write_5m,
            "ephemeral_1h_input_tokens": meta.cache.write_1h,
        },
        "output_tokens": output_tokens,
        "service_tier": "standard",
    }


def tool_input(arguments: str) -> dict:
    try:
        value = json.loads(arguments or "{}")
    except json.JSONDecodeError:
        return {"_unparsed": arguments}  # never expected from the engine; keep the reply valid
    return value if isinstance(value, dict) else {"value": value}


def tool_id(meta: Meta, k: int) -> str:
    return make_id("toolu_01", meta.id, k, length=22)


def message(meta: Meta, gen: Generation) -> dict:
    content: list[dict] = meta.thinking_block()
    content += [{"type": "text", "text": gen.text}] if gen.text else []
    content += [
        {
            "type": "tool_use",
            "id": tool_id(meta, k),
            "name": c.name,
            "input": tool_input(c.arguments),
        }
        for k, c in enumerate(gen.tool_calls)
    ]
    return {
        "id": meta.id,
        "type": "message",
        "role": "assistant",
        "model": meta.model,
        "content": content,
        "stop_reason": stop_reason(gen),
        "stop_sequence": gen.stop_sequence,
        "usage": usage(meta, completion_tokens(gen) + meta.thinking_tokens),
    }


def stream(meta: Meta, produce: Callable[[], Generation]) -> Iterator[bytes]:
    """SSE frames; ``produce()`` runs the engine (after ``message_start`` has gone out)."""

    def event(name: str, data: dict) -> bytes:
        return sse({"type": name, **data}, event=name)

    start = {
        "id": meta.id,
        "type": "message",
        "role": "assistant",
        "model": meta.model,
        "content": [],
        "stop_reason": None,
        "stop_sequence": None,
        "usage": usage(meta, 1),
    }
    yield event("message_start", {"message": start})
    try:
        gen = produce()
    except ApiError as err:
        yield event("error", {"error": error_body(err, meta.request_id)["error"]})
        return
    index = 0
    if meta.thinking is not None:
        block = {"type": "thinking", "thinking": "", "signature": ""}
        yield event("content_block_start", {"index": 0, "content_block": block})
        yield event("ping", {})
        if meta.thinking:
            yield event(
                "content_block_delta",
                {"index": 0, "delta": {"type": "thinking_delta", "thinking": meta.thinking}},
            )
        # "Delivered in a `signature_delta` event just before the block's
        # `content_block_stop` event" (SDK types/signature_delta.py)
        yield event(
            "content_block_delta",
            {"index": 0, "delta": {"type": "signature_delta", "signature": meta.signature}},
        )
        yield event("content_block_stop", {"index": 0})
        index = 1
    if gen.text:
        yield event(
            "content_block_start",
            {"index": index, "content_block": {"type": "text", "text": ""}},
        )
        if index == 0:
            yield event("ping", {})
        for text, _ in pieces(gen.tokens) if gen.tokens else [(gen.text, [])]:
            if text:
                yield event(
                    "content_block_delta",
                    {"index": index, "delta": {"type": "text_delta", "text": text}},
                )
        yield event("content_block_stop", {"index": index})
        index += 1
    for k, call in enumerate(gen.tool_calls):
        block = {"type": "tool_use", "id": tool_id(meta, k), "name": call.name, "input": {}}
        yield event("content_block_start", {"index": index, "content_block": block})
        if index == 0:
            yield event("ping", {})
        for piece in ["", *argument_pieces(json.dumps(tool_input(call.arguments)))]:
            yield event(
                "content_block_delta",
                {"index": index, "delta": {"type": "input_json_delta", "partial_json": piece}},
            )
        yield event("content_block_stop", {"index": index})
        index += 1
    final = usage(meta, completion_tokens(gen) + meta.thinking_tokens)
    final.pop("cache_creation")
    final.pop("service_tier")
    yield event(
        "message_delta",
        {
            "delta": {"stop_reason": stop_reason(gen), "stop_sequence": gen.stop_sequence},
            "usage": final,
        },
    )
    yield event("message_stop", {})
