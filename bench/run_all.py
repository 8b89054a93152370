"""`make bench`: every performance figure quoted in README.md, each bench in its own process.

    .venv/bin/python bench/run_all.py              # full (about 10-15 min on an idle 2-core machine)
    .venv/bin/python bench/run_all.py --quick      # smoke run: few requests, one round (QUICK=1)
    .venv/bin/python bench/run_all.py --readme     # also write the tables into README.md
    .venv/bin/python bench/run_all.py --only standin gateway

Each bench writes bench/results/<name>.json (git-ignored); bench/summary.py renders them into
bench/results/summary.md (and README.md with --readme). A failing bench is reported and the
others still run; the exit status is non-zero if any failed.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
# Lightest first; the whole course last (it is the longest).
BENCHES = {
    "import": "bench_import.py",
    "tokenizer": "bench_tokenizer.py",
    "standin": "bench_standin.py",
    "gateway": "bench_gateway.py",
    "chat_api": "bench_chat_api.py",  # the capstone's own bench (sequential and 50 at once)
    "course": "bench_course.py",
}


def main(argv: list[str] | None = None) -> int:
    sys.path.insert(0, str(HERE))
    import stats
    import summary

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="few requests, one round")
    parser.add_argument("--readme", action="store_true", help="write the tables into README.md")
    parser.add_argument("--only", nargs="*", choices=list(BENCHES), help="run only these")
    args = parser.parse_args(argv)
    quick = args.quick or stats.quick_requested([])
    failed = []
    for name in args.only or BENCHES:
        print(f"== {name} ({BENCHES[name]}) ==", flush=True)
        start = time.perf_counter()
        code = subprocess.run(
            [sys.executable, str(HERE / BENCHES[name]), *(["--quick"] if quick else [])]
        ).returncode
        print(f"== {name}: {time.perf_counter() - start:.0f} s"
              + (f", FAILED (exit {code})" if code else ""), flush=True)
        if code:
            failed.append(name)
    print("== summary ==")
    summary.main(["--readme"] if args.readme else [])
    if failed:
        print(f"failed: {', '.join(failed)}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
