"""Starting and stopping stand-in servers; the default one is a resettable singleton.

server = Server().start()      # a private server, e.g. for a test
server = start()               # the shared default (idempotent)
"""

from __future__ import annotations

import sys
import threading
import time as _time
from collections.abc import Callable

from course_lib.offline.server import Handler, _HTTPServer


def warm() -> None:
    """Load the tokenizer, the model table and the engine, so the first request is fast."""
    try:
        from course_lib import models, tokens

        tokens.encoding("o200k_base")
        models.table()
        from course_lib.model import engine
        from course_lib.offline.anthropic import routes as _anthropic  # noqa: F401 - import is the point
        from course_lib.offline.openai import routes as _openai  # noqa: F401 - import is the point

        engine.warm_up()
    except (
        Exception
    ) as exc:  # warming is an optimisation; the first request will report real errors
        print(f"course_lib.offline: warm-up failed ({type(exc).__name__}: {exc})", file=sys.stderr)


class Server:
    """One stand-in on ``host:port`` (port 0 picks a free one), served by a daemon thread."""

    def __init__(self, host: str = "127.0.0.1", port: int = 0) -> None:
        self.host = host
        self.port = port
        self._httpd: _HTTPServer | None = None
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def _bind(self) -> _HTTPServer:
        """Listen on host:port (port 0: a free one, remembered in ``self.port``)."""
        self._httpd = _HTTPServer((self.host, self.port), Handler)
        self.port = self._httpd.server_address[1]
        return self._httpd

    def start(self, *, warm_up: bool = True) -> Server:
        """Bind and serve in the background; returns at once (warm-up runs in its own thread)."""
        if self.running:
            return self
        httpd = self._bind()
        self._thread = threading.Thread(
            target=httpd.serve_forever,
            kwargs={"poll_interval": 0.1},
            name=f"offline-stand-in:{self.port}",
            daemon=True,
        )
        self._thread.start()
        if warm_up:
            threading.Thread(target=warm, name="offline-stand-in-warm-up", daemon=True).start()
        return self

    def serve_forever(self, announce: Callable[[str], object] = print) -> None:
        """Serve in the calling thread (``python -m course_lib.offline``); ``announce(url)`` first."""
        httpd = self._bind()
        announce(self.url)
        threading.Thread(target=warm, name="offline-stand-in-warm-up", daemon=True).start()
        httpd.serve_forever(poll_interval=0.5)

    def stop(self) -> None:
        """Stop accepting requests and close the socket (open streams end with their threads)."""
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)
        self._httpd = self._thread = None

    def __enter__(self) -> Server:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def __repr__(self) -> str:
        return f"<offline stand-in {self.url} {'running' if self.running else 'stopped'}>"


_default: Server | None = None
_lock = threading.Lock()


def start(port: int | None = None, host: str = "127.0.0.1") -> Server:
    """The default server, started on first call; later calls return the same one.

    Asking for a specific ``port`` that the running default is not on starts a new default
    there (the previous server keeps serving whoever already uses it).
    """
    global _default
    with _lock:
        if _default is not None and _default.running and port in (None, _default.port):
            return _default
        try:
            _default = Server(host, port or 0).start()
        except OSError as exc:
            raise OSError(
                f"Cannot listen on {host}:{port}: {exc.strerror}. Is `python -m course_lib.offline` "
                "already running there? Use that server's URL, or call start() without a port."
            ) from exc
        return _default


def stop() -> None:
    """Stop the default server, if one is running."""
    global _default
    with _lock:
        if _default is not None:
            _default.stop()
            _default = None


def spawn(args: list[str] | None = None, *, env: dict[str, str] | None = None,
          cwd: str | None = None, stderr=None, timeout: float = 60):
    """``python -m course_lib.offline --port 0 [args]`` in a child process; ``(process, url)``
    once it listens. The child binds a free port itself and prints its URL first: a port
    picked here and passed on could be taken by another process before the child binds it.
    ``stderr``: as for ``subprocess.Popen`` (default: inherited)."""
    import subprocess

    process = subprocess.Popen(
        [sys.executable, "-m", "course_lib.offline", "--port", "0", *(args or [])],
        env=env, cwd=cwd, stdout=subprocess.PIPE, stderr=stderr, text=True)
    found: list[str] = []

    def read() -> None:  # the first line names the URL; the rest is drained, never blocks
        for line in process.stdout:
            if not found and " listening on " in line:
                found.append(line.split(" listening on ", 1)[1].split()[0])

    reader = threading.Thread(target=read, name="offline-stand-in-stdout", daemon=True)
    reader.start()
    deadline = _time.monotonic() + timeout
    while not found:
        if process.poll() is not None or _time.monotonic() > deadline:
            process.kill()
            process.wait()
            raise RuntimeError(f"the offline stand-in did not start (exit {process.returncode})")
        _time.sleep(0.02)
    return process, found[0]
