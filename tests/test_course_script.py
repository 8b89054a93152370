"""scripts/course.py: the README's commands without make (Windows)."""

import importlib.util
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
spec = importlib.util.spec_from_file_location("course_script", ROOT / "scripts" / "course.py")
course = importlib.util.module_from_spec(spec)
spec.loader.exec_module(course)


def test_venv_python_on_windows_and_elsewhere():
    assert course.venv_python(Path("v"), windows=True).parts[-2:] == ("Scripts", "python.exe")
    assert course.venv_python(Path("v"), windows=False).parts[-2:] == ("bin", "python")


def test_the_install_hides_only_setuptools_editable_notice():
    """pip re-emits the backend's notice as a UserWarning subclass (BuildBackendWarning)."""
    code = (
        "import warnings\n"
        "class BuildBackendWarning(UserWarning): pass\n"
        "warnings.warn_explicit('Editable installation.\\n!!\\n***', BuildBackendWarning, 'x', 1)\n"
        "warnings.warn_explicit('Something else is wrong', BuildBackendWarning, 'x', 2)\n"
    )
    out = subprocess.run([sys.executable, *course.QUIET_NOTICE, "-c", code],
                         capture_output=True, text=True)
    assert "Editable installation" not in out.stderr
    assert "Something else is wrong" in out.stderr


def test_help_lists_the_commands():
    out = subprocess.run([sys.executable, str(ROOT / "scripts" / "course.py"), "help"],
                         capture_output=True, text=True, check=True).stdout
    for command in ("lab", "test", "reset 7.05", "doctor", "check-live"):
        assert f"course.py {command}" in out


def test_the_makefile_installs_through_the_script():
    makefile = (ROOT / "Makefile").read_text()
    assert "scripts/course.py install" in makefile


def test_pyproject_license_needs_a_setuptools_that_reads_spdx_strings():
    text = (ROOT / "pyproject.toml").read_text()
    assert 'license = "MIT"' in text and '"setuptools>=77"' in text


def test_the_install_byte_compiles_course_lib_after_pip(tmp_path, monkeypatch, capsys):
    """pip compiles every package but the editable one; without course_lib's bytecode every
    kernel compiles it from source where bytecode is not written (PYTHONDONTWRITEBYTECODE=1)."""
    commands = []
    monkeypatch.setattr(course, "run", lambda args, **kw: commands.append([str(a) for a in args]))
    monkeypatch.setattr(course, "venv_python", lambda: Path(sys.executable))
    monkeypatch.setattr(course, "STAMP", tmp_path / ".installed")
    monkeypatch.setattr(course, "subprocess", type("Fake", (), {
        "run": staticmethod(lambda *a, **kw: type("Done", (), {"stdout": "3.11.7\n"})())}))
    course.install()
    pip = next(i for i, c in enumerate(commands) if "-e" in c and "pip" in c)
    compiled = next(i for i, c in enumerate(commands) if c[1:] == ["-m", "compileall", "-q", "course_lib"])
    assert pip < compiled
    assert (tmp_path / ".installed").exists()
