"""What passes between the HTTP server and the two provider adapters.

The server turns bytes into a :class:`Call`; an adapter turns a Call into a :class:`Reply`
(a JSON body, or an iterator of Server-Sent-Event frames); the server writes the Reply. The
shared, resettable state (prompt caches, seed counters) lives in ``STATE``.
"""

from __future__ import annotations

import dataclasses
import hashlib
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from course_lib.offline.caching import PromptCache
from course_lib.offline.errors import ApiError
from course_lib.model.seeds import SeedBook, canonical, digest, stable_text
from course_lib.model.types import Generation, GenerationRequest, InvalidRequest


@dataclass
class State:
    """Everything the stand-in remembers between requests; ``reset()`` forgets it."""

    cache: PromptCache = field(default_factory=PromptCache)
    seeds: SeedBook = field(default_factory=SeedBook)

    def reset(self) -> None:
        self.cache.reset()
        self.seeds.reset()


STATE = State()


@dataclass
class Call:
    """One parsed HTTP request."""

    method: str
    path: str  # without the query string
    headers: Mapping[str, str]  # case-insensitive (an email.message.Message)
    body: dict[str, Any]
    request_id: str
    state: State = field(default_factory=lambda: STATE)
    query: Mapping[str, list[str]] = field(default_factory=dict)  # urllib.parse.parse_qs of the URL

    @cached_property
    def stable(self) -> str:
        """The body without its stream fields, canonically spelled (seeds and response ids)."""
        return stable_text(self.body)


@dataclass
class Reply:
    """A response: ``body`` (JSON) or ``events`` (SSE frames, sent with chunked encoding)."""

    body: Any = None
    events: Iterator[bytes] | None = None
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0  # seconds between streamed events (fault injection's token_delay)


ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"


def make_id(prefix: str, *parts: Any, length: int = 24) -> str:
    """A deterministic id in the providers' style: ``make_id("chatcmpl-", seed)``."""
    number = int.from_bytes(hashlib.sha256(repr(parts).encode()).digest(), "big")
    chars = []
    for _ in range(length):
        number, r = divmod(number, len(ALPHABET))
        chars.append(ALPHABET[r])
    return prefix + "".join(chars)


def seed_for(call: Call, given: int | None) -> int:
    """The request's own seed, or one derived from the request (see ``seeds.py``)."""
    return given if given is not None else call.state.seeds.derive(call.body, call.stable)


def _engine() -> Callable[[GenerationRequest], Generation]:
    from course_lib.model import engine  # imported on first use: it loads numpy and the model

    return engine.generate


def choice_seed(seed: int | None, index: int) -> int:
    """The seed of choice ``index`` when ``n`` > 1.

    Choice 0 keeps the request's seed, so ``n=1`` and the first of ``n=3`` agree; the others
    are hashed, so seed 0's second choice is not seed 1's first.
    """
    seed = seed or 0
    return seed if index == 0 else digest(f"{seed}:{index}", nbytes=6)


def generate(request: GenerationRequest, n: int = 1) -> list[Generation]:
    """Ask the engine for ``n`` answers; answer ``i`` uses ``choice_seed(seed, i)``."""
    try:
        run = _engine()
        return [
            run(dataclasses.replace(request, seed=choice_seed(request.seed, i))) for i in range(n)
        ]
    except ApiError:
        raise
    except InvalidRequest as exc:
        raise ApiError(400, str(exc)) from exc
    except Exception as exc:  # an engine bug must look like a provider's 500, not a dropped socket
        raise ApiError(
            500, f"The offline stand-in's model failed: {type(exc).__name__}: {exc}"
        ) from exc


def request_digest(body: dict) -> str:
    return hashlib.sha256(canonical(body).encode()).hexdigest()
