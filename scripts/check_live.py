"""For an instructor with real keys, the evening before class: will every lesson run today?

    make check-live BUDGET=2.00                        # or: python scripts/check_live.py --budget 2.00
    python scripts/check_live.py --budget 0.50 notebooks/b-openai-api/7.11-*.ipynb
    python scripts/check_live.py --estimate-only       # price it, run nothing against the real APIs

1. **Estimate.** Every notebook runs once against the offline stand-in posing as the real
   providers (keys set, ``OPENAI_BASE_URL`` / ``ANTHROPIC_BASE_URL`` at a local stand-in, as
   scripts/rehearse_real_keys.py does). The stand-in records each request's usage; it is priced
   with course_lib.usage and data/models.csv. Input tokens are as counted; a real model writes
   more than the stand-in, so output is priced at the request's cap (``max_completion_tokens``
   / ``max_tokens``) when it sets one, else at OUTPUT_MARGIN times what the stand-in wrote.
   That upper bound is what is compared with the budget.
2. **Refuse** when the estimate is over ``--budget`` (dollars); nothing has been spent yet.
3. **Run** every notebook against the real providers (executed in memory with nbclient: no
   notebook file changes; every cell runs even after an error) and report each cell that
   failed, in a table: retired model, rejected parameter, changed response shape, other API
   error, or a failure that only follows an earlier one.

Exit status: 0 all cells ran; 1 a cell failed; 2 no real key; 3 over budget.
``--stand-in`` runs step 3 against a stand-in posing as the real providers instead (how
tests/test_check_live.py checks this script; ``COURSE_TODAY`` then moves the stand-in's day).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import threading
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

OUTPUT_MARGIN = 4  # a real model's reply vs the stand-in's, when the request sets no cap
POSING_KEY = "offline-check-live"  # the stand-in accepts keys that start with "offline"
KEYS = ("OPENAI_API_KEY", "ANTHROPIC_API_KEY")
CELL_TIMEOUT = 120


# -------------------------------------------------------------------------------------------
# A stand-in that records usage (run as `check_live.py --serve PORT LOG` in its own process)


def serve(port: int, log_path: str) -> None:
    """The stand-in, recording one JSON line per model request: notebook, provider, model,
    the request's output cap and the usage the reply reported (streams included)."""
    from course_lib import tokens
    from course_lib.offline import registry, server

    local = threading.local()
    lock = threading.Lock()
    log = open(log_path, "a", encoding="utf-8")  # noqa: SIM115 (lives as long as the server)

    def write(entry: dict) -> None:
        with lock:
            log.write(json.dumps(entry) + "\n")
            log.flush()

    dispatch = server.Handler.dispatch

    def tagged_dispatch(self) -> None:  # base URLs end in /_nb/<notebook>/...: note and strip
        match = re.match(r"/_nb/([^/]+)(/.*)", self.path)
        local.notebook = match.group(1) if match else None
        if match:
            self.path = match.group(2)
        dispatch(self)

    server.Handler.dispatch = tagged_dispatch

    class Recording:
        def __init__(self, inner):
            self._inner = inner

        def __getattr__(self, name):
            return getattr(self._inner, name)

        def handle(self, call):
            reply = self._inner.handle(call)
            body = call.body if isinstance(call.body, dict) else {}
            if call.method != "POST" or "model" not in body or "count_tokens" in call.path:
                return reply
            entry = {"notebook": local.notebook, "provider": self._inner.name,
                     "model": body["model"], "n": body.get("n") or 1,
                     "cap": body.get("max_completion_tokens") or body.get("max_tokens")}
            if reply.events is None:
                if isinstance(reply.body, dict) and reply.body.get("usage"):
                    write({**entry, "usage": reply.body["usage"]})
            else:
                reply.events = tee(reply.events, entry, body)
            return reply

    def tee(events, entry, body):
        usage: dict = {}
        written = 0
        try:
            for frame in events:
                for line in frame.decode("utf-8", "replace").splitlines():
                    if not line.startswith("data: ") or line == "data: [DONE]":
                        continue
                    try:
                        data = json.loads(line[6:])
                    except ValueError:
                        continue
                    if data.get("usage"):  # OpenAI's last chunk; Anthropic's message_delta
                        usage.update(data["usage"])
                    if isinstance(data.get("message"), dict) and data["message"].get("usage"):
                        usage.update(data["message"]["usage"])  # Anthropic's message_start
                    for choice in data.get("choices") or []:
                        written += tokens.count((choice.get("delta") or {}).get("content") or "")
                yield frame
        finally:
            if not usage and body.get("messages") is not None:  # OpenAI without include_usage
                usage = {"prompt_tokens": tokens.count_message_tokens(body["messages"]),
                         "completion_tokens": written}
            if usage:
                write({**entry, "usage": usage})

    for name, adapter in list(registry.ADAPTERS.items()):
        registry.ADAPTERS[name] = Recording(adapter)
    from course_lib.offline.lifecycle import Server

    Server("127.0.0.1", port).serve_forever(announce=lambda url: print(url, flush=True))


