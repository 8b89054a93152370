"""The README's commands without `make` (Windows, or anywhere make is missing). Standard library only.

    python scripts/course.py lab            # = make lab: install on first run, open my-notebooks/
    python scripts/course.py test           # = make test
    python scripts/course.py reset 7.05     # = make reset LESSON=7.05
    python scripts/course.py doctor         # = make doctor
    python scripts/course.py check-live --budget 2.00   # = make check-live BUDGET=2.00
    python scripts/course.py install        # = make .venv/.installed (the Makefile calls this)

On Windows use `py scripts\\course.py lab` if `python` is not on PATH.
"""

from __future__ import annotations

import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENV = ROOT / ".venv"
STAMP = VENV / ".installed"
INPUTS = [ROOT / "pyproject.toml", ROOT / "constraints.txt", ROOT / "scripts" / "setup_jupyterlab.py",
          Path(__file__).resolve()]
# setuptools announces every editable install with an informational box ("Editable
# installation. Please be careful with folders ... same name as your package"); pip shows it as
# a warning although nothing is wrong. Hide exactly that notice; real warnings still show.
QUIET_NOTICE = ["-W", "ignore:Editable installation:UserWarning"]


def venv_python(venv_dir: Path = VENV, *, windows: bool = os.name == "nt") -> Path:
    """The venv's interpreter: Scripts\\python.exe on Windows, bin/python elsewhere."""
    if windows:
        return venv_dir / "Scripts" / "python.exe"
    return venv_dir / "bin" / "python"


def needs_install() -> bool:
    if not STAMP.exists() or not venv_python().exists():
        return True
    done = STAMP.stat().st_mtime
    return any(p.stat().st_mtime > done for p in INPUTS if p.exists())


def run(args: list[str | Path], **kwargs) -> None:
    code = subprocess.call([str(a) for a in args], cwd=ROOT, **kwargs)
    if code:
        print(f"\nFAILED (exit {code}): {' '.join(map(str, args))}\n"
              "Fix what the lines above say, then run the same command again; "
              "`make clean` (or deleting .venv) starts the install from scratch.")
        sys.exit(code)


def install() -> None:
    if sys.version_info < (3, 11):  # noqa: UP036 (this file runs on any Python, before the venv)
        sys.exit(f"Python 3.11+ is needed (this is {sys.version.split()[0]}): install a newer "
                 "Python, then run this with it (e.g. `make PYTHON=python3.12 lab`, or "
                 "`py -3.12 scripts\\course.py lab` on Windows).")
    print("Installing the course into .venv (first time about a minute; later only when "
          "pyproject.toml or constraints.txt change) ...", flush=True)
    python = venv_python()
    if not python.exists():
        venv.EnvBuilder(with_pip=True).create(VENV)
    run([python, "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
         "--upgrade", "pip"])
    run([python, *QUIET_NOTICE, "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
         "-c", "constraints.txt", "-e", ".[test]"])
    # pip byte-compiles every package it installs except an editable one: compile course_lib too,
    # or every kernel compiles it from source again where bytecode is not written
    # (PYTHONDONTWRITEBYTECODE=1, read-only folders): about 0.1 s per notebook.
    run([python, "-m", "compileall", "-q", "course_lib"])
    run([python, "scripts/setup_jupyterlab.py"])
    STAMP.touch()
    version = subprocess.run([str(python), "-c", "import platform; print(platform.python_version())"],
                             capture_output=True, text=True).stdout.strip()
    print(f"OK: the course is installed in .venv (Python {version}). "
          "Next: `make lab` (or `python scripts/course.py lab`).")


def ensure_installed() -> Path:
    if needs_install():
        install()
    return venv_python()


def checked_env() -> dict[str, str]:
    """Tests and notebooks see the day the model table was checked (as `make test` does)."""
    day = (ROOT / "data" / "models_checked.txt").read_text(encoding="utf-8").strip()
    return {**os.environ, "COURSE_OFFLINE": "1", "COURSE_TODAY": day}


def main(argv: list[str]) -> int:
    command, rest = (argv[0], argv[1:]) if argv else ("help", [])
    if command in ("help", "-h", "--help"):
        print(__doc__)
        return 0
    if command == "install":
        install()
        return 0
    python = ensure_installed()
    real_today = {**os.environ, "COURSE_TODAY": ""}  # doctor and check-live: the real date
    if command == "lab":
        return subprocess.call([str(python), "-m", "course_lib.workspace", "lab", *rest], cwd=ROOT)
    if command == "reset":
        return subprocess.call([str(python), "-m", "course_lib.workspace", "reset", *rest], cwd=ROOT)
    if command == "doctor":
        return subprocess.call([str(python), "-m", "course_lib.doctor", *rest], cwd=ROOT,
                               env=real_today)
    if command == "check-live":
        return subprocess.call([str(python), "scripts/check_live.py", *rest], cwd=ROOT,
                               env=real_today)
    if command == "test":
        return subprocess.call(
            [str(python), "-m", "pytest", "-n", "auto", "--dist", "loadfile", "--nbval",
             "--nbval-current-env", "--nbval-sanitize-with", str(Path("tests", "sanitize.cfg")),
             "--nbval-cell-timeout=60", *rest], cwd=ROOT, env=checked_env())
    print(f"unknown command {command!r}\n{__doc__}")
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
