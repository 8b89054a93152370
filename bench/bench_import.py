"""Import and kernel start-up costs: `import course_lib`, a kernel's ready-to-first-cell time, and
what each lesson's setup cell imports (``python -X importtime``), top frames first.

    .venv/bin/python bench/bench_import.py             # writes bench/results/import.json
    .venv/bin/python bench/bench_import.py --quick

Target (DESIGN.md): kernel-side ``import course_lib`` under 0.5 s.

- statements: each timed inside a fresh interpreter around the statement (interpreter start
  excluded), several runs, median and spread;
- kernel: a fresh ipykernel via jupyter_client: start → ready (kernel_info answered), then the
  first cell (``pass``) round trip, then ``import course_lib`` as a cell;
- setup imports: every lesson's first code cell's import statements, run under ``-X importtime``
  after the modules a kernel has already loaded (IPython, ipykernel), so only what the lesson adds
  counts. Self times (each module's own import, not its children's) are summed per top-level
  package across lessons: that is where a course run's import time goes. Self times are CPU
  work inside one process, so they are less sensitive to a busy machine than wall times.
"""

from __future__ import annotations

import argparse
import ast
import json
import os
import re
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import stats

ROOT = Path(__file__).resolve().parent.parent
TARGET_IMPORT_S = 0.5
STATEMENTS = {
    "import course_lib": "import course_lib",
    "import course_lib.clients, config, models, tokens": (
        "import course_lib.clients, course_lib.config, course_lib.models, course_lib.tokens"
    ),
    "import course_lib.exercises": "import course_lib.exercises",
    "a setup cell: + openai_client() (imports the SDK, starts the stand-in)": (
        "import os; os.environ['COURSE_OFFLINE'] = '1'\n"
        "from course_lib.clients import openai_client; openai_client()"
    ),
}
TEMPLATE = "import time; t = time.perf_counter()\n{}\nprint(time.perf_counter() - t)"
# What a kernel has imported before the first cell runs (so a lesson does not pay for it).
KERNEL_PRELOAD = "import ipykernel.ipkernel, ipykernel.kernelapp, IPython, asyncio, json, pathlib"
MARK = "----bench-setup-imports----"
LINE = re.compile(r"^import time:\s+(\d+) \|\s+(\d+) \|( *)(\S+)")


def measure(statement: str, runs: int) -> dict:
    times = []
    env = {**os.environ, "COURSE_OFFLINE": "1"}
    for _ in range(runs):
        out = subprocess.run([sys.executable, "-c", TEMPLATE.format(statement)],
                             check=True, capture_output=True, text=True, env=env).stdout
        times.append(float(out.strip().splitlines()[-1]))
    return stats.summary(times)


def kernel_times(runs: int) -> dict:
    """Start → ready, ready → first cell done (``pass``), and ``import course_lib`` as a cell."""
    from jupyter_client.manager import start_new_kernel

    phases: dict[str, list[float]] = {"start_to_ready": [], "first_cell": [], "import_cell": []}
    env = {**os.environ, "COURSE_OFFLINE": "1",
           "PYTHONPATH": os.pathsep.join(p for p in (str(ROOT), os.environ.get("PYTHONPATH")) if p)}
    for _ in range(runs):
        start = time.perf_counter()
        km, kc = start_new_kernel(kernel_name="python3", env=env, cwd=str(ROOT))
        try:
            phases["start_to_ready"].append(time.perf_counter() - start)  # waits for kernel_info
            for phase, code in (("first_cell", "pass"), ("import_cell", "import course_lib")):
                t = time.perf_counter()
                reply = kc.execute_interactive(code, timeout=60, output_hook=lambda _msg: None)
                if reply["content"]["status"] != "ok":
                    raise RuntimeError(f"{code!r} failed in the kernel: {reply['content']}")
                phases[phase].append(time.perf_counter() - t)
        finally:
            kc.stop_channels()
            km.shutdown_kernel(now=True)
    return {k: stats.summary(v) for k, v in phases.items()}


def setup_imports(notebook: Path) -> str:
    """The import statements of a notebook's first code cell, as source."""
    nb = json.loads(notebook.read_text(encoding="utf-8"))
    for cell in nb["cells"]:
        source = "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
        if cell["cell_type"] == "code" and source.strip():
            tree = ast.parse(source)
            imports = [n for n in tree.body if isinstance(n, ast.Import | ast.ImportFrom)]
            return "\n".join(ast.unparse(n) for n in imports)
    return ""


