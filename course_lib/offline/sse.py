"""Streaming pieces both providers share: Server-Sent-Event framing, pacing, and cutting a
reply's tokens (or a tool call's JSON arguments) into the deltas a stream carries.

Each provider's ``wire.py`` builds its own events (OpenAI ``data:`` chunks, Anthropic named
events) from these.
"""

from __future__ import annotations

import codecs
import json
import time
from collections.abc import Iterator
from typing import Any

from course_lib.model.types import TokenInfo
from course_lib.offline.prompt import encode
from course_lib.tokens import encoding


def sse(data: Any, event: str | None = None) -> bytes:
    """One Server-Sent Event: an optional ``event:`` line, one ``data:`` line, a blank line."""
    text = (
        data
        if isinstance(data, str)
        else json.dumps(data, separators=(",", ":"), ensure_ascii=False)
    )
    head = f"event: {event}\n" if event else ""
    return f"{head}data: {text}\n\n".encode()


def paced(frames: Iterator[bytes], delay: float) -> Iterator[bytes]:
    """Sleep ``delay`` seconds before every frame after the first (fault ``token_delay``)."""
    for i, frame in enumerate(frames):
        if i and delay:
            time.sleep(delay)
        yield frame


def pieces(tokens: list[TokenInfo]) -> Iterator[tuple[str, list[TokenInfo]]]:
    """Group tokens into text deltas; a token that ends mid-character waits for the rest."""
    decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")
    waiting: list[TokenInfo] = []
    for token in tokens:
        waiting.append(token)
        text = decoder.decode(token.text)
        if text:
            yield text, waiting
            waiting = []
    tail = decoder.decode(b"", final=True)
    if tail or waiting:
        yield tail, waiting


def argument_pieces(arguments: str) -> list[str]:
    """Split a JSON text into token-sized pieces, as the real APIs stream it."""
    enc = encoding("o200k_base")
    raw = [TokenInfo(t, enc.decode_single_token_bytes(t), 0.0) for t in encode(arguments)]
    return [text for text, _ in pieces(raw)] or [""]
