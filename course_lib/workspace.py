"""A student's own copy of the lessons: run and edit them without touching a tracked file.

``make lab`` (or ``python scripts/course.py lab``) copies ``notebooks/`` to the git-ignored
``my-notebooks/`` at the repository root and opens JupyterLab on the copy's index. The copy
sits at the same depth as ``notebooks/``, so every relative link in the lessons and the index
(``../b-openai-api/7.10-….ipynb``, ``../../course_lib/model/README.md``) and every relative
path a lesson's code opens (``Path("../..") / ".env.example"``) resolves the same way from the
copy; JupyterLab is rooted at the repository so links above the copy's folder open too.

Later runs add new lessons and bring in updated ones without losing the student's work. A
manifest (``my-notebooks/.course-manifest.json``) records, for each copied file, the hash of
the original and of the copy's *content* (for a notebook: its cells' sources, not outputs), so:

- a lesson the student only ran (outputs changed, sources not) is refreshed when it changes;
- a lesson the student edited is kept, and they are told how to take the new version;
- a deleted copy is restored; ``reset("7.05")`` puts the original back, keeping a backup.

    python -m course_lib.workspace sync          # copy / update, print what changed
    python -m course_lib.workspace reset 7.05    # the original 7.05 back (yours in .backups/)
    python -m course_lib.workspace lab           # sync, then JupyterLab on the copy's index
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import shutil
import sys
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT / "notebooks"
COPY = ROOT / "my-notebooks"
MANIFEST = ".course-manifest.json"
BACKUPS = ".backups"
SKIP = {".ipynb_checkpoints", "__pycache__", ".DS_Store"}


def _files(folder: Path) -> list[str]:
    """Files under ``folder`` as POSIX-style relative paths (the manifest's keys, on any OS)."""
    found = []
    for path in folder.rglob("*"):
        rel = path.relative_to(folder)
        if path.is_file() and not SKIP.intersection(rel.parts):
            found.append(rel.as_posix())
    return sorted(found)


def file_hash(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def content_hash(path: Path) -> str:
    """What the student wrote: a notebook's cell types and sources (not outputs, counts or
    metadata, which running a lesson changes); any other file's bytes."""
    if path.suffix != ".ipynb":
        return file_hash(path)
    try:
        cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    except (ValueError, KeyError):
        return file_hash(path)
    text = json.dumps([(c.get("cell_type"), "".join(c.get("source", ""))) for c in cells])
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass
class SyncReport:
    added: list[str] = field(default_factory=list)
    refreshed: list[str] = field(default_factory=list)  # updated lesson, copy only ran: replaced
    restored: list[str] = field(default_factory=list)  # the copy had been deleted
    kept: list[str] = field(default_factory=list)  # updated lesson, copy edited: left alone

    def lines(self, copy: Path = COPY) -> list[str]:
        where = _shown(copy)
        out = []
        if self.added:
            out.append(f"{len(self.added)} file(s) copied to {where}/: {_names(self.added)}")
        if self.refreshed:
            out.append(f"updated to the new version (you had not edited them): "
                       f"{_names(self.refreshed)}")
        if self.restored:
            out.append(f"restored (the copy was missing): {_names(self.restored)}")
        for rel in self.kept:
            name = lesson_id(rel) or rel
            out.append(f"NOTE: {rel} has a new version, but you edited your copy, so it was kept. "
                       f"To take the new one: make reset LESSON={name} (without make: "
                       f"python scripts/course.py reset {name}); yours is saved in "
                       f"{where}/{BACKUPS}/ first")
        return out or [f"{where}/ is up to date"]


def _shown(path: Path) -> str:
    try:
        return path.resolve().relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return str(path)


def _names(rels: list[str]) -> str:
    names = [lesson_id(r) or r for r in rels]
    return ", ".join(names[:8]) + (f" and {len(names) - 8} more" if len(names) > 8 else "")


def lesson_id(rel: str) -> str | None:
    """``"a-what-is-an-llm/7.05-temperature….ipynb"`` → ``"7.05"``; None for other files."""
    name = rel.rsplit("/", 1)[-1]
    if not name.endswith(".ipynb"):
        return None
    return name.split("-", 1)[0]


def _read_manifest(copy: Path) -> dict[str, dict[str, str]]:
    try:
        return json.loads((copy / MANIFEST).read_text(encoding="utf-8"))["files"]
    except (OSError, ValueError, KeyError):
        return {}


def _write_manifest(copy: Path, files: dict[str, dict[str, str]]) -> None:
    path = copy / MANIFEST
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps({"files": files}, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    os.replace(tmp, path)


def _copy(src: Path, dst: Path) -> dict[str, str]:
    dst.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(src, dst)
    return {"original": file_hash(src), "content": content_hash(dst)}


def sync(source: Path = SOURCE, copy: Path = COPY) -> SyncReport:
    """Bring ``copy`` up to date with ``source`` without overwriting anything the student wrote."""
    report = SyncReport()
    copy.mkdir(parents=True, exist_ok=True)
    files = _read_manifest(copy)
    for rel in _files(source):
        src, dst, entry = source / rel, copy / rel, files.get(rel)
        if not dst.exists():
            files[rel] = _copy(src, dst)
            (report.restored if entry else report.added).append(rel)
        elif entry is None:  # a copy the manifest does not know (manifest deleted?)
            if content_hash(dst) == content_hash(src):
                files[rel] = {"original": file_hash(src), "content": content_hash(dst)}
            else:
                report.kept.append(rel)
        elif entry["original"] != file_hash(src):  # the course changed this file
            if content_hash(dst) == entry["content"]:
                files[rel] = _copy(src, dst)
                report.refreshed.append(rel)
            else:
                report.kept.append(rel)
    _write_manifest(copy, files)
    return report


def find(lesson: str, source: Path = SOURCE) -> str:
    """The one file ``lesson`` names: an id ("7.05", "7.5"), a file name, or a relative path."""
    want = lesson.strip().replace("\\", "/")
    rels = _files(source)
    if want in rels:
        return want
    ids = {want}
    if want.count(".") == 1 and want.replace(".", "").isdigit():  # 7.5 → 7.05
        major, minor = want.split(".")
        ids.add(f"{major}.{int(minor):02d}")
    hits = [r for r in rels if r.rsplit("/", 1)[-1] == want.rsplit("/", 1)[-1]
            or lesson_id(r) in ids]
    if len(hits) != 1:
        known = ", ".join(filter(None, map(lesson_id, rels)))
        raise LookupError(f"no single lesson matches {lesson!r}" + (f" ({hits})" if hits else "")
                          + f"; lessons: {known}")
    return hits[0]


def reset(lesson: str, source: Path = SOURCE, copy: Path = COPY) -> tuple[str, Path | None]:
    """Put the original of ``lesson`` back in the copy; the student's version goes to a backup.

    Returns (relative path, backup path or None when there was nothing to keep)."""
    rel = find(lesson, source)
    dst = copy / rel
    backup = None
    if dst.exists():
        stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
        backup = copy / BACKUPS / f"{dst.stem}.{stamp}{dst.suffix}"
        backup.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(dst, backup)
    files = _read_manifest(copy)
    files[rel] = _copy(source / rel, dst)
    _write_manifest(copy, files)
    return rel, backup


# -------------------------------------------------------------------------------------------
# JupyterLab on the copy

HIDDEN = [
    "__pycache__", "*.pyc", "*.pyo", ".DS_Store", "*~",  # JupyterLab's own defaults
    "notebooks", "*.egg-info", "build", "dist",
]


def lab_command(copy: Path = COPY, root: Path = ROOT, extra: list[str] | None = None) -> list[str]:
    """The ``jupyter lab`` command that opens the copy's index. Rooted at the repository (so
    ``../../course_lib/…`` links open) with the tracked ``notebooks/`` hidden from the file
    browser, so a student cannot open and autosave an original by mistake."""
    index = (copy / "README.md").relative_to(root).as_posix()
    args = [sys.executable, "-m", "jupyterlab", f"--ServerApp.root_dir={root}",
            f"--LabApp.default_url=/lab/tree/{index}"]
    args += [f"--ContentsManager.hide_globs={glob}" for glob in HIDDEN]
    # As root (containers, cloud shells) JupyterLab refuses to start without --allow-root.
    if getattr(os, "geteuid", lambda: 1)() == 0:
        args.append("--allow-root")
    return args + list(extra or [])


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    command = argv.pop(0) if argv else "sync"
    if command == "sync":
        print("\n".join(sync().lines()))
        return 0
    if command == "reset":
        if len(argv) != 1:
            print("usage: python -m course_lib.workspace reset LESSON   (e.g. 7.05)")
            return 2
        try:
            rel, backup = reset(argv[0])
        except LookupError as exc:
            print(exc)
            return 1
        print(f"{COPY.name}/{rel} is the original again"
              + (f"; your version is in {_shown(backup)}" if backup else ""))
        return 0
    if command == "lab":
        print("\n".join(sync().lines()))
        args = lab_command(extra=argv)
        try:
            import subprocess

            return subprocess.call(args)
        except KeyboardInterrupt:
            return 0
    print(f"unknown command {command!r}; use sync, reset LESSON or lab")
    return 2


if __name__ == "__main__":
    sys.exit(main())
