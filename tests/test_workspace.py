"""The student's copy (course_lib.workspace): created, updated without losing edits, reset."""

import json
import os
import re
from pathlib import Path

import pytest

from course_lib import workspace as ws

ROOT = Path(__file__).resolve().parent.parent


def notebook(*sources: str, outputs: str = "") -> str:
    cells = [{"cell_type": "code", "source": s, "metadata": {}, "execution_count": None,
              "outputs": [{"output_type": "stream", "name": "stdout", "text": outputs}]
              if outputs else []} for s in sources]
    return json.dumps({"cells": cells, "metadata": {}, "nbformat": 4, "nbformat_minor": 5})


@pytest.fixture
def course(tmp_path):
    src = tmp_path / "notebooks"
    (src / "a-sec").mkdir(parents=True)
    (src / "README.md").write_text("[7.1](a-sec/7.01-one.ipynb)\n")
    (src / "a-sec" / "7.01-one.ipynb").write_text(notebook("print(1)"))
    (src / "a-sec" / "7.05-five.ipynb").write_text(notebook("print(5)"))
    (src / "a-sec" / ".ipynb_checkpoints").mkdir()
    (src / "a-sec" / ".ipynb_checkpoints" / "x.ipynb").write_text("{}")
    return src, tmp_path / "my-notebooks"


def test_first_run_copies_everything_but_checkpoints(course):
    src, copy = course
    report = ws.sync(src, copy)
    assert sorted(report.added) == ["README.md", "a-sec/7.01-one.ipynb", "a-sec/7.05-five.ipynb"]
    assert not (copy / "a-sec" / ".ipynb_checkpoints").exists()
    assert (copy / "a-sec" / "7.05-five.ipynb").read_text() == notebook("print(5)")
    assert ws.sync(src, copy).lines(copy)[-1].endswith("is up to date")


def test_new_lesson_added_later_without_touching_the_others(course):
    src, copy = course
    ws.sync(src, copy)
    (copy / "a-sec" / "7.01-one.ipynb").write_text(notebook("print('mine')"))
    (src / "a-sec" / "7.06-six.ipynb").write_text(notebook("print(6)"))
    report = ws.sync(src, copy)
    assert report.added == ["a-sec/7.06-six.ipynb"] and not report.kept
    assert "mine" in (copy / "a-sec" / "7.01-one.ipynb").read_text()


def test_updated_lesson_refreshed_when_the_student_only_ran_it(course):
    src, copy = course
    ws.sync(src, copy)
    # Running a lesson stores outputs: that is not an edit.
    (copy / "a-sec" / "7.05-five.ipynb").write_text(notebook("print(5)", outputs="5\n"))
    (src / "a-sec" / "7.05-five.ipynb").write_text(notebook("print(5)", "print('new cell')"))
    report = ws.sync(src, copy)
    assert report.refreshed == ["a-sec/7.05-five.ipynb"]
    assert "new cell" in (copy / "a-sec" / "7.05-five.ipynb").read_text()


def test_updated_lesson_kept_when_the_student_edited_it_and_they_are_told(course):
    src, copy = course
    ws.sync(src, copy)
    (copy / "a-sec" / "7.05-five.ipynb").write_text(notebook("print('my answer')"))
    (src / "a-sec" / "7.05-five.ipynb").write_text(notebook("print('new version')"))
    report = ws.sync(src, copy)
    assert report.kept == ["a-sec/7.05-five.ipynb"] and not report.refreshed
    assert "my answer" in (copy / "a-sec" / "7.05-five.ipynb").read_text()
    text = "\n".join(report.lines(copy))
    assert "make reset LESSON=7.05" in text
    # Told again on the next run, until they reset it.
    assert ws.sync(src, copy).kept == ["a-sec/7.05-five.ipynb"]


def test_reset_restores_the_original_and_backs_up_the_students_version(course):
    src, copy = course
    ws.sync(src, copy)
    (copy / "a-sec" / "7.05-five.ipynb").write_text(notebook("print('my answer')"))
    (src / "a-sec" / "7.05-five.ipynb").write_text(notebook("print('new version')"))
    rel, backup = ws.reset("7.5", src, copy)
    assert rel == "a-sec/7.05-five.ipynb"
    assert "new version" in (copy / rel).read_text()
    assert "my answer" in backup.read_text() and backup.parent == copy / ws.BACKUPS
    assert ws.sync(src, copy).kept == []  # no longer reported


def test_deleted_copy_is_restored(course):
    src, copy = course
    ws.sync(src, copy)
    (copy / "a-sec" / "7.01-one.ipynb").unlink()
    assert ws.sync(src, copy).restored == ["a-sec/7.01-one.ipynb"]


def test_find_rejects_unknown_lessons(course):
    src, _ = course
    assert ws.find("7.05", src) == ws.find("7.05-five.ipynb", src) == "a-sec/7.05-five.ipynb"
    with pytest.raises(LookupError, match=r"7\.01, 7\.05"):
        ws.find("7.99", src)


def test_lab_command_opens_the_copys_index_and_hides_the_originals():
    args = ws.lab_command()
    assert f"--ServerApp.root_dir={ws.ROOT}" in args
    assert "--LabApp.default_url=/lab/tree/my-notebooks/README.md" in args
    assert "--ContentsManager.hide_globs=notebooks" in args


def test_the_copy_is_git_ignored():
    assert "my-notebooks/" in (ROOT / ".gitignore").read_text().split()


LINK = re.compile(r"\]\(([^)\s]+)\)")


def test_every_relative_link_resolves_from_the_copy(tmp_path):
    """The copy sits where notebooks/ sits, so links in lessons and the index resolve from it.
    Links to lessons still to come are allowed only when the index lists them as coming."""
    copy = ROOT / ws.COPY.name
    broken = []
    for rel in ws._files(ws.SOURCE):
        path = ws.SOURCE / rel
        if path.suffix == ".ipynb":
            cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
            text = "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "markdown")
        elif path.suffix == ".md":
            text = path.read_text(encoding="utf-8")
        else:
            continue
        for link in LINK.findall(text):
            if re.match(r"[a-z]+:|#", link):
                continue
            target = (copy / rel).parent / link.split("#")[0]
            # the copy's file exists iff the original does (sync copies every file)
            original = Path(str(target.resolve()).replace(str(copy), str(ws.SOURCE), 1))
            if not original.exists() and not re.search(r"7\.\d\d-", link):
                broken.append(f"{rel}: {link}")
    assert not broken, broken


def test_jupyterlab_serves_the_copy_with_originals_hidden_and_links_above_it(tmp_path,
                                                                             start_jupyter):
    """The real `make lab` command, headless on loopback: the copy's index is there, the
    tracked notebooks/ is not listed, and a ../../course_lib/... link target is served."""
    import urllib.request

    ws.sync()
    token = "workspace-test"
    env = {**os.environ, "JUPYTER_CONFIG_DIR": str(tmp_path / "config")}
    server, port = start_jupyter(ws.lab_command(extra=["--no-browser"]), env,
                                 tmp_path / "runtime", token=token, log=tmp_path / "lab.log")

    def get(path):
        url = f"http://127.0.0.1:{port}/api/contents/{path}?content=1&token={token}"
        with urllib.request.urlopen(url, timeout=10) as reply:
            return json.load(reply)

    try:
        names = {item["name"] for item in get("")["content"]}
        assert "my-notebooks" in names and "notebooks" not in names
        assert get("my-notebooks/README.md")["path"] == "my-notebooks/README.md"
        assert get("course_lib/model/README.md")["path"] == "course_lib/model/README.md"
    finally:
        start_jupyter.stop(server)
