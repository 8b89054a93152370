"""What a gateway in front of the provider costs: the stand-in direct vs through a LiteLLM proxy
(and the capstone's chat API, when bench/bench_chat_api.py provides a target), in the same run.

    make bench                                          # installs .venv-bench (LiteLLM) first
    .venv/bin/python bench/bench_gateway.py --quick     # QUICK=1 does the same

Everything talks to ONE stand-in process (python -m course_lib.offline on a free port):

- direct:   this process → stand-in
- litellm:  this process → LiteLLM proxy (its own venv, .venv-bench, one worker) → stand-in
- capstone: this process → course_lib.chat_api → stand-in   (hook below; K's bench_chat_api.py)

At each concurrency (1, 10, 50 streams in flight) the targets take turns, round after round, so
load on the machine falls on all of them alike. Added latency = a gateway's TTFT percentile minus
the direct TTFT percentile of the same rounds (p50 and p99); throughput = completed requests per
second of wall time. Target for the capstone (DESIGN.md): under 5 ms p50 / 20 ms p99 added at 50
concurrent streams. The LiteLLM figures are a ratio on this machine, to set beside the published
ones (facts §8: LiteLLM's own 2–12 ms median overhead on 4-CPU instances; TensorZero's 4.9 ms
mean at 100 QPS), not a verdict on LiteLLM.

Everything is measured twice: against the stand-in as fast as it goes (the provider's CPU is on
the same 2 cores, the worst case for a gateway), then against a stand-in paced like a hosted
model (``--latency``/``--token-delay``: first event after 200 ms, then one every 10 ms), where
the provider's time is waiting, as it is behind a real API, and "added" is the gateway's own
work plus what it waits for the CPU. Results: ``targets`` and ``paced.targets``.

The capstone hook: ``gateway_target(standin_url, conversations)``, an async context manager
yielding an object with ``name``, ``baseline`` (the direct target to subtract) and
``async one(http, i) -> load.Sample`` (see load.OpenAIChatStream), plus ``direct_twin(url,
model)``, the same request sent straight to the stand-in. bench/chat_api_target.py provides
them; bench/bench_chat_api.py may define its own, which then win. The capstone's request (its
system prompt and calculator tool) differs from the plain one the "direct" and LiteLLM targets
send, so its added latency is measured against "direct_chat", its twin.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import importlib.util
import os
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import load
import stats

ROOT = Path(__file__).resolve().parent.parent
BENCH_VENV = ROOT / ".venv-bench"
LITELLM = BENCH_VENV / "bin" / "litellm"
MODEL = "gpt-5.4-mini"  # the course's default OpenAI model; the stand-in serves it
LEVELS = (1, 10, 50)
PACE = (0.2, 0.01)  # paced scenario: seconds to the first event, seconds between events
TARGET_P50_MS, TARGET_P99_MS = 5.0, 20.0
LITELLM_CONFIG = """\
model_list:
  - model_name: {model}
    litellm_params:
      model: openai/{model}
      api_base: {standin}/v1
      api_key: offline-stand-in
litellm_settings:
  drop_params: false
  telemetry: false
general_settings:
  master_key: sk-bench-only