def parse_importtime(stderr: str, after: str | None = MARK) -> list[tuple[str, int, int]]:
    """``-X importtime`` lines as (module, self µs, cumulative µs), only those after ``after``.

    >>> text = "import time: 5 | 5 | a\\n----x----\\nimport time:       120 |        300 |   b.c\\n"
    >>> parse_importtime(text, after="----x----")
    [('b.c', 120, 300)]
    """
    lines = stderr.splitlines()
    if after is not None and after in lines:
        lines = lines[lines.index(after) + 1:]
    rows = []
    for line in lines:
        match = LINE.match(line)
        if match:
            rows.append((match.group(4), int(match.group(1)), int(match.group(2))))
    return rows


def by_package(rows: list[tuple[str, int, int]]) -> dict[str, int]:
    """Self µs summed per top-level package: [('pandas.core', 5, 9), ('pandas', 2, 20)] -> {'pandas': 7}.

    >>> by_package([("pandas.core", 5, 9), ("pandas", 2, 20), ("openai", 1, 1)])
    {'pandas': 7, 'openai': 1}
    """
    totals: dict[str, int] = {}
    for module, self_us, _ in rows:
        top = module.split(".")[0]
        totals[top] = totals.get(top, 0) + self_us
    return dict(sorted(totals.items(), key=lambda kv: kv[1], reverse=True))


def notebook_imports(notebooks: list[Path]) -> dict:
    """Each lesson's setup imports under -X importtime (after a kernel's own preload)."""
    per_notebook, packages, modules = {}, {}, {}
    for path in notebooks:
        code = setup_imports(path)
        script = f"{KERNEL_PRELOAD}\nimport sys\nprint({MARK!r}, file=sys.stderr, flush=True)\n{code}"
        env = {**os.environ, "COURSE_OFFLINE": "1", "MPLBACKEND": "Agg"}
        proc = subprocess.run([sys.executable, "-X", "importtime", "-c", script],
                              capture_output=True, text=True, cwd=path.parent, env=env)
        if proc.returncode != 0:
            per_notebook[path.stem] = {"error": proc.stderr.strip().splitlines()[-1][:200]}
            continue
        rows = parse_importtime(proc.stderr)
        total = sum(r[1] for r in rows)
        tops = by_package(rows)
        per_notebook[path.stem] = {"self_ms_total": total / 1000,
                                   "top_packages_ms": {k: v / 1000 for k, v in list(tops.items())[:6]}}
        for package, us in tops.items():
            packages[package] = packages.get(package, 0) + us
        for module, self_us, _ in rows:
            modules[module] = modules.get(module, 0) + self_us
    top = sorted(packages.items(), key=lambda kv: kv[1], reverse=True)[:15]
    top_modules = sorted(modules.items(), key=lambda kv: kv[1], reverse=True)[:20]
    return {
        "notebooks": dict(sorted(per_notebook.items(),
                                 key=lambda kv: kv[1].get("self_ms_total", 0), reverse=True)),
        "top_packages_summed_ms": {k: v / 1000 for k, v in top},
        "top_modules_summed_self_ms": {k: v / 1000 for k, v in top_modules},
    }


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args(argv)
    quick = args.quick or stats.quick_requested([])
    runs = 2 if quick else args.runs

    figures: dict = {"statements_s": {}, "target_import_s": TARGET_IMPORT_S}
    for label, statement in STATEMENTS.items():
        figures["statements_s"][label] = s = measure(statement, runs)
        print(f"{s['median'] * 1000:8.1f} ms  (spread {s['iqr'] * 1000:.1f} ms)  {label}")
    figures["kernel_s"] = k = kernel_times(1 if quick else 3)
    print(f"kernel: start → ready {k['start_to_ready']['median']:.2f} s; first cell "
          f"{k['first_cell']['median'] * 1000:.1f} ms; `import course_lib` cell "
          f"{k['import_cell']['median'] * 1000:.1f} ms")
    notebooks = sorted(p for p in (ROOT / "notebooks").rglob("*.ipynb")
                       if ".ipynb_checkpoints" not in p.parts)
    figures["setup_imports"] = imports = notebook_imports(notebooks)
    print("setup-cell imports, self time summed over all lessons (ms):")
    for package, ms in list(imports["top_packages_summed_ms"].items())[:10]:
        print(f"  {ms:8.0f}  {package}")
    print("heaviest lessons' setup imports (ms): " + ", ".join(
        f"{name.split('-')[0]} {row.get('self_ms_total', float('nan')):.0f}"
        for name, row in list(imports["notebooks"].items())[:6]))
    print(f"wrote {stats.write_result('import', figures, quick=quick)}")
    return figures


if __name__ == "__main__":
    main()