class StandIn:
    """A recording stand-in in its own process (its day: COURSE_TODAY from ``env``)."""

    def __init__(self, log: Path, env: dict[str, str]):
        # Port 0: the child binds a free port and prints its URL (a port picked here could be
        # taken by another process before the child binds it).
        self.log = log
        self.process = subprocess.Popen(
            [sys.executable, __file__, "--serve", "0", str(log)],
            env=env, stdout=subprocess.PIPE, text=True)
        line = self.process.stdout.readline().strip()
        if not line.startswith("http://"):
            self.process.kill()
            raise RuntimeError("the stand-in did not start")
        self.url = line
        self.port = int(line.rsplit(":", 1)[1])

    def env_for(self, notebook: str) -> dict[str, str]:
        base = f"{self.url}/_nb/{notebook}"
        return {"OPENAI_API_KEY": POSING_KEY, "ANTHROPIC_API_KEY": POSING_KEY,
                "OPENAI_BASE_URL": base + "/v1", "ANTHROPIC_BASE_URL": base}

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=10)


# -------------------------------------------------------------------------------------------
# Executing notebooks


@dataclass
class Failure:
    notebook: str
    cell: int  # 1-based, counting code cells
    kind: str
    error: str


def classify(ename: str, evalue: str, earlier: bool) -> str:
    text = f"{ename} {evalue}"
    if ename == "NotFoundError" and re.search(r"model|deprecat|shut down|not_found", text, re.I):
        return "retired model"
    if ename in ("BadRequestError", "UnprocessableEntityError") and re.search(
            r"unsupported|not supported|extra inputs|unknown parameter|unrecognized|"
            r"not permitted|invalid_request", text, re.I):
        return "rejected parameter"
    if ename in ("AuthenticationError", "PermissionDeniedError"):
        return "key rejected"
    if ename in ("RateLimitError", "InternalServerError", "APIConnectionError",
                 "APITimeoutError", "APIStatusError"):
        return "provider or network"
    if earlier and ename in ("NameError", "SolutionFailed"):
        return "follows an earlier failure"
    if ename in ("AttributeError", "KeyError", "IndexError", "TypeError", "ValidationError",
                 "JSONDecodeError", "AssertionError", "ValueError"):
        return "changed response shape"
    return "other error"


def execute(job: tuple[str, dict[str, str]]) -> tuple[str, list[Failure], str | None]:
    """Run one notebook in memory with ``env`` added; every cell runs even after an error."""
    path, env = job
    import nbformat
    from nbclient import NotebookClient

    os.environ.update(env)
    for name in ("COURSE_OFFLINE",):
        os.environ.pop(name, None)
    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(nb, timeout=CELL_TIMEOUT, kernel_name="python3", allow_errors=True,
                            resources={"metadata": {"path": str(Path(path).parent)}})
    try:
        client.execute(stderr=subprocess.DEVNULL)  # no kernel start-up chatter in the report
    except Exception as exc:  # the kernel died, a cell timed out
        return path, [], f"{type(exc).__name__}: {str(exc).splitlines()[-1] if str(exc) else ''}"
    failures: list[Failure] = []
    code_cells = [c for c in nb.cells if c.cell_type == "code"]
    for number, cell in enumerate(code_cells, 1):
        for out in cell.get("outputs", []):
            if out.get("output_type") == "error":
                kind = classify(out.get("ename", ""), out.get("evalue", ""), bool(failures))
                failures.append(Failure(Path(path).name, number, kind,
                                        f"{out.get('ename')}: {out.get('evalue', '')}"[:160]))
    return path, failures, None


def run_all(jobs: list[tuple[str, dict[str, str]]], workers: int):
    with ProcessPoolExecutor(max_workers=workers) as pool:
        yield from pool.map(execute, jobs)


# -------------------------------------------------------------------------------------------
# Pricing what the stand-in recorded


def price(entries: list[dict]) -> dict[str, dict[str, float]]:
    """{notebook: {"requests", "recorded", "estimate"}} in dollars, from the recorded usage."""
    from course_lib import models
    from course_lib.usage import Usage

    out: dict[str, dict[str, float]] = {}
    for entry in entries:
        row = out.setdefault(entry["notebook"] or "?", {"requests": 0, "recorded": 0.0,
                                                         "estimate": 0.0, "unpriced": 0})
        row["requests"] += 1
        try:
            usage = Usage.of(entry["usage"])
            models.get(entry["model"])
        except (ValueError, LookupError):
            row["unpriced"] += 1
            continue
        cap = entry.get("cap")
        most = cap * entry.get("n", 1) if cap else usage.output * OUTPUT_MARGIN
        upper = Usage(usage.input, usage.cached_input, usage.cache_write, max(most, usage.output))
        row["recorded"] += usage.cost(entry["model"])
        row["estimate"] += upper.cost(entry["model"])
    return out


def read_log(path: Path) -> list[dict]:
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]


