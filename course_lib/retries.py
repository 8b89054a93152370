"""A retry policy for LLM API calls: which errors to retry, and how long to wait between tries.

    policy = RetryPolicy(max_attempts=5, base=0.5, cap=20, seed=7)
    response = policy.call(client.chat.completions.create, model=model, messages=messages,
                           max_completion_tokens=50)
    response = await policy.acall(async_client.chat.completions.create, model=model, ...)

The rules (lesson 7.22 writes them by hand first, then compares them with tenacity and with
the SDKs' own ``max_retries``):

- retry what may pass next time: connection errors and timeouts, a stream cut off mid-reply,
  408, 409, 429 and 5xx (Anthropic's 529 "overloaded" included), and an error *inside* a
  stream that began with HTTP 200 when its type says overload or a server error (Anthropic's
  ``event: error`` arrives as ``APIStatusError`` with ``status_code`` 200); never 400/401/403/404/422
  (the same request fails the same way), nor a 429 that says you are out of credit
  (OpenAI ``insufficient_quota``, Anthropic ``enforced_spend_limit_reached``; the SDKs *do*
  retry those, which only wastes time);
- wait "full jitter" exponential backoff, ``uniform(0, min(cap, base * 2**n))`` before retry
  n (n = 0, 1, ...), drawn from ``random.Random(seed)`` so a seeded policy waits the same
  every run;
- never sooner than the server's ``retry-after-ms`` / ``retry-after`` (seconds or an HTTP
  date) says; a server asking for more than ``max_retry_after`` seconds means give up now;
- after ``max_attempts`` tries, re-raise the last error unchanged, so ``except
  openai.RateLimitError`` still works around a policy.

Simplifications: one policy object draws its jitter from one generator, so concurrent async
calls sharing it get their waits in scheduling order; there is no overall deadline (combine
with the client's ``timeout``). Works with either SDK (and anything else that raises errors
with ``status_code`` and ``response.headers``), without importing either.
"""

from __future__ import annotations

import email.utils
import random
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

T = TypeVar("T")

RETRY_STATUSES = frozenset({408, 409, 429})  # plus every 5xx
# Error codes that mean "retrying cannot help" even on a retryable status (facts §5).
NO_RETRY_CODES = frozenset({"insufficient_quota", "credit_balance_exhausted",
                            "enforced_spend_limit_reached", "contract_spend_limit_reached",
                            "billing_error"})
# Exceptions without a status that mean the connection failed, by class name, for the SDKs'
# own classes and for httpx's (a stream cut mid-reply surfaces as httpx's RemoteProtocolError).
CONNECTION_ERRORS = frozenset({"APIConnectionError", "APITimeoutError", "TransportError",
                               "TimeoutException", "NetworkError", "RemoteProtocolError"})
SDK_MODULES = ("openai", "anthropic", "httpx", "httpx2", "httpcore")
# Error types that may pass on a retry, for errors that arrive inside a 200 stream.
RETRY_TYPES = frozenset({"overloaded_error", "api_error", "rate_limit_error", "server_error",
                         "service_unavailable_error", "timeout_error"})


def error_code(error: BaseException) -> str | None:
    """The provider's error code or type: ``"rate_limit_exceeded"``, ``"overloaded_error"``..."""
    code = getattr(error, "code", None)
    if isinstance(code, str):
        return code
    body = getattr(error, "body", None)
    if isinstance(body, dict):
        inner = body.get("error", body)
        if isinstance(inner, dict):
            details = inner.get("details")
            if isinstance(details, dict) and isinstance(details.get("error_code"), str):
                return details["error_code"]  # Anthropic's spend-limit 429
            for key in ("code", "type"):
                if isinstance(inner.get(key), str):
                    return inner[key]
    return None


def is_retryable(error: BaseException) -> bool:
    """Might the same request succeed if sent again later?

    >>> is_retryable(TimeoutError())   # not an SDK error: a bug, not the network
    False
    """
    status = getattr(error, "status_code", None)
    code = error_code(error)
    if code in NO_RETRY_CODES:
        return False
    if isinstance(status, int) and status >= 400:
        return status in RETRY_STATUSES or status >= 500
    kind = getattr(error, "type", None)
    if code in RETRY_TYPES or kind in RETRY_TYPES:  # an error event inside a 200 stream
        return type(error).__module__.split(".")[0] in SDK_MODULES
    return any(cls.__name__ in CONNECTION_ERRORS and cls.__module__.split(".")[0] in SDK_MODULES
               for cls in type(error).__mro__)


