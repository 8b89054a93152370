"""Seeds for requests that do not bring one.

The engine never draws true randomness: every generation gets a seed. When the caller gives
none, the stand-in derives one from the request itself:

    seed = hash(request without its stream fields) + k

where ``k`` counts how often this server has already answered that identical request. So
asking the same unseeded question twice gives two different answers (like a real model at
temperature > 0), yet a notebook executed top to bottom in a fresh kernel gets the same answers
every time. ``stream`` is left out of the hash but kept in the counter, so the first streamed and
the first non-streamed copy of a request say the same thing. Requests that fail (injected
faults, bad parameters) never reach this point, so an SDK retry does not shift later answers.
"""

from __future__ import annotations

import hashlib
import json
import threading

STREAM_FIELDS = ("stream", "stream_options")


def canonical(body: dict) -> str:
    """One spelling per JSON value: sorted keys, no spaces."""
    return json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def digest(text: str, nbytes: int = 4) -> int:
    return int.from_bytes(hashlib.sha256(text.encode()).digest()[:nbytes], "big")


class SeedBook:
    """Counts identical requests; part of the resettable stand-in state."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._seen: dict[bytes, int] = {}

    def derive(self, body: dict) -> int:
        """The seed for one unseeded request (and count it)."""
        base = digest(canonical({k: v for k, v in body.items() if k not in STREAM_FIELDS}))
        key = hashlib.sha256(canonical(body).encode()).digest()  # not the text: prompts are long
        with self._lock:
            k = self._seen.get(key, 0)
            self._seen[key] = k + 1
        return base + k

    def reset(self) -> None:
        with self._lock:
            self._seen.clear()