"""


@contextlib.contextmanager
def standin(pace: tuple[float, float] | None = None) -> str:
    """The stand-in in its own process (not this one's GIL); yields its URL.

    ``pace``: (seconds to the first event, seconds between events), to play a provider whose
    tokens arrive at a real model's pace instead of as fast as this machine makes them."""
    from course_lib.offline.lifecycle import spawn

    paced = ["--latency", str(pace[0]), "--token-delay", str(pace[1])] if pace else []
    process, url = spawn(paced, cwd=ROOT, stderr=subprocess.PIPE,
                         env={**os.environ, "COURSE_OFFLINE": "1"})
    try:  # spawn returns once the stand-in listens
        yield url
    finally:
        load.stop(process)


def litellm_version() -> str | None:
    python = BENCH_VENV / "bin" / "python"
    if not python.exists():
        return None
    out = subprocess.run(
        [str(python), "-c", "import importlib.metadata as m; print(m.version('litellm'))"],
        capture_output=True, text=True,
    )
    return out.stdout.strip() or None


@contextlib.contextmanager
def litellm_proxy(standin_url: str):
    """A LiteLLM proxy (one worker) in front of the stand-in; yields (url, start-up seconds)."""
    port = load.free_port()
    folder = Path(tempfile.mkdtemp(prefix="bench-litellm-"))
    config = folder / "config.yaml"
    config.write_text(LITELLM_CONFIG.format(model=MODEL, standin=standin_url), encoding="utf-8")
    env = {
        **os.environ,
        "LITELLM_LOCAL_MODEL_COST_MAP": "True",  # offline: never fetch the price map
        "LITELLM_TELEMETRY": "False",
        "LITELLM_LOG": "ERROR",
        "DISABLE_SCHEMA_UPDATE": "True",
    }
    env.pop("DATABASE_URL", None)  # no database: the proxy's bare request path
    log = (folder / "litellm.log").open("w")
    process = subprocess.Popen(
        [str(LITELLM), "--config", str(config), "--host", "127.0.0.1", "--port", str(port),
         "--num_workers", "1", "--telemetry", "False"],
        cwd=folder, stdout=log, stderr=subprocess.STDOUT, env=env,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        try:
            took = load.wait_until_up(url + "/health/liveliness", process, timeout=300)
        except Exception as exc:
            log.flush()
            tail = (folder / "litellm.log").read_text(errors="replace")[-1500:]
            raise RuntimeError(f"LiteLLM did not start: {exc}\n{tail}") from exc
        yield url, took
    finally:
        load.stop(process)
        log.close()


def capstone_hook():
    """(gateway_target, direct_twin) for the capstone, or (None, why not).

    bench/bench_chat_api.py's own ``gateway_target`` wins if the capstone's bench defines one;
    otherwise bench/chat_api_target.py's (the chat API started in front of our stand-in).
    """
    path = Path(__file__).with_name("bench_chat_api.py")
    if path.exists():
        spec = importlib.util.spec_from_file_location("bench_chat_api_hook", path)
        module = importlib.util.module_from_spec(spec)
        try:
            spec.loader.exec_module(module)
        except Exception:  # its module-level imports may need the capstone; fall through
            module = None
        if module is not None and hasattr(module, "gateway_target"):
            return module.gateway_target, getattr(module, "direct_twin", None)
    import chat_api_target

    why = chat_api_target.available()
    if why:
        return None, why
    return chat_api_target.gateway_target, chat_api_target.direct_twin


async def measure(targets: list, rounds: int, requests: dict[int, int]) -> dict:
    """Every target at every level, taking turns within each round."""
    raw: dict[str, dict[int, list[load.Load]]] = {t.name: {lv: [] for lv in LEVELS} for t in targets}
    for level in LEVELS:
        for target in targets:  # warm each path (connections, caches) before timing it
            await load.run_load(target, level, min(level, 5))
        for _ in range(rounds):
            for target in targets:
                raw[target.name][level].append(await load.run_load(target, level, requests[level]))
    out: dict = {}
    for name, levels in raw.items():
        out[name] = {}
        for level, runs in levels.items():
            ttfts = [s.ttft for run in runs for s in run.samples]
            round_p50 = [stats.percentile([s.ttft for s in r.samples], 50) for r in runs if r.samples]
            round_p99 = [stats.percentile([s.ttft for s in r.samples], 99) for r in runs if r.samples]
            out[name][str(level)] = {
                "completed": sum(len(r.samples) for r in runs),
                "sent": requests[level] * rounds,
                "errors": sorted({e for r in runs for e in r.errors})[:5],
                "ttft_ms": stats.scaled(stats.summary(ttfts), 1000) if ttfts else None,
                "ttft_p50_ms_per_round": stats.scaled(stats.summary(round_p50), 1000)
                if round_p50 else None,
                "ttft_p99_ms_per_round": stats.scaled(stats.summary(round_p99), 1000)
                if round_p99 else None,
                "requests_per_s": stats.summary(r.requests_per_s for r in runs),
            }
    baselines = {t.name: getattr(t, "baseline", "direct") for t in targets}
    for name, levels in out.items():
        if name.startswith("direct"):
            continue
        direct = out[baselines[name]]
        for level, row in levels.items():
            row["baseline"] = baselines[name]
            base = direct[level]["ttft_ms"]
            if row["ttft_ms"] and base:
                row["added_ms"] = stats.difference(row["ttft_ms"], base)
                row["throughput_ratio"] = (
                    row["requests_per_s"]["median"] / direct[level]["requests_per_s"]["median"]
                )
    return out


def report(figures: dict) -> None:
    print(f"{'target':<12}{'conc':>5}{'done':>10}{'req/s':>9}{'TTFT p50':>10}{'p99':>9}"
          f"{'added p50':>11}{'p99':>9}")
    for name, levels in figures["targets"].items():
        for level, row in levels.items():
            t = row["ttft_ms"] or {}
            added = row.get("added_ms") or {}
            cells = [f"{t.get('p50', float('nan')):10.2f}", f"{t.get('p99', float('nan')):9.2f}",
                     f"{added.get('p50', float('nan')):11.2f}", f"{added.get('p99', float('nan')):9.2f}"]
            print(f"{name:<12}{level:>5}{row['completed']:>6}/{row['sent']:<4}"
                  f"{row['requests_per_s']['median']:9.1f}" + "".join(cells))
            for error in row["errors"]:
                print(f"    error: {error}", file=sys.stderr)
    for name, note in figures["skipped"].items():
        print(f"{name}: not measured: {note}")


async def run(args, quick: bool) -> dict:
    rounds = 1 if quick else args.rounds
    figures: dict = {"model": MODEL, "levels": list(LEVELS), "rounds": rounds,
                     "capstone_target_added_ms": {"p50": TARGET_P50_MS, "p99": TARGET_P99_MS}}
    # 1. The stand-in as fast as it goes: every process competes for the same 2 cores, so this
    #    is the worst case for a gateway (the provider's own CPU is on the same machine).
    requests = {1: 20, 10: 40, 50: 100} if quick else {1: 100, 10: 200, 50: 500}
    figures["requests_per_round"] = {str(k): v for k, v in requests.items()}
    figures.update(await scenario(args, rounds, requests, pace=None))
    # 2. The stand-in paced like a hosted model (PACE: first event after 200 ms, then an event
    #    every 10 ms): the provider's time is waiting, as it is for a real one, and a gateway's
    #    overhead is its own work, not a share of the provider's CPU.
    if not args.no_paced:
        requests = {1: 5, 10: 20, 50: 50} if quick else {1: 20, 10: 60, 50: 150}
        paced = await scenario(args, rounds, requests, pace=PACE)
        figures["paced"] = {"latency_s": PACE[0], "token_delay_s": PACE[1],
                            "requests_per_round": {str(k): v for k, v in requests.items()},
                            **paced}
    return figures


async def scenario(args, rounds: int, requests: dict[int, int],
                   pace: tuple[float, float] | None) -> dict:
    """Direct, LiteLLM and the capstone in front of one stand-in (paced or not)."""
    figures: dict = {"skipped": {}, "targets": {}}
    with contextlib.ExitStack() as stack:
        url = stack.enter_context(standin(pace))
        targets = [load.OpenAIChatStream("direct", url + "/v1", MODEL)]
        version = litellm_version()
        figures["litellm_version"] = version
        if version is None or not LITELLM.exists():
            figures["skipped"]["litellm"] = "no .venv-bench (run `make bench`, which installs it)"
        elif not args.no_litellm:
            proxy_url, took = stack.enter_context(litellm_proxy(url))
            figures["litellm_start_s"] = took
            targets.append(load.OpenAIChatStream("litellm", proxy_url + "/v1", MODEL,
                                                 key="sk-bench-only"))
        hook, twin = capstone_hook() if not args.no_capstone else (None, "--no-capstone")
        async with contextlib.AsyncExitStack() as astack:
            if hook is None:
                figures["skipped"]["capstone"] = twin
            else:
                warm = sum(min(level, 5) for level in LEVELS)
                needed = warm + rounds * sum(requests.values())
                targets.append(await astack.enter_async_context(hook(url, needed)))
                if twin is not None:
                    targets.insert(1, twin(url, MODEL))
            figures["targets"] = await measure(targets, rounds, requests)
    return figures


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--quick", action="store_true", help="few requests, one round")
    parser.add_argument("--no-litellm", action="store_true", help="skip the LiteLLM proxy")
    parser.add_argument("--no-capstone", action="store_true", help="skip the capstone chat API")
    parser.add_argument("--no-paced", action="store_true",
                        help="skip the second run against a stand-in paced like a hosted model")
    args = parser.parse_args(argv)
    quick = args.quick or stats.quick_requested([])
    figures = asyncio.run(run(args, quick))
    report(figures)
    if "paced" in figures:
        print(f"paced stand-in (first event after {PACE[0] * 1000:.0f} ms, then one every "
              f"{PACE[1] * 1000:.0f} ms):")
        report(figures["paced"])
    print(f"wrote {stats.write_result('gateway', figures, quick=quick)}")
    return figures


if __name__ == "__main__":
    main()