def retry_after(error: BaseException, now: float | None = None) -> float | None:
    """Seconds the server asked us to wait (``retry-after-ms``, else ``retry-after`` as
    seconds or as an HTTP date), or None when it did not say."""
    response = getattr(error, "response", None)
    headers = getattr(response, "headers", None)
    if headers is None:
        return None
    for name, scale in (("retry-after-ms", 1000.0), ("retry-after", 1.0)):
        value = headers.get(name)
        if value is None:
            continue
        try:
            return max(float(value) / scale, 0.0)
        except ValueError:
            pass
    value = headers.get("retry-after")
    parsed = email.utils.parsedate_tz(value) if value else None
    if parsed is None:
        return None
    return max(email.utils.mktime_tz(parsed) - (time.time() if now is None else now), 0.0)


@dataclass
class Retry:
    """One retry about to happen: after try ``attempt`` failed with ``error``, wait ``wait`` s.

    ``advised`` is the server's retry-after (None if it gave none); ``backoff`` the jittered
    exponential wait the policy drew; ``wait`` is the larger of the two.
    """

    attempt: int
    error: BaseException
    wait: float
    backoff: float
    advised: float | None


@dataclass
class RetryPolicy:
    """Retry a call on transient errors with seeded, jittered exponential backoff.

    ``on_retry`` (if given) is called with a :class:`Retry` before each wait; ``sleep`` and
    ``asleep`` can be replaced (tests, simulations) by functions that only record the wait.
    """

    max_attempts: int = 5
    base: float = 0.5
    cap: float = 20.0
    max_retry_after: float = 60.0
    seed: int | None = None
    retryable: Callable[[BaseException], bool] = is_retryable
    on_retry: Callable[[Retry], None] | None = None
    sleep: Callable[[float], None] = time.sleep
    asleep: Callable[[float], Awaitable[Any]] | None = None  # None: asyncio.sleep
    rng: random.Random = field(init=False, repr=False)

    def __post_init__(self) -> None:
        if self.max_attempts < 1:
            raise ValueError(f"max_attempts must be at least 1, got {self.max_attempts}")
        if self.base < 0 or self.cap < 0:
            raise ValueError("base and cap must not be negative")
        self.rng = random.Random(self.seed)

    def backoff(self, retry: int) -> float:
        """Full jitter: ``uniform(0, min(cap, base * 2**retry))``; ``retry`` counts from 0."""
        return self.rng.uniform(0.0, min(self.cap, self.base * 2.0 ** min(retry, 60)))

    def plan(self, error: BaseException, attempt: int) -> Retry | None:
        """What to do after try ``attempt`` (1, 2, ...) raised ``error``: a Retry, or None to
        give up (not retryable, out of attempts, or the server asks for too long a wait)."""
        if attempt >= self.max_attempts or not self.retryable(error):
            return None
        advised = retry_after(error)
        if advised is not None and advised > self.max_retry_after:
            return None
        drawn = self.backoff(attempt - 1)
        return Retry(attempt, error, max(drawn, advised or 0.0), drawn, advised)

    def call(self, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        """``fn(*args, **kwargs)``, retried by the policy; re-raises the last error."""
        attempt = 0
        while True:
            attempt += 1
            try:
                return fn(*args, **kwargs)
            except Exception as error:
                retry = self.plan(error, attempt)
                if retry is None:
                    raise
                if self.on_retry is not None:
                    self.on_retry(retry)
                self.sleep(retry.wait)

    async def acall(self, fn: Callable[..., Awaitable[T]], *args: Any, **kwargs: Any) -> T:
        """The same as :meth:`call` for a coroutine function; waits with ``asyncio.sleep``."""
        import asyncio

        asleep = self.asleep or asyncio.sleep
        attempt = 0
        while True:
            attempt += 1
            try:
                return await fn(*args, **kwargs)
            except Exception as error:
                retry = self.plan(error, attempt)
                if retry is None:
                    raise
                if self.on_retry is not None:
                    self.on_retry(retry)
                await asleep(retry.wait)
