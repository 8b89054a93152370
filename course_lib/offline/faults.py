"""Fault injection: make the stand-in fail, or slow down, on purpose.

Two ways in, with the same vocabulary:

    with offline.faults(status=429, times=2, retry_after=0.01):   # the next 2 requests get 429
        client.chat.completions.create(...)                      # the SDK's retries recover

    # per request, e.g. from curl or against a stand-in running in another process:
    x-offline-fault: status=429; times=2; retry_after=0.5

Fields (all optional):

- ``status``: HTTP status to fail with (429, 500, 503, 529, ...). Defaults to 500 when
  ``rate`` is given.
- ``times``: fail only this many requests, then succeed. Omitted: fail every request.
- ``rate`` and ``seed``: fail a fraction of requests, chosen by ``random.Random(seed)`` so the
  sequence of failures is the same every run.
- ``retry_after``: seconds sent in ``retry-after`` (and exactly, in ``retry-after-ms``) on
  429/503/529. Default 1.
- ``latency``: seconds to wait before answering (with a short client ``timeout`` this gives
  ``APITimeoutError``).
- ``token_delay``: seconds between streamed events, to watch a stream arrive slowly.
- ``cut_after``: a streamed reply stops after this many events: the server closes the
  connection without ending the response, as a dropped network link would (the SDKs raise
  ``httpx.RemoteProtocolError`` while you iterate). Only streamed requests count towards
  ``times`` and ``rate`` for such a plan; non-streamed ones pass untouched. With ``status``
  as well, the status wins (the request fails before any event is sent).
- ``stream_error``: with ``cut_after``, end the stream with the provider's in-stream error
  for this status instead of hanging up, after the HTTP 200 has been sent: Anthropic's
  ``event: error`` (529 -> ``overloaded_error``; the SDK raises ``APIStatusError`` with
  ``status_code`` 200), OpenAI's ``data: {"error": {...}}`` (the SDK raises ``APIError``).

Context-manager faults are process-wide (every in-process server sees them), nest (the innermost
plan that fails a request wins; latencies add up) and are thread-safe. Header faults are counted
per distinct header value until :func:`course_lib.offline.reset`; add ``id=<anything>`` to a
header to start a fresh count without a reset.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager

# Plain classes, not dataclasses: `import course_lib.offline` must stay cheap, and the
# dataclasses module pulls in `inspect`.


class FaultPlan:
    """One set of faults, with counters so a lesson can show what was injected."""

    def __init__(
        self,
        status: int | None = None,
        times: int | None = None,
        rate: float | None = None,
        seed: int = 0,
        retry_after: float = 1.0,
        latency: float = 0.0,
        token_delay: float = 0.0,
        cut_after: int | None = None,
        stream_error: int | None = None,
    ) -> None:
        import random  # here, not at the top: only fault-injecting code pays for it

        if rate is not None and not 0.0 <= rate <= 1.0:
            raise ValueError(f"rate must be between 0 and 1, got {rate}")
        if rate is not None and status is None:
            status = 500
        if status is not None and not 400 <= status <= 599:
            raise ValueError(f"status must be an HTTP error status (400-599), got {status}")
        self.status, self.times, self.rate, self.seed = status, times, rate, seed
        if cut_after is not None and cut_after < 0:
            raise ValueError(f"cut_after must be 0 or more events, got {cut_after}")
        if stream_error is not None and not 400 <= stream_error <= 599:
            raise ValueError(f"stream_error must be an HTTP error status, got {stream_error}")
        if stream_error is not None and cut_after is None:
            raise ValueError("stream_error needs cut_after: after how many events to send it")
        self.retry_after, self.latency, self.token_delay = retry_after, latency, token_delay
        self.cut_after, self.stream_error = cut_after, stream_error
        self.seen = 0  # requests this plan looked at
        self.injected = 0  # requests it failed
        self._rng = random.Random(seed)

    def __repr__(self) -> str:
        fields = (
            "status",
            "times",
            "rate",
            "seed",
            "retry_after",
            "latency",
            "token_delay",
            "cut_after",
            "stream_error",
            "seen",
            "injected",
        )
        return "FaultPlan(" + ", ".join(f"{f}={getattr(self, f)!r}" for f in fields) + ")"

    def _fails_next(self, stream: bool = False) -> bool:
        """Decide for one request (call with the registry lock held)."""
        if self.status is None and self.cut_after is not None and not stream:
            return False  # a stream-cutting plan ignores non-streamed requests
        self.seen += 1
        if self.status is None and self.cut_after is None:
            return False
        if self.times is not None and self.injected >= self.times:
            return False
        if self.rate is not None and self._rng.random() >= self.rate:
            return False
        self.injected += 1
        return True


class Decision:
    """What to do to one request: wait ``latency``, then fail with ``status`` if it is set,
    else (for a stream) stop after ``cut_after`` events if that is set."""

    def __init__(
        self,
        latency: float = 0.0,
        status: int | None = None,
        retry_after: float = 1.0,
        token_delay: float = 0.0,
        cut_after: int | None = None,
        stream_error: int | None = None,
    ) -> None:
        self.latency, self.status, self.retry_after, self.token_delay = (
            latency,
            status,
            retry_after,
            token_delay,
        )
        self.cut_after, self.stream_error = cut_after, stream_error


class FaultRegistry:
    """The active plans: a clearly named, resettable, process-wide singleton (``REGISTRY``)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._stack: list[FaultPlan] = []
        self._by_header: dict[str, FaultPlan] = {}

    def push(self, plan: FaultPlan) -> None:
        with self._lock:
            self._stack.append(plan)

    def remove(self, plan: FaultPlan) -> None:
        with self._lock:  # by identity, so blocks exited out of order still clean up
            self._stack = [p for p in self._stack if p is not plan]

    def reset(self) -> None:
        """Forget header-fault counters (active ``with faults(...)`` blocks stay active)."""
        with self._lock:
            self._by_header.clear()

    def decide(self, header: str | None = None, stream: bool = False) -> Decision:
        """Consult the header plan (if any), then the plans from innermost to outermost.
        ``stream``: the request asks for a streamed reply (only those can be cut)."""
        with self._lock:
            plans = list(reversed(self._stack))
            if header:
                if header not in self._by_header:
                    self._by_header[header] = parse_header(header)
                plans.insert(0, self._by_header[header])
            latency = sum(p.latency for p in plans)
            token_delay = max((p.token_delay for p in plans), default=0.0)
            for plan in plans:
                if plan._fails_next(stream):
                    cut = None if plan.status is not None else plan.cut_after
                    return Decision(latency, plan.status, plan.retry_after, token_delay, cut,
                                    plan.stream_error if cut is not None else None)
            return Decision(latency, None, 1.0, token_delay)


