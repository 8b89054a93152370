"""Execute notebooks in place so every stored output comes from running the cell.

    python scripts/execute_notebooks.py                       # every notebook under notebooks/
    python scripts/execute_notebooks.py notebooks/a-what-is-an-llm/7.03-*.ipynb
    python scripts/execute_notebooks.py --slides-only   # only re-mark slides, execute nothing

Each notebook runs in a fresh kernel with COURSE_OFFLINE=1, its own folder as the working
directory, and a 60 s per-cell limit. Metadata is cleaned (no execution timestamps, one
kernelspec, no machine-specific language_info) so re-running an unchanged notebook leaves
git with nothing to commit. Prints the wall time of each notebook (also read by bench/).
"""

from __future__ import annotations

import compileall
import os
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
KERNELSPEC = {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"}


SLIDE_LINES = 24  # what fits on one slide (reveal.js 960×700 at JupyterLab's font), in lines


def height(cell) -> int:
    """A cell's height on a slide, in lines of text: source lines, output lines (long outputs
    are cut to a scroll area of about 12 lines by the slide view), and ~15 lines per picture."""
    lines = len(cell.source.splitlines()) + (1 if cell.cell_type == "code" else 0)
    for output in cell.get("outputs", []):
        data = output.get("data", {})
        if "image/png" in data or "image/svg+xml" in data:
            lines += 15
        elif "text/html" in data:  # a table: one line per row
            lines += min("".join(data["text/html"]).count("<tr"), 14)
        else:
            text = output.get("text") or "".join(data.get("text/plain", ""))
            lines += min(len(str(text).splitlines()), 12)
    return lines


def slides(nb) -> None:
    """Mark slides for the instructor's slide view (RISE) and `make slides`: the title and each
    "## " section start a slide; a section taller than a slide (SLIDE_LINES) goes on in
    sub-slides (down arrow), each starting at a Markdown cell so an explanation stays with the
    code under it; everything else is part of the slide above it."""
    nb.metadata["rise"] = {"scroll": True, "transition": "none", "enable_chalkboard": False}
    used = 0
    for index, cell in enumerate(nb.cells):
        tall = height(cell)
        if index == 0 or (cell.cell_type == "markdown" and cell.source.startswith("## ")):
            kind, used = "slide", tall
        elif cell.cell_type == "markdown" and used and used + tall > SLIDE_LINES:
            kind, used = "subslide", tall
        else:
            kind, used = "-", used + tall
        cell.metadata["slideshow"] = {"slide_type": kind}


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


def mark_slides(paths: list[str]) -> int:
    """Only re-mark slides (metadata; outputs untouched) — after changing slides()."""
    import nbformat

    for path in paths:
        nb = nbformat.read(path, as_version=4)
        slides(nb)
        nbformat.write(nb, path)
    print(f"slide metadata set in {len(paths)} notebooks")
    return 0


def main(args: list[str]) -> int:
    if args[:1] == ["--slides-only"]:
        return mark_slides(notebooks(args[1:]))
    paths = notebooks(args)
    if not paths:
        print("no notebooks found")
        return 1
    # Kernels import course_lib byte-compiled, as `make .venv/.installed` leaves it: refresh the
    # bytecode of modules edited since, or each kernel compiles them from source again where
    # bytecode is not written (PYTHONDONTWRITEBYTECODE=1).
    compileall.compile_dir(ROOT / "course_lib", quiet=1)
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
