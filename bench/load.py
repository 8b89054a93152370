"""Load generation for the HTTP benches: N streaming requests, C at a time, timed per request.

A *target* is anything with ``name`` and ``async one(http, i) -> Sample``: it sends request i
over the shared ``httpx.AsyncClient`` and times it. ``OpenAIChatStream`` streams
``/v1/chat/completions`` (the stand-in, a LiteLLM proxy in front of it, any OpenAI-compatible
gateway); the capstone's bench (bench/bench_chat_api.py) brings its own target.

Times are measured with a raw httpx client (no SDK parsing), from sending the request to the
first SSE frame that carries text (time to first token, TTFT) and to the end of the stream.
"""

from __future__ import annotations

import asyncio
import json
import socket
import subprocess
import time
from dataclasses import dataclass, field

import httpx

KEY = "offline-stand-in"
ASK = [{"role": "user", "content": "The standard library module for regular expressions"}]


@dataclass
class Sample:
    ttft: float  # seconds to the first frame with text
    total: float  # seconds to the end of the stream
    tokens: int  # output tokens (usage when the stream reports it, else text frames)


@dataclass
class Load:
    """What one load run measured: per-request samples, wall time, failures."""

    concurrency: int
    samples: list[Sample] = field(default_factory=list)
    wall: float = 0.0
    errors: list[str] = field(default_factory=list)

    @property
    def requests_per_s(self) -> float:
        return len(self.samples) / self.wall if self.wall else 0.0

    @property
    def tokens_per_s(self) -> float:
        return sum(s.tokens for s in self.samples) / self.wall if self.wall else 0.0


def text_frame(data: dict) -> bool:
    """Does this parsed SSE event carry generated text (not just the opening role chunk)?"""
    if "choices" in data:  # OpenAI chunk
        return any(
            (c.get("delta") or {}).get("content") or (c.get("delta") or {}).get("tool_calls")
            for c in data["choices"]
        )
    return data.get("type") == "content_block_delta"  # Anthropic event


def sse_events(buffer: bytes) -> tuple[list[dict], bytes]:
    """Complete ``data: {...}`` events in ``buffer`` (parsed), and the incomplete rest.

    >>> sse_events(b'data: {"a": 1}\\n\\ndata: [DONE]\\n\\ndata: {"b"')
    ([{'a': 1}], b'data: {"b"')
    """
    *frames, rest = buffer.replace(b"\r\n", b"\n").split(b"\n\n")
    events = []
    for frame in frames:
        for line in frame.split(b"\n"):
            if line.startswith(b"data:") and line[5:].strip().startswith(b"{"):
                events.append(json.loads(line[5:]))
    return events, rest


class OpenAIChatStream:
    """Streamed Chat Completions at ``base_url`` (ending in /v1), as the lessons send them."""

    def __init__(self, name: str, base_url: str, model: str, *, key: str = KEY,
                 max_completion_tokens: int = 40) -> None:
        self.name, self.base_url, self.model, self.key = name, base_url.rstrip("/"), model, key
        self.max_completion_tokens = max_completion_tokens

    def body(self, i: int) -> dict:
        return {
            "model": self.model,
            "messages": ASK,
            "seed": i,
            "max_completion_tokens": self.max_completion_tokens,
            "stream": True,
            "stream_options": {"include_usage": True},
        }

    async def one(self, http: httpx.AsyncClient, i: int) -> Sample:
        start = time.perf_counter()
        first = None
        frames = usage = 0
        buffer = b""
        async with http.stream(
            "POST", f"{self.base_url}/chat/completions", json=self.body(i),
            headers={"Authorization": f"Bearer {self.key}"},
        ) as response:
            if response.status_code != 200:
                detail = (await response.aread())[:200]
                raise RuntimeError(f"HTTP {response.status_code}: {detail!r}")
            async for chunk in response.aiter_bytes():
                events, buffer = sse_events(buffer + chunk)
                for event in events:
                    if text_frame(event):
                        frames += 1
                        first = first or time.perf_counter()
                    if event.get("usage"):
                        usage = event["usage"].get("completion_tokens") or usage
        end = time.perf_counter()
        if first is None:
            raise RuntimeError("the stream carried no text")
        return Sample(first - start, end - start, usage or frames)


async def run_load(target, concurrency: int, requests: int, *, timeout: float = 60) -> Load:
    """Send ``requests`` requests, ``concurrency`` in flight at once, on one keep-alive pool."""
    load = Load(concurrency)
    queue = iter(range(requests))
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)

    async def worker(http: httpx.AsyncClient) -> None:
        for i in queue:  # a shared iterator: each request index is taken once
            try:
                load.samples.append(await target.one(http, i))
            except Exception as exc:
                load.errors.append(f"{type(exc).__name__}: {str(exc)[:200]}")

    async with httpx.AsyncClient(timeout=timeout, limits=limits) as http:
        start = time.perf_counter()
        await asyncio.gather(*(worker(http) for _ in range(concurrency)))
        load.wall = time.perf_counter() - start
    return load


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until_up(url: str, process: subprocess.Popen | None = None, timeout: float = 180) -> float:
    """Poll ``url`` until it answers (any status); seconds it took. Raises if the process died."""
    start = time.perf_counter()
    while time.perf_counter() - start < timeout:
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"the server exited with {process.returncode} before answering")
        try:
            httpx.get(url, timeout=2)
            return time.perf_counter() - start
        except httpx.TransportError:
            time.sleep(0.25)
    raise TimeoutError(f"{url} did not answer within {timeout:.0f} s")


def stop(process: subprocess.Popen) -> None:
    """End a server this bench started (its own process only)."""
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
