"""Every `>>>` example in course_lib runs under pytest (pyproject: --doctest-modules).

pytest itself runs the examples; this file checks that none can silently stop running: the
option stays on, course_lib stays collected, and every module that shows `>>>` has examples
doctest can find (a `>>>` in a comment or a plain string would never run) that are not skipped.
"""

import doctest
import importlib
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "course_lib"


def test_pytest_collects_the_package_with_doctest_modules():
    options = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["pytest"]["ini_options"]
    assert "--doctest-modules" in options["addopts"].split()
    assert "course_lib" in options["testpaths"]


MODULES = sorted(
    p for p in PACKAGE.rglob("*.py")
    if ">>>" in p.read_text(encoding="utf-8") and p.name != "__main__.py"
)


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_example_can_run(path):
    module = importlib.import_module(module_name(path))
    examples = [e for t in doctest.DocTestFinder().find(module) for e in t.examples]
    assert examples, f"{path.name} shows >>> but doctest finds no example in its docstrings"
    skipped = [e.source for e in examples if e.options.get(doctest.SKIP)]
    assert not skipped, f"skipped examples never run: {skipped}"
