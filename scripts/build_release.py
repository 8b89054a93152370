"""The student version of the course, solutions removed, ready for nbgrader (`make release`).

    python scripts/build_release.py              # every notebook -> build/release/
    python scripts/build_release.py --out DIR notebooks/a-what-is-an-llm/7.05-*.ipynb

Follows nbgrader's conventions (what `nbgrader generate_assignment` does to a source notebook):

- code between ``### BEGIN SOLUTION`` and ``### END SOLUTION`` is removed; in a cell a student
  fills in it becomes ``# YOUR CODE HERE`` / ``raise NotImplementedError()``;
- a cell tagged ``solution`` (the lessons' hidden worked answer) keeps only what follows its
  solution, ``verify_solution(check_x, answer)``, and becomes a locked, graded nbgrader test
  cell (1 point): autograding runs the check on the student's answer;
- the exercise cell just above it (the stub the student completes, ending in ``check_x(...)``)
  becomes an nbgrader answer cell, so the student's code is what gets graded.

Stored outputs of the other cells are kept (they are the lesson). Nothing is executed.
"""

from __future__ import annotations

import argparse
import re
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "build" / "release"
REGION = re.compile(r"^[ \t]*### BEGIN SOLUTION[^\n]*\n.*?^[ \t]*### END SOLUTION[^\n]*(\n|$)",
                    re.S | re.M)
STUB = "# YOUR CODE HERE\nraise NotImplementedError()\n"


def notebooks(args: list[str]) -> list[Path]:
    if args:
        return [Path(a).resolve() for a in args]
    return sorted(p for p in (ROOT / "notebooks").rglob("*.ipynb")
                  if ".ipynb_checkpoints" not in p.parts)


def _nbgrader(cell, grade_id: str, *, solution: bool, grade: bool, locked: bool) -> None:
    meta = {"grade": grade, "grade_id": grade_id, "locked": locked, "schema_version": 3,
            "solution": solution}
    if grade:
        meta["points"] = 1
    cell.metadata["nbgrader"] = meta


def release(nb, name: str):
    """The student version of one notebook (a new notebook; ``nb`` is not changed)."""
    import copy

    nb = copy.deepcopy(nb)
    cells, tests = [], 0
    for cell in nb.cells:
        tags = cell.metadata.get("tags", [])
        if "solution" in tags:
            rest = REGION.sub("", cell.source).strip()
            if not rest:
                continue  # nothing but the answer: the student never sees it
            tests += 1
            cell.source = rest
            cell.metadata["tags"] = [t for t in tags if t != "solution"]
            if not cell.metadata["tags"]:
                del cell.metadata["tags"]
            cell.metadata.pop("jupyter", None)  # no longer hidden: it is the grader's test
            if cell.cell_type == "code":
                cell.outputs, cell.execution_count = [], None
            _nbgrader(cell, f"{name}-test-{tests}", solution=False, grade=True, locked=True)
            if cells and cells[-1].cell_type == "code" and "nbgrader" not in cells[-1].metadata:
                _nbgrader(cells[-1], f"{name}-answer-{tests}", solution=True, grade=False,
                          locked=False)
        elif REGION.search(cell.source):
            stub = STUB if cell.cell_type == "code" else "YOUR ANSWER HERE\n"
            cell.source = REGION.sub(stub, cell.source)
            if cell.cell_type == "code":
                cell.outputs, cell.execution_count = [], None
            _nbgrader(cell, f"{name}-answer-{len(cells)}", solution=True, grade=False,
                      locked=False)
        cells.append(cell)
    nb.cells = cells
    return nb


def build(paths: list[Path], out: Path = OUT) -> list[Path]:
    import nbformat

    shutil.rmtree(out, ignore_errors=True)
    written = []
    for path in paths:
        rel = path.relative_to(ROOT / "notebooks") if path.is_relative_to(ROOT / "notebooks") \
            else Path(path.name)
        target = out / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        nbformat.write(release(nbformat.read(path, as_version=4), path.stem), target)
        written.append(target)
    index = ROOT / "notebooks" / "README.md"
    if index.exists():
        shutil.copy(index, out / "README.md")
    return written


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=OUT)
    parser.add_argument("notebooks", nargs="*")
    args = parser.parse_args(argv)
    written = build(notebooks(args.notebooks), args.out)
    print(f"{len(written)} student notebooks, solutions removed, in {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
