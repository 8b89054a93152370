"""Where the capstone's time goes under load: CPU per message for each process, and py-spy's top
frames for the chat API.

    .venv/bin/python bench/profile_chat_api.py                    # 50 at once, 500 messages
    .venv/bin/python bench/profile_chat_api.py --paced --concurrency 10 --messages 200
    PY_SPY=/path/to/py-spy .venv/bin/python bench/profile_chat_api.py   # also sample the API

It starts what bench_gateway.py starts (a stand-in process, embedded PostgreSQL and the chat
API in front of the stand-in), sends ``--messages`` streamed messages with ``--concurrency`` in
flight, and reads each process's CPU time from /proc (Linux) before and after:

- capstone, stand-in, postgres, load generator: CPU milliseconds per message. The capstone's
  figure is its own cost (auth, database, the SDK's request and per-chunk parsing, SSE out);
  multiplied by messages/s it says how much of a core the API needs.

With py-spy (``pip install py-spy``; not a course dependency, set ``PY_SPY`` or put it on
PATH) it samples the API process meanwhile and prints the functions that were running most
(self time) and the libraries they belong to.
"""

from __future__ import annotations

import argparse
import asyncio
import collections
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import chat_api_target
import load
import stats
from bench_gateway import MODEL, PACE, standin

SKIP = {"asyncio", "selectors", "threading", "typing.py", "inspect.py", "contextlib.py",
        "functools.py", "abc.py", "json", "enum.py", "re", "logging", "<frozen runpy>"}


def cpu_seconds(pids: list[int]) -> float:
    """User + system CPU seconds the processes have used (those still running)."""
    tick, total = os.sysconf("SC_CLK_TCK"), 0.0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += (int(fields[11]) + int(fields[12])) / tick
    return total


def pids_of(pattern: str, user: str | None = None) -> list[int]:
    command = ["pgrep", *(["-u", user] if user else []), "-f", pattern]
    found = subprocess.run(command, capture_output=True, text=True)
    return [int(p) for p in found.stdout.split()]


def top_frames(raw: Path, n: int = 15) -> tuple[list[tuple[float, str]], list[tuple[float, str]]]:
    """py-spy's collapsed stacks -> (self time by function, self time by library), as shares."""
    by_function: collections.Counter = collections.Counter()
    by_library: collections.Counter = collections.Counter()
    total = 0
    for line in raw.read_text().splitlines():
        stack, _, count = line.rpartition(" ")
        if not count.isdigit():
            continue
        frames, samples = stack.split(";"), int(count)
        total += samples
        by_function[frames[-1]] += samples
        library = "other"
        for frame in reversed(frames):  # the innermost frame outside the standard library
            found = re.search(r"\(([^/:]+)[/:]", frame)
            name = found.group(1) if found else frame
            if name not in SKIP:
                library = name
                break
        by_library[library] += samples
    share = lambda counter: [(v / total, k) for k, v in counter.most_common(n)]  # noqa: E731
    return share(by_function), share(by_library)


async def run(args) -> None:
    spy = os.environ.get("PY_SPY") or shutil.which("py-spy")
    with standin(PACE if args.paced else None) as url:
        async with chat_api_target.gateway_target(url, args.messages + 60) as target:
            twin = chat_api_target.direct_twin(url, MODEL)
            for warm in (target, twin):
                await load.run_load(warm, args.concurrency, 50)
            api = pids_of("course_lib.chat_api --port")
            pids = {"capstone": api, "stand-in": pids_of("course_lib.offline --port"),
                    "postgres": pids_of("postgres", user="pgserver") or pids_of("postgres"),
                    "load generator": [os.getpid()]}
            recorder, raw = None, Path(tempfile.mkdtemp(prefix="profile-chat-api-")) / "api.txt"
            if spy and api:
                recorder = subprocess.Popen(
                    [spy, "record", "--pid", str(api[0]), "--format", "raw", "--rate", "200",
                     "--nonblocking", "-o", str(raw)],
                    stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
                time.sleep(1)  # attached before the load starts
            before = {name: cpu_seconds(p) for name, p in pids.items()}
            through = await load.run_load(target, args.concurrency, args.messages)
            spent = {name: cpu_seconds(p) - before[name] for name, p in pids.items()}
            if recorder is not None:
                recorder.send_signal(2)
                recorder.wait(timeout=60)
            direct = await load.run_load(twin, args.concurrency, args.messages)
    print(f"{args.messages} streamed messages, {args.concurrency} in flight, stand-in "
          f"{'paced' if args.paced else 'as fast as it goes'}")
    for name, sample in (("direct", direct), ("capstone", through)):
        ttft = [s.ttft * 1000 for s in sample.samples]
        print(f"  {name:<9} TTFT p50 {stats.percentile(ttft, 50):7.1f} ms, p99 "
              f"{stats.percentile(ttft, 99):7.1f} ms; {sample.requests_per_s:6.1f} messages/s; "
              f"{len(sample.errors)} errors")
    print("CPU per message through the API (ms): " + ", ".join(
        f"{name} {seconds * 1000 / args.messages:.2f}" for name, seconds in spent.items()))
    print(f"  the API process used {spent['capstone'] / through.wall:.0%} of a core")
    if recorder is not None and raw.exists():
        functions, libraries = top_frames(raw)
        print("py-spy, the chat API's self time by library:")
        for share, name in libraries:
            print(f"  {share:6.1%}  {name}")
        print("py-spy, by function:")
        for share, name in functions:
            print(f"  {share:6.1%}  {name[:110]}")
        shutil.rmtree(raw.parent, ignore_errors=True)
    elif not spy:
        print("(no py-spy: `pip install py-spy` or set PY_SPY for the top frames)")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--concurrency", type=int, default=50)
    parser.add_argument("--messages", type=int, default=500)
    parser.add_argument("--paced", action="store_true",
                        help=f"stand-in paced like a hosted model {PACE}")
    args = parser.parse_args(argv)
    if not Path("/proc/self/stat").exists():
        raise SystemExit("this profile reads CPU times from /proc: Linux only")
    asyncio.run(run(args))


if __name__ == "__main__":
    main()
