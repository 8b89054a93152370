"""The kernel settings scripts/setup_jupyterlab.py installs in the course's environment.

Every kernel of .venv (`make lab`, nbval in `make test`, `make notebooks`, `make bench`) reads
<prefix>/etc/ipython/ipython_kernel_config.py, so lessons, CI and the bench run with the same
garbage-collector thresholds; a notebook sees no extra name.
"""

from __future__ import annotations

import os
import runpy
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "scripts" / "setup_jupyterlab.py"


def _run_setup(prefix: Path, monkeypatch) -> Path:
    monkeypatch.setattr(sys, "prefix", str(prefix))
    runpy.run_path(str(SCRIPT), run_name="__main__")
    return prefix / "etc" / "ipython" / "ipython_kernel_config.py"


def test_setup_writes_the_kernel_config_and_the_lab_settings(tmp_path, monkeypatch):
    config = _run_setup(tmp_path, monkeypatch)
    text = config.read_text()
    assert "set_threshold(700, 10, 100)" in text
    assert (tmp_path / "share" / "jupyter" / "lab" / "settings" / "overrides.json").exists()
    _run_setup(tmp_path, monkeypatch)  # a re-install rewrites the same file
    assert config.read_text() == text


def test_setup_never_overwrites_a_kernel_config_it_did_not_write(tmp_path, monkeypatch):
    config = tmp_path / "etc" / "ipython" / "ipython_kernel_config.py"
    config.parent.mkdir(parents=True)
    config.write_text("c.IPKernelApp.matplotlib = 'inline'\n")
    _run_setup(tmp_path, monkeypatch)
    assert config.read_text() == "c.IPKernelApp.matplotlib = 'inline'\n"


def test_the_config_is_valid_traitlets_config(tmp_path, monkeypatch):
    from traitlets.config.loader import PyFileConfigLoader

    config = _run_setup(tmp_path, monkeypatch)
    loaded = PyFileConfigLoader(config.name, path=str(config.parent)).load_config()
    lines = loaded.InteractiveShellApp.exec_lines
    assert lines == ["__import__('gc').set_threshold(700, 10, 100)"]
    namespace: dict = {}
    exec(lines[0], namespace)  # defines no name (a notebook's namespace stays as it was)
    assert set(namespace) == {"__builtins__"}


@pytest.mark.slow
def test_a_kernel_of_this_environment_runs_with_the_course_thresholds():
    """What nbval and the executor start: the venv's ipykernel, which reads sys.prefix's config."""
    if not (Path(sys.prefix) / "etc" / "ipython" / "ipython_kernel_config.py").exists():
        pytest.skip("this environment was not installed by scripts/course.py (make .venv/.installed)")
    from jupyter_client.manager import start_new_kernel

    km, kc = start_new_kernel(kernel_name="python3", env={**os.environ})
    try:
        out: list[str] = []
        reply = kc.execute_interactive(
            "print(__import__('gc').get_threshold(), sorted(k for k in dir() if not k.startswith('_')))",
            timeout=30,
            output_hook=lambda msg: out.append(msg["content"].get("text", "")),
        )
        assert reply["content"]["status"] == "ok"
        assert "".join(out).strip() == "(700, 10, 100) ['In', 'Out', 'exit', 'get_ipython', 'open', 'quit']"
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)
