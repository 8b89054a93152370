"""Fixtures shared by the test files: the stand-in's URL, a JupyterLab server on its own port."""

import contextlib
import http.client
import json
import os
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest

from course_lib import offline
from course_lib.today import checked_on

# Model status follows shutdown dates: tests (and the notebook kernels nbval starts) see the day
# data/models.csv was checked, whatever day they run (`make test` sets the same).
os.environ.setdefault("COURSE_TODAY", checked_on().isoformat())


@pytest.fixture(scope="module")
def url() -> str:
    """The default stand-in's base URL. Module scope: a test may stop and restart it."""
    return offline.start().url


def _start_jupyter(args: list[str], env: dict[str, str], runtime: Path, *, token: str,
                   log: Path, cwd: Path | None = None, timeout: float = 90):
    """Start ``args`` (a ``jupyter lab``/``server`` command) on a port the server picks itself
    (``--port=0``) and return ``(process, port)`` once ``/api/status`` answers.

    Choosing a free port here and passing it on races with anything else that binds one in the
    seconds JupyterLab takes to start: a kernel's ZeroMQ socket took it once in CI, and the test
    then read ZeroMQ's greeting as an HTTP reply. The server reports the port it bound in its
    runtime file (``jpserver-PID.json``), written once it listens."""
    runtime.mkdir(parents=True, exist_ok=True)
    args = [*args, "--ServerApp.ip=127.0.0.1", "--port=0", "--ServerApp.port_retries=0",
            f"--IdentityProvider.token={token}"]
    out = log.open("wb")
    process = subprocess.Popen(args, env={**env, "JUPYTER_RUNTIME_DIR": str(runtime)},
                               stdout=out, stderr=subprocess.STDOUT, cwd=cwd)
    out.close()
    deadline = time.monotonic() + timeout
    port = None
    while True:
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            process.wait()
            raise AssertionError("jupyter did not start:\n"
                                 + log.read_text(errors="replace")[-3000:])
        if port is None:
            info = runtime / f"jpserver-{process.pid}.json"
            with contextlib.suppress(OSError, ValueError, KeyError):  # not written yet
                port = json.loads(info.read_text())["port"]
        if port is not None:
            try:
                url = f"http://127.0.0.1:{port}/api/status?token={token}"
                with urllib.request.urlopen(url, timeout=5) as reply:
                    reply.read()
                return process, port
            except (OSError, http.client.HTTPException):
                pass
        time.sleep(0.2)


def _stop(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


@pytest.fixture(scope="session")
def start_jupyter():
    """``start_jupyter(args, env, runtime_dir, token=..., log=...) -> (process, port)``; every
    server it started is stopped at the end of the session if the test did not stop it."""
    started = []

    def start(*args, **kwargs):
        process, port = _start_jupyter(*args, **kwargs)
        started.append(process)
        return process, port

    start.stop = _stop
    yield start
    for process in started:
        if process.poll() is None:
            _stop(process)
