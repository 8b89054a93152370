"""Repository hygiene: no secrets anywhere, notebooks that follow the course's rules."""

import ast
import json
import re
import subprocess
from pathlib import Path

import pytest

from course_lib import models, setup_check
from course_lib.setup_check import find_keys

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted(p for p in (ROOT / "notebooks").rglob("*.ipynb") if ".ipynb_checkpoints" not in p.parts)


def tracked_files() -> list[Path]:
    try:
        out = subprocess.run(["git", "ls-files", "-co", "--exclude-standard"], cwd=ROOT,
                             capture_output=True, text=True, check=True).stdout
    except (OSError, subprocess.CalledProcessError):
        pytest.skip("not a git checkout")
    return [ROOT / line for line in out.splitlines() if (ROOT / line).is_file()]


def test_no_api_keys_in_any_file():
    # The same rule (key shapes, placeholders) that lesson 7.8's scan_for_keys applies.
    files = tracked_files()
    assert len(files) > 50 and ROOT / "course_lib" / "setup_check.py" in files
    offenders = []
    for path in files:
        try:
            text = path.read_text(encoding="utf-8")
        except (UnicodeDecodeError, OSError):
            continue
        offenders += [f"{path.relative_to(ROOT)}: {key[:12]}…" for key in find_keys(text)]
    assert not offenders, "Something shaped like an API key is committed:\n" + "\n".join(offenders)


def test_key_rule_catches_real_shapes_and_skips_placeholders():
    body = "abcdefghijklmnopqrstuvwxyz012345"  # built here so this file holds no key shape
    assert find_keys("OPENAI_API_KEY=sk-" + "proj-" + body) == ["sk-" + "proj-" + body]
    assert find_keys("x-api-key: sk-" + "ant-api03-" + body)
    assert find_keys("curl -H 'Authorization: Bearer " + body + "'")
    assert not find_keys("api_key='offline-stand-in'")
    assert not find_keys("Bearer offline-" + body)
    for placeholder in ("sk-" + "proj-" + "xxxx" * 6, "sk-" + "your-key-here-" + body,
                        "sk-" + "test-" + body, "sk-" + "ant-fake-" + body):
        assert not find_keys(placeholder), placeholder


def test_this_test_and_the_lessons_scan_flag_the_same_strings(tmp_path):
    # Lesson 7.8's scan_for_keys and this test share find_keys: a placeholder that one skips
    # the other skips too.
    body = "abcdefghijklmnopqrstuvwxyz012345"
    real, placeholder = "sk-" + "proj-" + body, "sk-" + "proj-" + "xxxx" * 6
    (tmp_path / "cell.py").write_text(f"a = {real!r}\nb = {placeholder!r}\n", encoding="utf-8")
    scanned = setup_check.scan_for_keys([tmp_path], start=tmp_path)
    assert len(scanned) == 1 and "OpenAI project key" in scanned[0].message
    assert find_keys((tmp_path / "cell.py").read_text(encoding="utf-8")) == [real]


def test_env_file_is_ignored_and_example_committed():
    assert ".env" in (ROOT / ".gitignore").read_text().split()
    assert (ROOT / ".env.example").exists()


def code_cells(path: Path) -> list[dict]:
    nb = json.loads(path.read_text(encoding="utf-8"))
    return [c for c in nb["cells"] if c["cell_type"] == "code"]


# A model id from the table as a whole word (so "foo3" is not "o3"), or any id-shaped name.
MODEL_ID = re.compile(
    r"(?<![\w.-])(?:"
    + "|".join(re.escape(m.model) for m in sorted(models.table(), key=lambda m: -len(m.model)))
    + r")(?![\w-])|\b(?:gpt-\d|claude-(?:opus|sonnet|haiku|\d)|o[134]-mini)\S*"
)


def test_model_id_pattern():
    assert MODEL_ID.search('model="o3"') and MODEL_ID.search("gpt-4o-mini")
    assert MODEL_ID.search("claude-haiku-4-5-20251001")
    assert not MODEL_ID.search("foo3 = o3x + do3") and not MODEL_ID.search("model = default_model('openai')")


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_code_never_hard_codes_a_model_id(path):
    for cell in code_cells(path):
        source = "".join(cell["source"])
        found = MODEL_ID.search(source)
        assert not found, (
            f"{path.name}: code cell hard-codes model id {found.group()!r}; use "
            "course_lib.config.default_model(...) or look one up in course_lib.models"
        )


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_is_executed_and_clean(path):
    nb = json.loads(path.read_text(encoding="utf-8"))
    assert nb["metadata"]["kernelspec"]["name"] == "python3"
    assert set(nb["metadata"]["language_info"]) == {"name"}, "run `make notebooks` to clean metadata"
    first = "".join(nb["cells"][0]["source"])
    assert re.match(r"# Lesson 7\.\d+ — |# Capstone", first), "first cell: '# Lesson 7.N — Title'"
    assert nb["cells"][0]["metadata"].get("slideshow", {}).get("slide_type") == "slide", (
        "no slide view: run `make notebooks` (it marks the slides)"
    )
    counts = []
    for cell in code_cells(path):
        assert "execution" not in cell["metadata"], "execution timestamps: run `make notebooks`"
        if "".join(cell["source"]).strip():
            assert cell["execution_count"] is not None, "a code cell was never executed"
            counts.append(cell["execution_count"])
        tags = cell["metadata"].get("tags", [])
        for output in cell["outputs"]:
            if output["output_type"] == "error":
                assert "raises-exception" in tags, f"stored error in a cell not tagged raises-exception: {output['ename']}"
    assert counts == sorted(counts) and len(counts) == len(set(counts)), "cells not run top to bottom"


