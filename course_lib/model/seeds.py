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


def stable_text(body: dict) -> str:
    """The request without its stream fields, in its canonical spelling (hashed for seeds/ids)."""
    return canonical({k: v for k, v in body.items() if k not in STREAM_FIELDS})


class SeedBook:
    """Counts identical requests; part of the resettable stand-in state."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._seen: dict[bytes, int] = {}

    def derive(self, body: dict, stable: str | None = None) -> int:
        """The seed for one unseeded request (and count it).

        ``stable`` is ``stable_text(body)`` when the caller already has it (prompts are long:
        the body is serialised once per request).
        """
        stable = stable_text(body) if stable is None else stable
        streaming = canonical({k: body[k] for k in STREAM_FIELDS if k in body})
        # The counter's key: the whole request, stream fields included (hashed, not the text).
        key = hashlib.sha256(f"{streaming}\x00{stable}".encode()).digest()
        with self._lock:
            k = self._seen.get(key, 0)
            self._seen[key] = k + 1
        return digest(stable) + k

    def reset(self) -> None:
        with self._lock:
            self._seen.clear()
