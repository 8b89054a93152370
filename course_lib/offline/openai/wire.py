"""Render engine output as OpenAI Chat Completions JSON, or as its stream of chunks.

The stream follows the documented sequence (API reference for stream_options) exactly: a first chunk with ``role`` and empty ``content``, then
content deltas, tool-call deltas (the first fragment of each call carries ``id``, ``type`` and
``function.name``; later ones only pieces of ``arguments``), a chunk with ``finish_reason``, an
optional usage chunk with empty ``choices``, and finally ``data: [DONE]``.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from course_lib.offline.errors import ApiError
from course_lib.offline.openai.errors import body as error_body
from course_lib.model.types import Generation, TokenInfo
from course_lib.offline.exchange import make_id
from course_lib.offline.prompt import completion_tokens
from course_lib.offline.sse import argument_pieces, pieces, sse

FINISH = {"stop": "stop", "stop_sequence": "stop", "length": "length", "tool_calls": "tool_calls"}


@dataclass
class Meta:
    """What every chunk (or the one completion) repeats."""

    id: str
    model: str
    fingerprint: str
    prompt_tokens: int
    cached_tokens: int
    logprobs: bool = False
    top_logprobs: int = 0
    include_usage: bool = False
    created: int = 0

    def __post_init__(self) -> None:
        self.created = self.created or int(time.time())


def usage(meta: Meta, gens: list[Generation]) -> dict:
    out = sum(completion_tokens(g) for g in gens)
    return {
        "prompt_tokens": meta.prompt_tokens,
        "completion_tokens": out,
        "total_tokens": meta.prompt_tokens + out,
        "prompt_tokens_details": {"cached_tokens": meta.cached_tokens, "audio_tokens": 0},
        "completion_tokens_details": {
            "reasoning_tokens": 0,
            "audio_tokens": 0,
            "accepted_prediction_tokens": 0,
            "rejected_prediction_tokens": 0,
        },
    }


def _token(raw: bytes, logprob: float) -> dict:
    # Like the real API: `token` is the bytes decoded with replacement, `bytes` the exact ints.
    return {"token": raw.decode("utf-8", errors="replace"), "logprob": logprob, "bytes": list(raw)}


def logprobs(meta: Meta, tokens: list[TokenInfo]) -> dict | None:
    if not meta.logprobs:
        return None
    content = [
        {
            **_token(t.text, t.logprob),
            "top_logprobs": [_token(b, lp) for _, b, lp in t.top[: meta.top_logprobs]],
        }
        for t in tokens
    ]
    return {"content": content, "refusal": None}


def call_id(meta: Meta, choice: int, k: int) -> str:
    return make_id("call_", meta.id, choice, k, length=24)


def finish_reason(gen: Generation) -> str:
    return "tool_calls" if gen.tool_calls else FINISH.get(gen.finish_reason, "stop")


def completion(meta: Meta, gens: list[Generation]) -> dict:
    choices = []
    for i, gen in enumerate(gens):
        message: dict = {
            "role": "assistant",
            "content": gen.text if gen.text or not gen.tool_calls else None,
            "refusal": None,
            "annotations": [],
        }
        if gen.tool_calls:
            message["tool_calls"] = [
                {
                    "id": call_id(meta, i, k),
                    "type": "function",
                    "function": {"name": c.name, "arguments": c.arguments},
                }
                for k, c in enumerate(gen.tool_calls)
            ]
        choices.append(
            {
                "index": i,
                "message": message,
                "logprobs": logprobs(meta, gen.tokens),
                "finish_reason": finish_reason(gen),
            }
        )
    return {
        "id": meta.id,
        "object": "chat.completion",
        "created": meta.created,
        "model": meta.model,
        "choices": choices,
        "usage": usage(meta, gens),
        "service_tier": "default",
        "system_fingerprint": meta.fingerprint,
    }


# ---------------------------------------------------------------------------------------
# Streaming


def stream(meta: Meta, n: int, produce: Callable[[int], Generation]) -> Iterator[bytes]:
    """SSE frames for ``n`` choices; ``produce(i)`` runs the engine for choice ``i``."""
    head = {
        "id": meta.id,
        "object": "chat.completion.chunk",
        "created": meta.created,
        "model": meta.model,
        "service_tier": "default",
        "system_fingerprint": meta.fingerprint,
    }

    def chunk(index: int, delta: dict, finish: str | None = None, lp: dict | None = None) -> bytes:
        data = {
            **head,
            "choices": [{"index": index, "delta": delta, "logprobs": lp, "finish_reason": finish}],
        }
        if meta.include_usage:
            data["usage"] = None
        return sse(data)

    gens: list[Generation] = []
    for i in range(n):
        # The first chunk goes out before the engine runs: time to first byte stays tiny.
        yield chunk(i, {"role": "assistant", "content": "", "refusal": None})
        try:
            gen = produce(i)
        except ApiError as err:
            yield sse(error_body(err, ""))
            return
        gens.append(gen)
        for text, tokens in pieces(gen.tokens):
            yield chunk(i, {"content": text}, lp=logprobs(meta, tokens))
        for k, c in enumerate(gen.tool_calls):
            first = {
                "index": k,
                "id": call_id(meta, i, k),
                "type": "function",
                "function": {"name": c.name, "arguments": ""},
            }
            yield chunk(i, {"tool_calls": [first]})
            for piece in argument_pieces(c.arguments):
                yield chunk(i, {"tool_calls": [{"index": k, "function": {"arguments": piece}}]})
        yield chunk(i, {}, finish_reason(gen))
    if meta.include_usage:
        yield sse({**head, "choices": [], "usage": usage(meta, gens)})
    yield sse("[DONE]")