# ---------------------------------------------------------------------------------------
# Exercises and solutions: "Run All" in a fresh kernel executes and verifies every solution,
# yet never prints a solution's result, a pass nobody earned, or a bare True/False.


def python_of(cell: dict) -> ast.Module:
    """A code cell's source as Python (IPython magics turned into calls first)."""
    from IPython.core.inputtransformer2 import TransformerManager

    return ast.parse(TransformerManager().transform_cell("".join(cell["source"])))


def called_name(call: ast.Call) -> str:
    """``f`` for ``f(...)`` and for ``x.f(...)``; "" for anything else."""
    func = call.func
    return func.id if isinstance(func, ast.Name) else getattr(func, "attr", "")


def called_names(tree: ast.AST) -> list[str]:
    """The names of the functions a piece of code calls."""
    return [called_name(node) for node in ast.walk(tree) if isinstance(node, ast.Call)]


def solution_problems(nb: dict) -> list[str]:
    """What breaks the solution-cell rules in a notebook (empty when it keeps them all)."""
    problems, exercised = [], set()  # the checks that students' cells call, so far
    for n, cell in enumerate(nb["cells"], 1):
        if cell["cell_type"] != "code":
            continue
        where = f"cell {n}"
        source = "".join(cell["source"])
        if "solution" not in cell["metadata"].get("tags", []):
            if "### BEGIN SOLUTION" in source:
                problems.append(f"{where}: has ### BEGIN SOLUTION but is not tagged 'solution'")
            exercised |= {name for name in called_names(python_of(cell))
                          if name.startswith("check_")}
            continue
        if not cell["metadata"].get("jupyter", {}).get("source_hidden"):
            problems.append(f"{where}: a solution cell must be collapsed (jupyter.source_hidden)")
        if "### BEGIN SOLUTION" not in source or "### END SOLUTION" not in source:
            problems.append(f"{where}: the answer must sit between ### BEGIN SOLUTION and "
                            "### END SOLUTION")
        tree = python_of(cell)
        last = tree.body[-1] if tree.body else None
        call = last.value if isinstance(last, ast.Expr) and isinstance(last.value, ast.Call) else None
        ends_verified = (
            call is not None and called_name(call) == "verify_solution" and bool(call.args)
            and isinstance(call.args[0], ast.Name) and call.args[0].id.startswith("check_")
        )
        if not ends_verified:
            problems.append(f"{where}: a solution cell must end with "
                            "verify_solution(check_x, answer)")
        elif call.args[0].id not in exercised:
            problems.append(f"{where}: no exercise cell before it calls {call.args[0].id}(...) "
                            "for the student to try first")
        direct = sorted({name for name in called_names(tree) if name.startswith("check_")})
        if direct:
            problems.append(f"{where}: calls {', '.join(direct)} directly, which prints the "
                            "solution's result; pass the check to verify_solution instead")
        if cell["outputs"]:
            problems.append(f"{where}: a solution cell must store no output (it printed "
                            "something: move demonstration code to the next cell)")
    return problems


BARE_BOOLEANS = {"True", "False", "np.True_", "np.False_"}


def echo_problems(nb: dict) -> list[str]:
    """Stored outputs that echo a bare boolean or show a pass nobody earned."""
    problems = []
    for n, cell in enumerate(nb["cells"], 1):
        for output in cell.get("outputs", []):
            plain = "".join(output.get("data", {}).get("text/plain", ""))
            if output["output_type"] == "execute_result" and plain.strip() in BARE_BOOLEANS:
                problems.append(f"cell {n}: echoes a bare {plain.strip()} (a check returns "
                                "a Verdict, which shows nothing)")
            if "✅ PASS" in "".join(output.get("text", "")) + plain:
                problems.append(f"cell {n}: stores a pass nobody earned (Run All must "
                                "leave every exercise at NOT YET)")
    return problems


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_solution_cells_are_verified_silently(path):
    nb = json.loads(path.read_text(encoding="utf-8"))
    assert solution_problems(nb) == []


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_no_stored_output_echoes_a_boolean_or_an_unearned_pass(path):
    nb = json.loads(path.read_text(encoding="utf-8"))
    assert echo_problems(nb) == []


