"""Execute the whole course offline, as CI does (2 workers), and say where the time goes.

    .venv/bin/python bench/bench_course.py             # 3 runs of every notebook
    .venv/bin/python bench/bench_course.py --quick     # 1 run (QUICK=1 does the same)
    .venv/bin/python bench/bench_course.py --runs 5 notebooks/b-openai-api/7.12-*.ipynb

Targets (DESIGN.md, "Performance"): the whole course under 60 s wall on 2 cores (90 s is the
ceiling), no notebook over 10 s. Each notebook runs in a fresh kernel, like
scripts/execute_notebooks.py, on a copy in .bench-notebooks/ (the repository's notebooks are
never written). nbclient's hooks split each notebook's time into phases:

- kernel start: starting the kernel process until it answers (``on_notebook_start``);
- ready → first cell: from the kernel answering to the first code cell starting (kernel_info);
- setup cell: the first code cell, which in every lesson is the imports;
- other cells: every other code cell (the lesson itself);
- shutdown: after the last cell until the kernel is gone (stopped at once, as nbval does).

Writes bench/results/course.json: total wall per run (median and spread), each notebook's
median and phases (slowest first) and the slowest cells.
"""

from __future__ import annotations

import argparse
import compileall
import os
import shutil
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import stats

ROOT = Path(__file__).resolve().parent.parent
COPY = ROOT / ".bench-notebooks"  # a sibling of notebooks/, so relative paths still resolve
PHASES = ("kernel_start", "ready_to_first_cell", "setup_cell", "other_cells", "shutdown")
TARGET_TOTAL_S, CEILING_TOTAL_S, TARGET_NOTEBOOK_S = 60.0, 90.0, 10.0


def time_notebook(path: str) -> dict:
    """Execute one notebook in a fresh kernel; its wall time, phases and per-cell times."""
    from course_lib.today import checked_on

    import nbformat
    from nbclient import NotebookClient

    os.environ["COURSE_OFFLINE"] = "1"
    os.environ.setdefault("COURSE_TODAY", checked_on().isoformat())  # as `make test` pins it
    os.environ.setdefault("MPLBACKEND", "module://matplotlib_inline.backend_inline")
    os.environ["PYTHONPATH"] = os.pathsep.join(  # kernels import this checkout's course_lib
        p for p in (str(ROOT), os.environ.get("PYTHONPATH", "")) if p
    )
    nb = nbformat.read(path, as_version=4)
    marks: dict[str, float] = {}
    cells: list[tuple[int, float]] = []  # (cell index, seconds)
    started: dict[int, float] = {}

    def ready(**_):
        marks["ready"] = time.perf_counter()

    def cell_start(cell, cell_index, **_):
        if cell.cell_type == "code" and cell.source.strip():
            started[cell_index] = time.perf_counter()
            marks.setdefault("first_cell", started[cell_index])

    def cell_done(cell, cell_index, **_):
        if cell_index in started:
            cells.append((cell_index, time.perf_counter() - started[cell_index]))
            marks["last_cell"] = time.perf_counter()

    client = NotebookClient(
        nb,
        timeout=60,
        kernel_name="python3",
        coalesce_streams=True,
        shutdown_kernel="immediate",  # as nbval (make test) stops kernels: outputs are all in
        resources={"metadata": {"path": str(Path(path).parent)}},
        on_notebook_start=ready,
        on_cell_start=cell_start,
        on_cell_executed=cell_done,
    )
    begin = time.perf_counter()
    client.execute()
    end = time.perf_counter()
    ready_at = marks.get("ready", begin)
    first = marks.get("first_cell", ready_at)
    setup = cells[0][1] if cells else 0.0
    return {
        "notebook": path,
        "wall": end - begin,
        "kernel_start": ready_at - begin,
        "ready_to_first_cell": first - ready_at,
        "setup_cell": setup,
        "other_cells": sum(t for _, t in cells[1:]),
        "shutdown": end - marks.get("last_cell", first),
        "cells": cells,
    }


def run_course(paths: list[str], workers: int) -> tuple[float, list[dict], list[str]]:
    """One execution of every notebook in ``paths`` with ``workers`` processes."""
    start = time.perf_counter()
    timings, failed = [], []
    with ProcessPoolExecutor(max_workers=workers) as pool:
        futures = {p: pool.submit(time_notebook, p) for p in paths}
        for path, future in futures.items():
            try:
                timings.append(future.result())
            except Exception as exc:  # report every failing notebook, keep timing the rest
                failed.append(f"{name_of(path)}: {type(exc).__name__}: {str(exc)[:200]}")
    return time.perf_counter() - start, timings, failed


def name_of(path: str) -> str:
    """'/…/.bench-notebooks/b-openai-api/7.12-streaming-responses.ipynb' -> '7.12-streaming-responses'."""
    return Path(path).stem


