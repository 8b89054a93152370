"""`make slides`, `make release` and `make site` (issue 15), and what Binder builds from.

Each builds into a temporary folder from the stored notebooks; nothing is executed and
nothing is fetched (the slides load reveal.js from the copy beside them).
"""

from __future__ import annotations

import importlib.util
import re
import sys
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parent.parent
LESSONS = sorted(p for p in (ROOT / "notebooks").rglob("*.ipynb")
                 if ".ipynb_checkpoints" not in p.parts)


def _script(name: str):
    spec = importlib.util.spec_from_file_location(name, ROOT / "scripts" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def _local_refs(page: str) -> list[str]:
    """src/href of <script> and <link> tags (what a browser fetches to show the page)."""
    return re.findall(r'<(?:script|link)\b[^>]*?(?:src|href)="([^"]+)"', page)


# --- slides -------------------------------------------------------------------------------

@pytest.mark.slow
def test_make_slides_exports_every_lesson_offline(tmp_path):
    build_slides = _script("build_slides")
    assert build_slides.notebooks([]) == LESSONS  # `make slides` exports every notebook
    sample = LESSONS
    written = build_slides.build(sample, tmp_path)
    assert [p.name for p in written] == [f"{p.stem}.slides.html" for p in sample]
    for deck, source in zip(written, sample, strict=True):
        page = deck.read_text(encoding="utf-8")
        refs = _local_refs(page)
        assert "reveal.js/dist/reveal.js" in refs
        assert not [r for r in refs if r.startswith(("http:", "https:", "//"))], refs
        for ref in refs:  # everything the deck loads is there
            assert (deck.parent / ref).is_file(), ref
        nb = nbformat.read(source, as_version=4)
        kinds = [c.metadata["slideshow"]["slide_type"] for c in nb.cells]
        # one <section> per slide and per sub-slide, plus one wrapping each slide's stack
        assert page.count("<section") == kinds.count("slide") * 2 + kinds.count("subslide")
    assert "7.05-temperature-and-sampling.slides.html" in (tmp_path / "index.html").read_text()


def test_slide_metadata_splits_tall_sections():
    """Every lesson's slides: a section starts a slide, a tall one goes on in sub-slides
    that start at Markdown cells, and no run of cells without a break is taller than a slide
    unless it is a single cell (which scrolls)."""
    execute = _script("execute_notebooks")
    for path in LESSONS:
        nb = nbformat.read(path, as_version=4)
        stored = [c.metadata.get("slideshow", {}).get("slide_type") for c in nb.cells]
        execute.slides(nb)
        fresh = [c.metadata["slideshow"]["slide_type"] for c in nb.cells]
        assert stored == fresh, f"{path.name}: run scripts/execute_notebooks.py --slides-only"
        run = 0
        for cell, kind in zip(nb.cells, fresh, strict=True):
            if kind == "subslide":
                assert cell.cell_type == "markdown", path.name
            if kind in ("slide", "subslide"):
                run = 0
            starts_run = run == 0
            run += execute.height(cell)
            if not starts_run and cell.cell_type == "markdown":
                assert run <= execute.SLIDE_LINES, (path.name, cell.source[:60])


# --- release ------------------------------------------------------------------------------

SOLUTION_LINE = re.compile(r"^\s*### (BEGIN|END) SOLUTION", re.M)


def test_make_release_removes_every_solution_and_keeps_every_check(tmp_path):
    build_release = _script("build_release")
    written = build_release.build(LESSONS, tmp_path)
    assert len(written) == len(LESSONS)
    tests = 0
    for source, target in zip(LESSONS, written, strict=True):
        original = nbformat.read(source, as_version=4)
        student = nbformat.read(target, as_version=4)
        text = "\n".join(c.source for c in student.cells)
        assert not SOLUTION_LINE.search(text), target.name
        assert not [c for c in student.cells if "solution" in c.metadata.get("tags", [])]
        for cell in original.cells:
            for region in re.findall(r"### BEGIN SOLUTION\n(.*?)### END SOLUTION",
                                     cell.source, re.S):
                body = [ln for ln in region.splitlines() if len(ln.strip()) > 25]
                for line in body:  # no line of a worked answer survives
                    if line not in "\n".join(c.source for c in original.cells
                                             if "solution" not in c.metadata.get("tags", [])):
                        assert line not in text, (target.name, line)
        # every check the student runs is still there, and each solution became a graded test
        def calls(cells, pattern):
            return sorted(m for c in cells for m in re.findall(pattern, c.source))
        kept = [c for c in original.cells if "solution" not in c.metadata.get("tags", [])]
        assert calls(kept, r"\bcheck_\w+\(") == calls(
            [c for c in student.cells if not c.metadata.get("nbgrader", {}).get("grade")],
            r"\bcheck_\w+\(")
        graded = [c for c in student.cells if c.metadata.get("nbgrader", {}).get("grade")]
        solutions = [c for c in original.cells if "solution" in c.metadata.get("tags", [])
                     and "verify_solution(" in c.source]
        assert len(graded) == len(solutions), target.name
        for cell in graded:
            assert cell.metadata["nbgrader"]["locked"] and cell.metadata["nbgrader"]["points"] == 1
            assert cell.source.lstrip().startswith("verify_solution("), cell.source
        ids = [c.metadata["nbgrader"]["grade_id"] for c in student.cells if "nbgrader" in c.metadata]
        assert len(ids) == len(set(ids))
        tests += len(graded)
    assert tests >= 20  # the course's exercises, all autogradable


def test_release_stubs_solution_regions_in_cells_students_fill_in():
    build_release = _script("build_release")
    nb = nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_code_cell("x = 1\n### BEGIN SOLUTION\nanswer = 42\n### END SOLUTION\n"),
        nbformat.v4.new_markdown_cell("### BEGIN SOLUTION\nBecause.\n### END SOLUTION"),
    ])
    student = build_release.release(nb, "demo")
    assert student.cells[0].source == "x = 1\n# YOUR CODE HERE\nraise NotImplementedError()\n"
    assert student.cells[1].source == "YOUR ANSWER HERE\n"
    assert student.cells[0].metadata["nbgrader"]["solution"] is True
    assert "42" in nb.cells[0].source  # the source notebook is untouched