def _code(source: str, tags=(), outputs=(), hidden=False) -> dict:
    metadata = {"tags": list(tags)} if tags else {}
    if hidden:
        metadata["jupyter"] = {"source_hidden": True}
    return {"cell_type": "code", "metadata": metadata, "source": source.splitlines(True),
            "outputs": list(outputs), "execution_count": 1}


def _stdout(text: str) -> dict:
    return {"output_type": "stream", "name": "stdout", "text": [text]}


def _result(plain: str) -> dict:
    return {"output_type": "execute_result", "execution_count": 1, "metadata": {},
            "data": {"text/plain": [plain]}}


SOLUTION = ("### BEGIN SOLUTION\nanswer = 42\n### END SOLUTION\n"
            "verify_solution(check_answer, answer)\n")


def test_the_rules_pass_an_exercise_written_the_courses_way():
    nb = {"cells": [
        _code("answer = None  # your code\ncheck_answer(answer)",
              outputs=[_stdout("❌ NOT YET: Not answered yet: replace the None...\n")]),
        _code("%precision 3\n" + SOLUTION, tags=["solution"], hidden=True),  # magics are fine
        _code("print(answer)", outputs=[_stdout("42\n")]),
        _code("1 + 1", outputs=[_result("2")]),
    ]}
    assert solution_problems(nb) == [] and echo_problems(nb) == []


@pytest.mark.parametrize(("cell", "problem"), [
    (_code(SOLUTION, tags=["solution"]), "must be collapsed"),
    (_code(SOLUTION.replace("### END SOLUTION\n", ""), tags=["solution"], hidden=True),
     "### END SOLUTION"),
    (_code(SOLUTION, hidden=True), "not tagged 'solution'"),
    (_code(SOLUTION.replace("verify_solution(check_answer, answer)", "check_answer(answer)"),
           tags=["solution"], hidden=True), "calls check_answer directly"),
    (_code(SOLUTION.replace("verify_solution(check_answer, answer)", "check_answer(answer)"),
           tags=["solution"], hidden=True), "must end with verify_solution"),
    (_code(SOLUTION + "print(answer)\n", tags=["solution"], hidden=True), "must end with verify"),
    (_code(SOLUTION + "check_answer(answer)\n", tags=["solution"], hidden=True),
     "calls check_answer directly"),
    (_code(SOLUTION.replace("verify_solution(check_answer, answer)", "ok = verify_solution("
                            "check_answer, answer)"), tags=["solution"], hidden=True),
     "must end with verify"),
    (_code(SOLUTION.replace("check_answer, answer", "answer"), tags=["solution"], hidden=True),
     "must end with verify"),
    (_code(SOLUTION, tags=["solution"], hidden=True, outputs=[_stdout("42\n")]),
     "must store no output"),
])
def test_the_solution_rules_flag_each_break(cell, problem):
    exercise = _code("answer = None  # your code\ncheck_answer(answer)")
    problems = solution_problems({"cells": [exercise, cell]})
    assert any(problem in p for p in problems), problems


def test_a_solution_needs_an_exercise_cell_before_it():
    solution = _code(SOLUTION, tags=["solution"], hidden=True)
    assert solution_problems({"cells": [solution]}) == [
        "cell 1: no exercise cell before it calls check_answer(...) for the student to try first"]


@pytest.mark.parametrize(("output", "problem"), [
    (_result("True"), "bare True"),
    (_result("False\n"), "bare False"),
    (_result("np.True_"), "bare np.True_"),
    (_stdout("✅ PASS: 3/3 correct.\n"), "pass nobody earned"),
])
def test_the_echo_rules_flag_each_break(output, problem):
    problems = echo_problems({"cells": [_code("check_answer(answer)", outputs=[output])]})
    assert len(problems) == 1 and problem in problems[0], problems


def test_course_index_is_up_to_date():
    import sys

    sys.path.insert(0, str(ROOT / "scripts"))
    from build_index import render, render_top_readme

    stale = "is stale: run `make notebooks` (or python scripts/build_index.py)"
    assert (ROOT / "notebooks" / "README.md").read_text(encoding="utf-8") == render(), stale
    assert (ROOT / "README.md").read_text(encoding="utf-8") == render_top_readme(), stale


def test_lesson_files_follow_the_layout():
    for path in NOTEBOOKS:
        rel = path.relative_to(ROOT / "notebooks")
        assert rel.parts[0] in {
            "a-what-is-an-llm", "b-openai-api", "c-function-calling",
            "d-claude-and-production", "e-context-engineering", "capstone",
        }, rel
        assert re.fullmatch(r"7\.\d\d-[a-z0-9-]+\.ipynb|chat-api\.ipynb", rel.name), rel