REGISTRY = FaultRegistry()


@contextmanager
def faults(
    *,
    status: int | None = None,
    times: int | None = None,
    rate: float | None = None,
    seed: int = 0,
    retry_after: float = 1.0,
    latency: float = 0.0,
    token_delay: float = 0.0,
    cut_after: int | None = None,
    stream_error: int | None = None,
) -> Iterator[FaultPlan]:
    """Inject faults into every stand-in request made inside the block.

    Yields the :class:`FaultPlan`, whose ``seen`` and ``injected`` counters show what happened.
    """
    plan = FaultPlan(status, times, rate, seed, retry_after, latency, token_delay, cut_after,
                     stream_error)
    REGISTRY.push(plan)
    try:
        yield plan
    finally:
        REGISTRY.remove(plan)


FIELDS = {
    "status": int,
    "times": int,
    "rate": float,
    "seed": int,
    "retry_after": float,
    "latency": float,
    "token_delay": float,
    "cut_after": int,
    "stream_error": int,
}


def parse_header(value: str) -> FaultPlan:
    """``"status=429; times=2"`` -> ``FaultPlan(status=429, times=2)``; raises ValueError."""
    kwargs: dict[str, float | int] = {}
    for part in value.replace(",", ";").split(";"):
        if not part.strip():
            continue
        name, sep, raw = part.partition("=")
        name = name.strip().replace("-", "_")
        if name == "id":  # only makes the header value distinct, so its counters start afresh
            continue
        if not sep or name not in FIELDS:
            raise ValueError(
                f"x-offline-fault: cannot read {part.strip()!r}; expected name=value pairs "
                f"separated by ';' with names from {', '.join(FIELDS)}"
            )
        try:
            kwargs[name] = FIELDS[name](raw.strip())
        except ValueError:
            raise ValueError(
                f"x-offline-fault: {name} must be a number, got {raw.strip()!r}"
            ) from None
    return FaultPlan(**kwargs)  # type: ignore[arg-type]