def aggregate(runs: list[tuple[float, list[dict]]]) -> dict:
    """Fold several course runs into medians: total wall, each notebook's phases, slowest cells.

    ``runs`` is [(total wall seconds, [time_notebook() result, ...]), ...].
    """
    per_notebook: dict[str, list[dict]] = {}
    for _, timings in runs:
        for t in timings:
            per_notebook.setdefault(name_of(t["notebook"]), []).append(t)
    notebooks = []
    slow_cells = []
    for name, results in per_notebook.items():
        row = {"notebook": name, "wall": stats.summary(r["wall"] for r in results)}
        for phase in PHASES:
            row[phase] = stats.summary(r[phase] for r in results)["median"]
        notebooks.append(row)
        by_cell: dict[int, list[float]] = {}
        for r in results:
            for index, seconds in r["cells"]:
                by_cell.setdefault(index, []).append(seconds)
        slow_cells += [
            {"notebook": name, "cell": index, "seconds": stats.summary(s)["median"]}
            for index, s in by_cell.items()
        ]
    notebooks.sort(key=lambda row: row["wall"]["median"], reverse=True)
    slow_cells.sort(key=lambda c: c["seconds"], reverse=True)
    phase_totals = {p: sum(row[p] for row in notebooks) for p in PHASES}
    return {
        "total_wall": stats.summary(total for total, _ in runs),
        "notebooks_count": len(notebooks),
        "phase_totals_worker_s": phase_totals,
        "notebooks": notebooks,
        "slowest_cells": slow_cells[:15],
        "targets": {
            "total_s": TARGET_TOTAL_S,
            "total_ceiling_s": CEILING_TOTAL_S,
            "notebook_s": TARGET_NOTEBOOK_S,
        },
    }


def report(result: dict) -> None:
    total = result["total_wall"]
    print(
        f"whole course: {total['median']:.1f} s median of {total['n']} run(s) "
        f"(min {total['min']:.1f}, max {total['max']:.1f}); target < {TARGET_TOTAL_S:.0f} s, "
        f"ceiling {CEILING_TOTAL_S:.0f} s"
    )
    head = f"{'notebook':<44}{'wall':>7}{'kernel':>8}{'ready→1':>9}{'setup':>7}{'cells':>7}{'stop':>6}"
    print(head)
    print("-" * len(head))
    for row in result["notebooks"]:
        flag = "  > 10 s" if row["wall"]["median"] > TARGET_NOTEBOOK_S else ""
        print(
            f"{row['notebook'][:43]:<44}{row['wall']['median']:7.2f}{row['kernel_start']:8.2f}"
            f"{row['ready_to_first_cell']:9.3f}{row['setup_cell']:7.2f}{row['other_cells']:7.2f}"
            f"{row['shutdown']:6.2f}{flag}"
        )
    sums = result["phase_totals_worker_s"]
    print("summed over notebooks (s): " + ", ".join(f"{k} {v:.1f}" for k, v in sums.items()))
    print("slowest cells: " + "; ".join(
        f"{c['notebook'].split('-')[0]} cell {c['cell']} {c['seconds']:.2f} s"
        for c in result["slowest_cells"][:5]
    ))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notebooks", nargs="*", help="default: every notebook under notebooks/")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--quick", action="store_true", help="one run")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 2)
    args = parser.parse_args(argv)
    quick = args.quick or stats.quick_requested([])
    runs = 1 if quick else args.runs

    # As CI's kernels (`make .venv/.installed` byte-compiles course_lib) and make notebooks'.
    compileall.compile_dir(ROOT / "course_lib", quiet=1)
    shutil.rmtree(COPY, ignore_errors=True)
    shutil.copytree(ROOT / "notebooks", COPY)
    try:
        if args.notebooks:
            wanted = {Path(p).name for p in args.notebooks}
            paths = sorted(str(p) for p in COPY.rglob("*.ipynb") if p.name in wanted)
        else:
            paths = sorted(
                str(p) for p in COPY.rglob("*.ipynb") if ".ipynb_checkpoints" not in p.parts
            )
        results, failures = [], []
        for i in range(runs):
            total, timings, failed = run_course(paths, args.workers)
            print(f"run {i + 1}/{runs}: {total:.1f} s, {len(timings)} notebooks", flush=True)
            results.append((total, timings))
            failures += failed
    finally:
        shutil.rmtree(COPY, ignore_errors=True)
    result = aggregate(results)
    result["workers"] = args.workers
    result["failed"] = sorted(set(failures))
    report(result)
    for failure in result["failed"]:
        print(f"FAILED {failure}", file=sys.stderr)
    print(f"wrote {stats.write_result('course', result, quick=quick)}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
