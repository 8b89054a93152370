"""The offline stand-in provider: a real HTTP server speaking the OpenAI and Anthropic APIs.

    from course_lib import offline
    server = offline.start()                      # idempotent; a daemon thread on 127.0.0.1
    OpenAI(base_url=server.url + "/v1", api_key="offline-stand-in")
    Anthropic(base_url=server.url, api_key="offline-stand-in")

    with offline.faults(status=429, times=2, retry_after=0.01):   # the next 2 requests get 429
        ...
    offline.reset()                                # forget prompt caches and seed counters

Importing this package is cheap (standard library only); the HTTP server, the tokenizer and
the model load on :func:`start`. See README.md in this folder.
"""

from __future__ import annotations

import sys

from course_lib.offline.faults import REGISTRY, FaultPlan, faults

TYPE_CHECKING = False  # the constant from `typing`, without importing typing (import stays light)

if TYPE_CHECKING:
    from course_lib.offline.lifecycle import Server

__all__ = ["FaultPlan", "Server", "faults", "reset", "start", "stop"]


def start(port: int | None = None, host: str = "127.0.0.1") -> Server:
    """Start (once) and return the default stand-in server; ``.url``, ``.port``, ``.stop()``."""
    from course_lib.offline import lifecycle

    return lifecycle.start(port, host)


def stop() -> None:
    """Stop the default server (a later :func:`start` starts a fresh one)."""
    lifecycle = sys.modules.get("course_lib.offline.lifecycle")
    if lifecycle is not None:
        lifecycle.stop()


def reset() -> None:
    """Forget prompt-cache entries, seed counters and header-fault counters.

    After a reset, unseeded requests repeat the answers they gave after the previous reset
    (or after start-up). Active ``with faults(...)`` blocks stay active.
    """
    REGISTRY.reset()
    exchange = sys.modules.get("course_lib.offline.exchange")
    if exchange is not None:
        exchange.STATE.reset()


def __getattr__(name: str) -> object:
    if name == "Server":
        from course_lib.offline.lifecycle import Server

        return Server
    raise AttributeError(f"module 'course_lib.offline' has no attribute {name!r}")