def table(headers: list[str], rows: list[list[str]]) -> str:
    widths = [max(len(str(x)) for x in col) for col in zip(headers, *rows, strict=False)]
    line = lambda r: "| " + " | ".join(str(x).ljust(w) for x, w in zip(r, widths, strict=False)) + " |"  # noqa: E731
    return "\n".join([line(headers), "|" + "|".join("-" * (w + 2) for w in widths) + "|",
                      *map(line, rows)])


def notebooks(args: list[str]) -> list[Path]:
    if args:
        return [Path(a).resolve() for a in args]
    return sorted(p for p in (ROOT / "notebooks").rglob("*.ipynb")
                  if ".ipynb_checkpoints" not in p.parts)


def tag(path: Path) -> str:
    return re.sub(r"[^A-Za-z0-9.-]", "_", path.stem)[:60]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notebooks", nargs="*")
    parser.add_argument("--budget", type=float, default=1.0, help="dollars (default 1.00)")
    parser.add_argument("--estimate-only", action="store_true")
    parser.add_argument("--stand-in", action="store_true",
                        help="run the live pass against a stand-in posing as the providers")
    parser.add_argument("--workers", type=int, default=min(2, os.cpu_count() or 1))
    parser.add_argument("--serve", nargs=2, metavar=("PORT", "LOG"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.serve:
        serve(int(args.serve[0]), args.serve[1])
        return 0

    from course_lib import config

    config.load_env()  # keys in .env count
    live_keys = [k for k in KEYS if os.environ.get(k, "").strip()]
    if not args.stand_in and not args.estimate_only and (
            not live_keys or os.environ.get("COURSE_OFFLINE", "").strip().lower() in config.TRUTHY):
        print("check-live needs a real key (OPENAI_API_KEY and/or ANTHROPIC_API_KEY in .env) and "
              "no COURSE_OFFLINE: with neither, every lesson runs offline and `make test` already "
              "checks that.")
        return 2

    paths = notebooks(args.notebooks)
    work = ROOT / ".cache" / "check-live"
    work.mkdir(parents=True, exist_ok=True)
    base_env = {k: v for k, v in os.environ.items() if k != "COURSE_OFFLINE"}

    # 1. Estimate, on the day the model table was checked (every model the lessons use is up).
    from course_lib.today import checked_on

    log = work / "usage.jsonl"
    log.unlink(missing_ok=True)
    pricing = StandIn(log, {**base_env, "COURSE_TODAY": checked_on().isoformat()})
    print(f"pricing {len(paths)} notebook(s) against the stand-in posing as the providers ...",
          flush=True)
    try:
        jobs = [(str(p), pricing.env_for(tag(p))) for p in paths]
        for path, failures, crash in run_all(jobs, args.workers):
            if crash or failures:
                print(f"  note: {Path(path).name} did not run cleanly offline "
                      f"({crash or failures[0].error}); its estimate may be low")
    finally:
        pricing.stop()
    costs = price(read_log(log))
    rows, total = [], 0.0
    for p in paths:
        row = costs.get(tag(p), {"requests": 0, "recorded": 0.0, "estimate": 0.0, "unpriced": 0})
        total += row["estimate"]
        rows.append([p.name, int(row["requests"]), f"${row['recorded']:.4f}",
                     f"${row['estimate']:.4f}" + (f" (+{int(row['unpriced'])} unpriced)"
                                                  if row["unpriced"] else "")])
    print(table(["notebook", "requests", "as the stand-in answered", "upper estimate"], rows))
    print(f"estimated cost: at most ${total:.4f} (budget ${args.budget:.2f})")
    if total > args.budget:
        print(f"REFUSED: the estimate (${total:.4f}) is over the budget (${args.budget:.2f}); "
              f"nothing was sent to a real provider. Raise it (BUDGET={total * 1.2:.2f}) or "
              "name fewer notebooks.")
        return 3
    if args.estimate_only:
        return 0

    # 2. The live pass.
    target = None
    if args.stand_in:
        target = StandIn(work / "live-usage.jsonl", base_env)  # its day: COURSE_TODAY as given
        print("live pass: against a stand-in posing as the providers (--stand-in)")
    else:
        print(f"live pass: real providers for {', '.join(live_keys)} (others: offline stand-in)")
    try:
        jobs = [(str(p), target.env_for(tag(p)) if target else {}) for p in paths]
        failed: list[Failure] = []
        for path, failures, crash in run_all(jobs, args.workers):
            name = Path(path).name
            if crash:
                failures = [Failure(name, 0, "did not finish", crash)]
            print(f"{'FAILED' if failures else 'ok':6}  {name}", flush=True)
            failed += failures
    finally:
        if target:
            target.stop()
    if failed:
        print(table(["notebook", "code cell", "what changed", "error"],
                    [[f.notebook, f.cell, f.kind, f.error] for f in failed]))
        print(f"{len(failed)} cell(s) failed against today's models; fix the lessons (or set "
              "OPENAI_MODEL / ANTHROPIC_MODEL) before class.")
        return 1
    print(f"all {len(paths)} notebook(s) ran against today's models")
    return 0


if __name__ == "__main__":
    sys.exit(main())
