"""Repository hygiene: no secrets anywhere, notebooks that follow the course's rules."""

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


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_solutions_are_collapsed_and_marked(path):
    for cell in code_cells(path):
        tags = cell["metadata"].get("tags", [])
        source = "".join(cell["source"])
        if "solution" in tags:
            assert cell["metadata"].get("jupyter", {}).get("source_hidden"), "solution cells are collapsed"
            assert "### BEGIN SOLUTION" in source and "### END SOLUTION" in source
        elif "### BEGIN SOLUTION" in source:
            pytest.fail("a cell with ### BEGIN SOLUTION must be tagged 'solution'")


def test_course_index_is_up_to_date():
    import sys

    sys.path.insert(0, str(ROOT / "tests"))
    from build_index import render, render_top_readme

    stale = "is stale: run `make notebooks` (or python tests/build_index.py)"
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