# --- site ---------------------------------------------------------------------------------

@pytest.mark.slow
def test_make_site_has_every_lesson_and_its_links_work(tmp_path):
    build_site = _script("build_site")
    out = tmp_path / "site"
    written = build_site.build(out)
    pages = {p.relative_to(out).as_posix() for p in written}
    assert pages == {p.relative_to(ROOT).with_suffix(".html").as_posix() for p in LESSONS}
    index = (out / "index.html").read_text(encoding="utf-8")
    for page in pages:  # the index links every lesson page
        assert f'href="{page}"' in index, page
    broken = []
    for html_file in out.rglob("*.html"):
        for href in re.findall(r'href="([^"#?]+)', html_file.read_text(encoding="utf-8")):
            if href.startswith(("http:", "https:", "mailto:", "data:", "//")):
                continue
            if not (html_file.parent / href).exists():
                broken.append((html_file.relative_to(out).as_posix(), href))
    assert not broken, broken[:10]
    page = (out / "notebooks/a-what-is-an-llm/7.05-temperature-and-sampling.html").read_text()
    assert "data:image/png;base64" in page  # the stored outputs, pictures included


# --- Binder / repo2docker -----------------------------------------------------------------

def test_environment_yml_installs_what_pyproject_and_constraints_pin():
    """repo2docker builds from environment.yml: its pip section must install this package with
    the same extras and constraints as `make`, and its Python must be one pyproject allows."""
    text = (ROOT / "environment.yml").read_text(encoding="utf-8")
    python = re.search(r"^\s*-\s*python=(\d+)\.(\d+)", text, re.M)
    assert python, "environment.yml pins no python"
    import tomllib

    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    low = re.match(r">=(\d+)\.(\d+)", project["requires-python"])
    assert tuple(map(int, python.groups())) >= tuple(map(int, low.groups()))
    pip = re.findall(r"^\s{4,}-\s*(.+?)\s*$", text.split("- pip:", 1)[1], re.M)
    assert "-c constraints.txt" in pip and any(p.startswith("-e .[") for p in pip), pip
    extras = re.search(r"-e \.\[([^\]]+)\]", " ".join(pip)).group(1).split(",")
    assert set(extras) <= set(project["optional-dependencies"]), extras
    # every requirement make installs is pinned in constraints.txt, so Binder gets CI's versions
    pinned = {re.split(r"==", ln)[0].lower().replace("_", "-")
              for ln in (ROOT / "constraints.txt").read_text().splitlines()
              if ln and not ln.startswith("#")}
    wanted = project["dependencies"] + [
        r for extra in extras for r in project["optional-dependencies"][extra]]
    names = {re.match(r"[A-Za-z0-9_.-]+", r).group(0).lower().replace("_", "-") for r in wanted}
    names.discard("course-lib")
    assert names <= pinned, sorted(names - pinned)
    # and Binder opens the course as `make lab` does (postBuild applies the lab settings)
    post = ROOT / "postBuild"
    assert post.exists() and "setup_jupyterlab.py" in post.read_text()


# --- README's instructor section ----------------------------------------------------------

def test_readme_names_the_slide_buttons_as_the_installed_rise_names_them():
    """Every menu item, button or tooltip the README quotes for presenting is a string in
    the installed jupyterlab-rise extension (and Alt+R is its shortcut)."""
    import jupyterlab_rise

    ext = Path(jupyterlab_rise.__file__).parent / "labextension"
    if not ext.exists():  # installed as shared data (pip install puts it in <prefix>/share)
        ext = Path(sys.prefix) / "share" / "jupyter" / "labextensions" / "jupyterlab-rise"
    bundle = "".join(p.read_text(encoding="utf-8", errors="replace")
                     for p in ext.rglob("*.js"))
    schema = "".join(p.read_text(encoding="utf-8") for p in ext.rglob("plugin.json"))
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## For instructors", 1)[1].split("\n## ", 1)[0]
    menu = re.findall(r"\*\*View → ([^*]+)\*\*", section)
    quoted = re.findall(r'"([A-Z][^"]+)"', section)
    assert menu and quoted, "the README quotes no button names"
    for name in menu + quoted:
        name = " ".join(name.split())  # the README wraps lines
        assert f'__("{name}")' in bundle or f'__("{name}"' in bundle, name
    assert '"Alt R"' in schema and "Alt+R" in section
    assert "/rise/" in section
