"""course_lib.exercises has one room per lesson: lesson_7_NN.py, its tests in
tests/exercises/test_lesson_7_NN.py, its notebook importing from it, and every name
exported once."""

import inspect
import json
import re
from pathlib import Path
from types import SimpleNamespace

import pytest

import course_lib.exercises as exercises
from course_lib.exercises import LESSONS, _report
from course_lib.quiz import Quiz

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = Path(exercises.__file__).parent
TESTS = Path(__file__).parent
NOTEBOOKS = sorted(p for p in (ROOT / "notebooks").rglob("7.*.ipynb")
                   if ".ipynb_checkpoints" not in p.parts)
MODULES = (_report, *LESSONS)


def number(lesson) -> str:
    """'03' for course_lib.exercises.lesson_7_03."""
    return lesson.__name__.rsplit("_", 1)[-1]


def duplicates(modules) -> dict[str, list[str]]:
    """Names that more than one module exports, with the modules that export them."""
    owners: dict[str, list[str]] = {}
    for module in modules:
        for name in module.__all__:
            owners.setdefault(name, []).append(module.__name__)
    return {name: where for name, where in owners.items() if len(where) > 1}


def defined_here(module) -> set[str]:
    """Public functions, classes and quizzes that ``module`` itself defines."""
    return {name for name, obj in vars(module).items() if not name.startswith("_")
            and (isinstance(obj, Quiz) or ((inspect.isfunction(obj) or inspect.isclass(obj))
                                           and obj.__module__ == module.__name__))}


# ---------------------------------------------------------------------------------------
# One name, one module


def test_no_name_is_exported_by_two_modules():
    assert duplicates(MODULES) == {}, "a name exported twice: the later module silently wins"


def test_the_duplicate_finder_finds_duplicates():
    one = SimpleNamespace(__name__="lesson_7_01", __all__=["check_a", "check_b"])
    two = SimpleNamespace(__name__="lesson_7_02", __all__=["check_b"])
    assert duplicates([one, two]) == {"check_b": ["lesson_7_01", "lesson_7_02"]}


@pytest.mark.parametrize("lesson", LESSONS, ids=lambda m: m.__name__.rsplit(".", 1)[-1])
def test_what_a_lesson_module_defines_is_what_it_exports(lesson):
    # So "exported by two modules" also catches "defined by two modules"; helpers are _private.
    assert defined_here(lesson) == set(lesson.__all__)


def test_the_package_re_exports_every_modules_names():
    assert exercises.__all__ == [name for module in MODULES for name in module.__all__]
    for module in MODULES:
        for name in module.__all__:
            assert getattr(exercises, name) is getattr(module, name), name


# ---------------------------------------------------------------------------------------
# One room per lesson, and a mirror in the tests


def test_every_lesson_module_is_imported_in_course_order():
    files = sorted(p.stem for p in PACKAGE.glob("*.py") if p.stem != "__init__")
    lessons = [p for p in files if not p.startswith("_")]
    assert all(re.fullmatch(r"lesson_7_\d\d", name) for name in lessons), (
        "a module per lesson, named lesson_7_NN; shared helpers go in _private modules"
    )
    assert [m.__name__.rsplit(".", 1)[-1] for m in LESSONS] == lessons, (
        "import every lesson module in course_lib/exercises/__init__.py and add it to LESSONS"
    )


@pytest.mark.parametrize("lesson", LESSONS, ids=lambda m: m.__name__.rsplit(".", 1)[-1])
def test_each_lesson_module_says_its_lesson_and_has_its_tests(lesson):
    n = number(lesson)
    assert lesson.__doc__.startswith(f"Lesson 7.{int(n)} — "), "docstring: 'Lesson 7.N — Title'"
    assert lesson.__all__, "a lesson module exports its checks"
    assert (TESTS / f"test_lesson_7_{n}.py").exists(), f"tests go in test_lesson_7_{n}.py"


def test_every_lesson_test_file_has_its_module():
    modules = {number(lesson) for lesson in LESSONS}
    for path in TESTS.glob("test_lesson_*.py"):
        match = re.fullmatch(r"test_lesson_7_(\d\d)", path.stem)
        assert match and match.group(1) in modules, path.name


@pytest.mark.parametrize("lesson", LESSONS, ids=lambda m: m.__name__.rsplit(".", 1)[-1])
def test_quizzes_follow_one_idiom(lesson):
    n = number(lesson)
    quizzes = [name for name in lesson.__all__ if isinstance(getattr(lesson, name), Quiz)]
    assert quizzes in ([], [f"QUIZ_7_{n}"]), quizzes
    quiz_checks = [name for name in lesson.__all__ if "quiz" in name.lower() and name not in quizzes]
    assert quiz_checks == ([f"check_quiz_7_{n}"] if quizzes else []), quiz_checks
    assert all(name.startswith(("check_", "QUIZ_")) for name in lesson.__all__), lesson.__all__


# ---------------------------------------------------------------------------------------
# Each notebook uses its own lesson's checks


def imported_checks(path: Path) -> set[str]:
    """Names a notebook imports from course_lib.exercises."""
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    source = "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "code")
    names = set()
    for match in re.finditer(r"from course_lib\.exercises import (\([^)]*\)|[^\n]+)", source):
        names |= {n.strip() for n in match.group(1).strip("()").split(",") if n.strip()}
    return names


def notebook_problems(path: Path) -> list[str]:
    """Why a lesson notebook does not use exactly its own lesson module's checks."""
    n = re.match(r"7\.(\d\d)-", path.name).group(1)
    lesson = next((m for m in LESSONS if number(m) == n), None)
    used = imported_checks(path)
    if lesson is None:
        return [f"imports {sorted(used)} but there is no lesson_7_{n}.py"] if used else []
    problems = [f"imports {name}, which is neither in lesson_7_{n}.py nor shared"
                for name in sorted(used - set(lesson.__all__) - set(_report.__all__))]
    problems += [f"never imports {name}, a check of its lesson"
                 for name in sorted(set(lesson.__all__) - used)]
    return problems


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_each_notebook_uses_its_own_lessons_checks(path):
    assert notebook_problems(path) == []


def test_the_notebook_rule_flags_a_check_from_another_lesson(tmp_path):
    cell = {"cell_type": "code", "source": ["from course_lib.exercises import (\n",
                                            "    check_fits_window,\n", "    verify_solution,\n",
                                            ")\n"]}
    good = tmp_path / "7.04-context-window.ipynb"
    good.write_text(json.dumps({"cells": [cell]}), encoding="utf-8")
    assert notebook_problems(good) == []
    bad = tmp_path / "7.05-temperature.ipynb"
    bad.write_text(json.dumps({"cells": [cell]}), encoding="utf-8")
    assert notebook_problems(bad) == [
        "imports check_fits_window, which is neither in lesson_7_05.py nor shared",
        "never imports check_softmax_with_temperature, a check of its lesson",
        "never imports check_top_p_filter, a check of its lesson",
    ]
