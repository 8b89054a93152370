"""Repository hygiene: no secrets anywhere, notebooks that follow the course's rules."""

import json
import re
import subprocess
from pathlib import Path

import pytest

from course_lib import models

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted(p for p in (ROOT / "notebooks").rglob("*.ipynb") if ".ipynb_checkpoints" not in p.parts)

# Shapes of real provider keys: OpenAI (sk-, sk-proj-), Anthropic (sk-ant-), and the
# generic "Bearer <long token>" pasted from a curl command.
KEY_PATTERN = re.compile(
    r"sk-(?:ant-|proj-|svcacct-)?[A-Za-z0-9_-]{20,}"
    r"|Bearer\s+(?!offline)[A-Za-z0-9_-]{30,}"
)


def tracked_files() -> list[Path]:
    try:
        out = subprocess.run(["git", "ls-files", "-co", "--exclude-standard"], cwd=ROOT,
                             capture_output=True, text=True, check=True).stdout
    except (OSError, subprocess.CalledProcessError):
        pytest.skip("not a git checkout")
    return [ROOT / line for line in out.splitlines() if (ROOT / line).is_file()]


def test_no_api_keys_in_any_file():
    offenders = []
    for path in tracked_files():
        try:
            text = path.read_text(encoding="utf-8")
        except (UnicodeDecodeError, OSError):
            continue
        for match in KEY_PATTERN.finditer(text):
            # Test fixtures use obviously fake keys containing "test", "fake" or "SECRET".
            if not re.search(r"test|fake|SECRET|example|not-a-real", match.group(), re.I):
                offenders.append(f"{path.relative_to(ROOT)}: {match.group()[:12]}…")
    assert not offenders, "Something shaped like an API key is committed:\n" + "\n".join(offenders)


def test_key_pattern_catches_real_shapes():
    body = "abcdefghijklmnopqrstuvwxyz012345"  # built here so this file holds no key shape
    assert KEY_PATTERN.search("OPENAI_API_KEY=sk-" + "proj-" + body)
    assert KEY_PATTERN.search("x-api-key: sk-" + "ant-api03-" + body)
    assert not KEY_PATTERN.search("api_key='offline-stand-in'")


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
