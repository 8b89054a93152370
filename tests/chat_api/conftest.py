"""End-to-end fixtures: a real PostgreSQL (the embedded one, in a temp folder) and the real
server process (``python -m course_lib.chat_api``) on a free port, against the stand-in."""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx
import pytest

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class ChatServer:
    """One server process; ``.url``, ``.stop()``, ``.log()``."""

    def __init__(self, env: dict[str, str], *, workers: int = 1, log: Path) -> None:
        self.log_path = log
        self.env = {**os.environ, "COURSE_OFFLINE": "1", **env}
        # The port is picked here and bound by the child a second later: another test's
        # process may take it in between. Then the child exits "address already in use"
        # and we start again on another port (a real failure still raises).
        for attempt in range(3):
            self.port = free_port()
            self.url = f"http://127.0.0.1:{self.port}"
            try:
                self._start(workers)
                return
            except RuntimeError:
                if attempt == 2 or "address already in use" not in self.log().lower():
                    raise

    def _start(self, workers: int) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "course_lib.chat_api", "--port", str(self.port),
             "--workers", str(workers)],
            cwd=ROOT, env=self.env, stdout=self.log_path.open("w"), stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 90  # a first start initialises PostgreSQL; CI is loaded
        while True:
            if self.process.poll() is not None:
                raise RuntimeError(f"the server exited ({self.process.returncode}):\n{self.log()}")
            try:
                if httpx.get(self.url + "/healthz", timeout=2).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                self.stop()
                raise RuntimeError(f"the server did not become healthy:\n{self.log()}")
            time.sleep(0.2)

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")

    def add_user(self, name: str) -> str:
        """A new user's key, through the real CLI (its key is the last line it prints)."""
        done = subprocess.run([sys.executable, "-m", "course_lib.chat_api", "add-user", name],
                              cwd=ROOT, env=self.env, capture_output=True, text=True, timeout=120)
        assert done.returncode == 0, done.stderr
        return done.stdout.strip().splitlines()[-1]

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(10)


def sse(text: str) -> list[tuple[str, dict]]:
    """``event: x / data: {...}`` frames -> [(x, {...}), ...] (pings and comments skipped)."""
    events = []
    for frame in text.replace("\r\n", "\n").split("\n\n"):
        name, data = None, []
        for line in frame.splitlines():
            if line.startswith("event:"):
                name = line[6:].strip()
            elif line.startswith("data:"):
                data.append(line[5:].strip())
        if name and data:
            events.append((name, json.loads("\n".join(data))))
    return events


def pg_folder() -> Path:
    """A fresh folder for PostgreSQL data. Not pytest's tmp_path: as root the embedded server
    runs as its own user, which cannot enter pytest's private (0700) temp tree."""
    return Path(tempfile.mkdtemp(prefix="chat-api-pg-")) / "data"


@pytest.fixture(scope="session")
def database_url() -> str:
    from course_lib.chat_api import db

    folder = pg_folder()
    server = db.embedded_server(folder)
    yield server.get_uri()
    server.cleanup()
    shutil.rmtree(folder.parent, ignore_errors=True)


@pytest.fixture(scope="module")
def server(database_url, tmp_path_factory):
    chat = ChatServer({"DATABASE_URL": database_url},
                      log=tmp_path_factory.mktemp("log") / "server.log")
    yield chat
    chat.stop()


def headers(key: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {key}"}


def rows(database_url: str, sql: str, *params) -> list[tuple]:
    import psycopg

    with psycopg.connect(database_url) as conn:
        return conn.execute(sql, params).fetchall()
