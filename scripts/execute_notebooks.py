"""Execute notebooks in place so every stored output comes from running the cell.

    python scripts/execute_notebooks.py                       # every notebook under notebooks/
    python scripts/execute_notebooks.py notebooks/a-what-is-an-llm/7.03-*.ipynb

Each notebook runs in a fresh kernel with COURSE_OFFLINE=1, its own folder as the working
directory, and a 60 s per-cell limit. Metadata is cleaned (no execution timestamps, one
kernelspec, no machine-specific language_info) so re-running an unchanged notebook leaves
git with nothing to commit. Prints the wall time of each notebook (also read by bench/).
"""

from __future__ import annotations

import os
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
KERNELSPEC = {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"}


def slides(nb) -> None:
    """Mark slides for the instructor's slide view (RISE): the title and each "## " section
    start a slide; everything else scrolls within it."""
    nb.metadata["rise"] = {"scroll": True, "transition": "none", "enable_chalkboard": False}
    for index, cell in enumerate(nb.cells):
        starts = index == 0 or (cell.cell_type == "markdown" and cell.source.startswith("## "))
        cell.metadata["slideshow"] = {"slide_type": "slide" if starts else "-"}


def clean(nb) -> None:
    """Drop metadata that changes on every run or every machine."""
    keep = {k: v for k, v in nb.metadata.items() if k in ("celltoolbar", "rise")}
    nb.metadata = {"kernelspec": KERNELSPEC, "language_info": {"name": "python"}, **keep}
    slides(nb)
    for cell in nb.cells:
        for key in ("execution", "ExecuteTime", "lines_to_next_cell"):  # run/jupytext noise
            cell.metadata.pop(key, None)
        if cell.cell_type == "code":
            for output in cell.get("outputs", []):
                output.get("metadata", {}).pop("execution", None)


def execute(path: str) -> tuple[str, float]:
    from course_lib.today import checked_on

    import nbformat
    from nbclient import NotebookClient

    os.environ["COURSE_OFFLINE"] = "1"
    os.environ.setdefault("COURSE_TODAY", checked_on().isoformat())  # as `make test` pins it
    os.environ.setdefault("MPLBACKEND", "module://matplotlib_inline.backend_inline")
    nb = nbformat.read(path, as_version=4)
    start = time.perf_counter()
    client = NotebookClient(
        nb,
        timeout=60,
        kernel_name="python3",
        coalesce_streams=True,  # a streamed reply is stored as one text, not one line per token
        # Every output is in when the last cell ends: stop the kernel at once, as nbval does, not
        # gracefully (a graceful stop waited 0.6-0.8 s per notebook for the kernel to exit).
        shutdown_kernel="immediate",
        resources={"metadata": {"path": str(Path(path).parent)}},
    )
    client.execute()
    elapsed = time.perf_counter() - start
    clean(nb)
    nbformat.write(nb, path)
    return path, elapsed


def notebooks(args: list[str]) -> list[str]:
    if args:
        return [str(Path(a).resolve()) for a in args]
    return sorted(
        str(p)
        for p in (ROOT / "notebooks").rglob("*.ipynb")
        if ".ipynb_checkpoints" not in p.parts
    )


def main(args: list[str]) -> int:
    paths = notebooks(args)
    if not paths:
        print("no notebooks found")
        return 1
    total = time.perf_counter()
    failed = 0
    with ProcessPoolExecutor(max_workers=min(len(paths), os.cpu_count() or 2)) as pool:
        futures = {p: pool.submit(execute, p) for p in paths}
        for path, future in futures.items():
            name = Path(path).relative_to(ROOT) if Path(path).is_relative_to(ROOT) else path
            try:
                _, elapsed = future.result()
                print(f"{elapsed:6.2f} s  {name}")
            except Exception as exc:  # report every failing notebook, then fail
                failed += 1
                print(f"FAILED  {name}\n{exc}", file=sys.stderr)
    print(f"{time.perf_counter() - total:6.2f} s  total ({len(paths)} notebooks)")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
