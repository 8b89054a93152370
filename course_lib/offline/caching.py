"""Prompt-caching accounting, following each provider's documented rules (OpenAI cookbook "Prompt Caching 201"; Anthropic's prompt-caching docs).

Nothing is actually reused: the stand-in only *reports* what a real provider's cache would
have saved, so that cache hit rates and their cost can be measured offline.

OpenAI (automatic): prompts of at least 1,024 tokens are cached; a hit is the longest cached
exact prefix, counted in 128-token steps (1024, 1152, ...); entries expire after 5 minutes
without use (``prompt_cache_retention="24h"`` keeps them a day).

    >>> cache = PromptCache(clock=lambda: 0.0)
    >>> cache.openai("gpt-4o", list(range(2006)), minimum=1024)   # first call: nothing cached
    0
    >>> cache.openai("gpt-4o", list(range(2006)), minimum=1024)   # 15 x 128, as in the cookbook
    1920

Anthropic (explicit ``cache_control``): the prefix up to and including each marked block is
written to the cache if it is at least the model's minimum length; a breakpoint reads the
longest entry found at its own block or up to 19 blocks before it (20 in all); reads refresh the
TTL (5 minutes, or 1 hour with ``"ttl": "1h"``). The clock is injectable so tests can expire
entries without waiting.
"""

from __future__ import annotations

import hashlib
import threading
import time
from array import array
from collections.abc import Callable, Sequence
from dataclasses import dataclass

FIVE_MINUTES = 300.0
OPENAI_STEP = 128
LOOKBACK_BLOCKS = 20
SWEEP_ABOVE = 100_000  # entries; a long-running server drops expired ones beyond this


@dataclass
class Block:
    """One cacheable unit of an Anthropic prompt: a tool, a system block or a content block."""

    key: str  # canonical text of the block (what must match exactly)
    tokens: int  # its tokens, framing included
    ttl: float | None = None  # set when the block carries cache_control


@dataclass
class CacheUsage:
    read: int = 0
    write_5m: int = 0
    write_1h: int = 0

    @property
    def written(self) -> int:
        return self.write_5m + self.write_1h


class PromptCache:
    """Cache entries by prefix digest, with expiry times from an injectable clock."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self.clock = clock
        self._lock = threading.Lock()
        self._expiry: dict[bytes, tuple[float, float]] = {}  # digest -> (expires at, ttl)

    def reset(self) -> None:
        with self._lock:
            self._expiry.clear()

    def _alive(self, key: bytes, now: float) -> bool:
        entry = self._expiry.get(key)
        if entry is None:
            return False
        if entry[0] <= now:
            del self._expiry[key]
            return False
        return True

    def _sweep(self, now: float) -> None:
        if len(self._expiry) > SWEEP_ABOVE:
            self._expiry = {k: v for k, v in self._expiry.items() if v[0] > now}

    def _touch(self, key: bytes, ttl: float, now: float) -> None:
        old = self._expiry.get(key)
        ttl = max(ttl, old[1]) if old else ttl
        self._expiry[key] = (now + ttl, ttl)

    # -----------------------------------------------------------------------------------

    def openai(
        self,
        namespace: str,
        tokens: Sequence[int],
        *,
        minimum: int = 1024,
        ttl: float = FIVE_MINUTES,
    ) -> int:
        """Cached tokens for this prompt (then remember all its 128-step prefixes)."""
        if len(tokens) < minimum:
            return 0
        packed = array("q", tokens).tobytes()
        width = array("q").itemsize
        running = hashlib.blake2b(namespace.encode(), digest_size=16)
        prefixes: list[tuple[int, bytes]] = []
        done = 0
        for end in range(minimum, len(tokens) + 1, OPENAI_STEP):
            running.update(packed[done * width : end * width])
            done = end
            prefixes.append((end, running.digest()))
        now = self.clock()
        with self._lock:
            self._sweep(now)
            cached = max((end for end, key in prefixes if self._alive(key, now)), default=0)
            for _, key in prefixes:
                self._touch(key, ttl, now)
        return cached

    def anthropic(self, namespace: str, blocks: Sequence[Block], *, minimum: int) -> CacheUsage:
        """Tokens read from and written to the cache for one request.

        Blocks come in prompt order (tools, system, messages); those with ``ttl`` set are the
        breakpoints. Everything after the last breakpoint is never cached.
        """
        keys: list[bytes] = []
        ends: list[int] = []
        running = hashlib.blake2b(namespace.encode(), digest_size=16)
        total = 0
        for block in blocks:
            running.update(block.key.encode() + b"\x00")
            total += block.tokens
            keys.append(running.digest())
            ends.append(total)
        breakpoints = [i for i, b in enumerate(blocks) if b.ttl is not None]
        usage = CacheUsage()
        now = self.clock()
        with self._lock:
            self._sweep(now)
            hit = -1
            for b in breakpoints:
                for j in range(b, max(b - LOOKBACK_BLOCKS, -1), -1):
                    if self._alive(keys[j], now):
                        if ends[j] > usage.read:
                            usage.read, hit = ends[j], j
                        break
            if hit >= 0:  # reading refreshes the entry's TTL
                self._touch(keys[hit], self._expiry[keys[hit]][1], now)
            covered = usage.read
            for b in breakpoints:
                ttl = blocks[b].ttl or FIVE_MINUTES
                if ends[b] <= covered or ends[b] < minimum:
                    continue  # already read, or too short to cache (silently, like the real API)
                self._touch(keys[b], ttl, now)
                if ttl > FIVE_MINUTES:
                    usage.write_1h += ends[b] - covered
                else:
                    usage.write_5m += ends[b] - covered
                covered = ends[b]
        return usage
