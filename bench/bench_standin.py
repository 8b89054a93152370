"""Benchmark the offline stand-in: start-up, time to first streamed token, 50 concurrent streams.

    .venv/bin/python bench/bench_standin.py            # prints a table
    .venv/bin/python bench/bench_standin.py --save     # also writes bench/results/standin.json

Targets (DESIGN.md, "Performance"): first streamed token under 20 ms after the request when no
latency is injected; 50 concurrent streaming requests all complete. Time to first token is
measured with a raw keep-alive httpx client, so it is the server's latency, not the SDK's
parsing; "first event" is the first SSE frame (OpenAI's role chunk, Anthropic's message_start),
"first token" the first frame carrying text.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import subprocess
import sys
import time
from pathlib import Path

import anthropic
import httpx
import openai

from course_lib import models, offline

KEY = "offline-stand-in"
OPENAI_MODEL = next(m.model for m in models.models("openai") if m.temperature)
ANTHROPIC_MODEL = next(m.model for m in models.models("anthropic") if m.temperature)
ASK = [{"role": "user", "content": "The standard library module for regular expressions"}]
RESULTS = Path(__file__).resolve().parent / "results" / "standin.json"


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q / 100 * (len(ordered) - 1)))]


def import_time() -> float:
    code = "import time; t = time.perf_counter(); import course_lib.offline; print(time.perf_counter() - t)"
    return float(
        subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, check=True
        ).stdout
    )


def _has_text(frame: bytes) -> bool:
    """Does this SSE frame carry generated text (not just the opening role / message_start)?"""
    data = next((line[6:] for line in frame.split(b"\n") if line.startswith(b"data: {")), None)
    if data is None:
        return False
    event = json.loads(data)
    if "choices" in event:  # OpenAI chunk
        return any(
            c["delta"].get("content") or c["delta"].get("tool_calls") for c in event["choices"]
        )
    return event.get("type") == "content_block_delta"


def ttft(http: httpx.Client, provider: str, n: int) -> tuple[list[float], list[float]]:
    """Seconds to the first SSE frame and to the first frame with text, for ``n`` requests."""
    first_event, first_token = [], []
    for i in range(n):
        if provider == "openai":
            path, headers = "/v1/chat/completions", {"Authorization": f"Bearer {KEY}"}
            body = {
                "model": OPENAI_MODEL,
                "messages": ASK,
                "seed": i,
                "max_tokens": 30,
                "stream": True,
            }
        else:
            path, headers = "/v1/messages", {"x-api-key": KEY, "anthropic-version": "2023-06-01"}
            body = {"model": ANTHROPIC_MODEL, "messages": ASK, "max_tokens": 30, "stream": True}
        start = time.perf_counter()
        got_event = got_token = None
        buffer = b""
        with http.stream("POST", path, json=body, headers=headers) as r:
            for chunk in r.iter_bytes():
                now = time.perf_counter()
                got_event = got_event or now
                buffer += chunk
                *frames, buffer = buffer.split(b"\n\n")
                if got_token is None and any(_has_text(f) for f in frames):
                    got_token = now
        first_event.append(got_event - start)
        first_token.append((got_token or got_event) - start)
    return first_event, first_token


async def concurrent(url: str, provider: str, n: int = 50) -> tuple[float, int]:
    """Wall time for ``n`` simultaneous streams through the async SDK; how many completed."""

    async def one_openai(client: openai.AsyncOpenAI, i: int) -> bool:
        stream = await client.chat.completions.create(
            model=OPENAI_MODEL,
            messages=ASK,
            seed=i,
            max_tokens=60,
            stream=True,
            stream_options={"include_usage": True},
        )
        chunks = [c async for c in stream]
        return chunks[-1].usage is not None

    async def one_anthropic(client: anthropic.AsyncAnthropic, i: int) -> bool:
        messages = [{"role": "user", "content": f"{ASK[0]['content']} ({i})"}]
        async with client.messages.stream(
            model=ANTHROPIC_MODEL, max_tokens=60, messages=messages
        ) as stream:
            return (await stream.get_final_message()).stop_reason is not None

    start = time.perf_counter()
    if provider == "openai":
        async with openai.AsyncOpenAI(base_url=url + "/v1", api_key=KEY, max_retries=0) as client:
            done = await asyncio.gather(*(one_openai(client, i) for i in range(n)))
    else:
        async with anthropic.AsyncAnthropic(base_url=url, api_key=KEY, max_retries=0) as client:
            done = await asyncio.gather(*(one_anthropic(client, i) for i in range(n)))
    return time.perf_counter() - start, sum(done)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "-n", type=int, default=200, help="streaming requests per provider for TTFT"
    )
    parser.add_argument("--save", action="store_true", help="write bench/results/standin.json")
    args = parser.parse_args()

    results: dict[str, float | int] = {"import_ms": import_time() * 1000}
    started = time.perf_counter()
    server = offline.Server().start()
    results["start_ms"] = (time.perf_counter() - started) * 1000
    with httpx.Client(base_url=server.url, timeout=30) as http:
        ttft(http, "openai", 3)  # wait for the warm-up (model training) to finish
        ttft(http, "anthropic", 3)
        for provider in ("openai", "anthropic"):
            event, token = ttft(http, provider, args.n)
            for name, values in (("first_event", event), ("first_token", token)):
                results[f"{provider}_{name}_p50_ms"] = percentile(values, 50) * 1000
                results[f"{provider}_{name}_p99_ms"] = percentile(values, 99) * 1000
    for provider in ("openai", "anthropic"):
        wall, done = asyncio.run(concurrent(server.url, provider))
        results[f"{provider}_50_concurrent_s"], results[f"{provider}_50_concurrent_done"] = (
            wall,
            done,
        )
    server.stop()

    print(f"{'measure':<40}{'value':>12}")
    print("-" * 52)
    for name, value in results.items():
        print(f"{name:<40}{value:>12.2f}" if isinstance(value, float) else f"{name:<40}{value:>12}")
    if args.save:
        RESULTS.parent.mkdir(exist_ok=True)
        RESULTS.write_text(
            json.dumps({k: round(v, 3) for k, v in results.items()}, indent=2) + "\n"
        )


if __name__ == "__main__":
    main()
