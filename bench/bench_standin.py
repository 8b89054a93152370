"""Benchmark the offline stand-in: start-up, time to first streamed token, load at 1/10/50.

    .venv/bin/python bench/bench_standin.py            # full run, writes bench/results/standin.json
    .venv/bin/python bench/bench_standin.py --quick    # fewer requests (QUICK=1 does the same)

Targets (DESIGN.md, "Performance"): first streamed token under 20 ms after the request when no
latency is injected; 50 concurrent streaming requests all complete. The stand-in runs in this
process, on its own thread, as it does in a lesson's kernel.

- TTFT: sequential requests on one keep-alive connection (raw httpx, so it is the server's
  latency, not the SDK's parsing); "first event" is the first SSE frame (OpenAI's role chunk,
  Anthropic's message_start), "first token" the first frame carrying text.
- load: N streamed Chat Completions, C in flight at once (C = 1, 10, 50): requests/s, output
  tokens/s and TTFT under load; several rounds, each figure the median of the rounds with the
  spread (IQR) beside it.
"""

from __future__ import annotations

import argparse
import asyncio
import subprocess
import sys
import time
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))
import load
import stats

from course_lib import config, offline

OPENAI_MODEL = config.default_model("openai")
ANTHROPIC_MODEL = config.default_model("anthropic")
TARGET_TTFT_S = 0.020
LEVELS = (1, 10, 50)


def import_time() -> float:
    code = "import time; t = time.perf_counter(); import course_lib.offline; print(time.perf_counter() - t)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return float(out.stdout)


def ttft(http: httpx.Client, provider: str, n: int) -> tuple[list[float], list[float]]:
    """Seconds to the first SSE frame and to the first frame with text, for ``n`` requests."""
    first_event, first_token = [], []
    for i in range(n):
        if provider == "openai":
            path, headers = "/v1/chat/completions", {"Authorization": f"Bearer {load.KEY}"}
            body = {"model": OPENAI_MODEL, "messages": load.ASK, "seed": i,
                    "max_completion_tokens": 30, "stream": True}
        else:
            path = "/v1/messages"
            headers = {"x-api-key": load.KEY, "anthropic-version": "2023-06-01"}
            body = {"model": ANTHROPIC_MODEL, "messages": load.ASK, "max_tokens": 30,
                    "stream": True}
        start = time.perf_counter()
        got_event = got_token = None
        buffer = b""
        with http.stream("POST", path, json=body, headers=headers) as r:
            if r.status_code != 200:
                raise RuntimeError(f"{provider}: HTTP {r.status_code}: {r.read()[:300]!r}")
            for chunk in r.iter_bytes():
                now = time.perf_counter()
                got_event = got_event or now
                events, buffer = load.sse_events(buffer + chunk)
                if got_token is None and any(load.text_frame(e) for e in events):
                    got_token = now
        first_event.append(got_event - start)
        first_token.append((got_token or got_event) - start)
    return first_event, first_token


def load_levels(url: str, rounds: int, requests: dict[int, int]) -> dict:
    """requests/s, tokens/s and TTFT at each concurrency level, median over ``rounds``."""
    target = load.OpenAIChatStream("stand-in", url + "/v1", OPENAI_MODEL)
    out = {}
    for level in LEVELS:
        runs = [asyncio.run(load.run_load(target, level, requests[level])) for _ in range(rounds)]
        ttfts = [s.ttft for run in runs for s in run.samples]
        out[str(level)] = {
            "requests": requests[level],
            "rounds": rounds,
            "completed": sum(len(r.samples) for r in runs),
            "errors": sorted({e for r in runs for e in r.errors})[:5],
            "requests_per_s": stats.summary(r.requests_per_s for r in runs),
            "tokens_per_s": stats.summary(r.tokens_per_s for r in runs),
            "ttft_ms": stats.scaled(stats.summary(ttfts), 1000) if ttfts else None,
        }
    return out


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=200, help="sequential requests per provider (TTFT)")
    parser.add_argument("--rounds", type=int, default=3, help="rounds of each load level")
    parser.add_argument("--quick", action="store_true", help="few requests, one round")
    args = parser.parse_args(argv)
    quick = args.quick or stats.quick_requested([])
    n = 20 if quick else args.n
    rounds = 1 if quick else args.rounds
    requests = {1: 20, 10: 50, 50: 100} if quick else {1: 100, 10: 200, 50: 500}

    figures: dict = {"import_offline_ms": import_time() * 1000}
    started = time.perf_counter()
    server = offline.Server().start()
    figures["start_ms"] = (time.perf_counter() - started) * 1000
    try:
        with httpx.Client(base_url=server.url, timeout=30) as http:
            ttft(http, "openai", 3)  # wait for the warm-up (model training) to finish
            ttft(http, "anthropic", 3)
            for provider in ("openai", "anthropic"):
                event, token = ttft(http, provider, n)
                figures[f"{provider}_first_event_ms"] = stats.scaled(stats.summary(event), 1000)
                figures[f"{provider}_first_token_ms"] = stats.scaled(stats.summary(token), 1000)
        figures["load"] = load_levels(server.url, rounds, requests)
    finally:
        server.stop()
    figures["target_first_token_ms"] = TARGET_TTFT_S * 1000

    print(f"import course_lib.offline {figures['import_offline_ms']:.1f} ms; "
          f"start {figures['start_ms']:.1f} ms")
    for provider in ("openai", "anthropic"):
        t = figures[f"{provider}_first_token_ms"]
        print(f"{provider:>9} first token p50 {t['p50']:.2f} ms, p99 {t['p99']:.2f} ms "
              f"(n={t['n']}; target < {TARGET_TTFT_S * 1000:.0f} ms)")
    print(f"{'concurrency':>11}{'done':>10}{'req/s':>10}{'tok/s':>10}{'TTFT p50':>10}{'p99':>9}")
    for level, row in figures["load"].items():
        t = row["ttft_ms"] or {"p50": float("nan"), "p99": float("nan")}
        print(f"{level:>11}{row['completed']:>6}/{row['requests'] * row['rounds']:<4}"
              f"{row['requests_per_s']['median']:10.1f}{row['tokens_per_s']['median']:10.0f}"
              f"{t['p50']:10.2f}{t['p99']:9.2f}")
        for error in row["errors"]:
            print(f"    error: {error}", file=sys.stderr)
    print(f"wrote {stats.write_result('standin', figures, quick=quick)}")
    return figures


if __name__ == "__main__":
    main()
