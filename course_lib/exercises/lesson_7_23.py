"""Lesson 7.23 — Async LLM calls: bounded concurrency, and what it buys in wall time.

``check_gather_limited`` runs the student's ``async def gather_limited(jobs, limit)`` on hidden
jobs that sleep for different times and record how many run at once. It runs them on an
event loop of its own, in a thread, so it works from a notebook (whose loop is already
running) and from plain Python alike.

    >>> verdict = check_gather_limited(None)
    ❌ NOT YET: Not answered yet: replace the None in the cell above with your answer, then re-run.
"""

from __future__ import annotations

import asyncio
import inspect
import math
import threading
from typing import Any

from course_lib.exercises._report import NOT_ANSWERED, Verdict, call, never_raises, report

__all__ = ["check_gather_limited", "check_ideal_wall_time"]


class _Probe:
    """Hidden jobs that count how many of them are running at the same moment."""

    def __init__(self, delays: list[float]) -> None:
        self.delays, self.running, self.peak, self.started = delays, 0, 0, 0

    def job(self, i: int) -> Any:
        async def run() -> str:
            self.started += 1
            self.running += 1
            self.peak = max(self.peak, self.running)
            try:
                await asyncio.sleep(self.delays[i])
            finally:
                self.running -= 1
            return f"answer {i}"

        return run


def _in_own_loop(make: Any, timeout: float = 10.0) -> tuple[Any, str | None]:
    """Run the coroutine ``make()`` on a fresh event loop in a thread: (result, problem)."""
    box: dict[str, Any] = {}

    def target() -> None:
        async def main() -> Any:
            made = make()
            if not inspect.isawaitable(made):
                box["sync"] = made
                return None
            return await asyncio.wait_for(made, timeout)

        try:
            box["result"] = asyncio.run(main())
        except TimeoutError:
            box["problem"] = f"it did not finish within {timeout:.0f} seconds"
        except Exception as exc:  # a student's bug must not stop the notebook
            box["problem"] = f"it raised {type(exc).__name__}: {exc}"

    thread = threading.Thread(target=target, daemon=True)
    thread.start()
    thread.join(timeout + 2)
    if "sync" in box:
        return box["sync"], "not async"
    return box.get("result"), box.get("problem")


@never_raises
def check_gather_limited(fn: Any) -> Verdict:
    """Does ``await fn(jobs, limit)`` run every job once, at most ``limit`` at a time, really
    concurrently, and return the results in the order of ``jobs``?"""
    if fn is None:
        return report(False, "", NOT_ANSWERED)
    if not callable(fn):
        return report(False, "", "Pass your function: gather_limited (without calling it).")
    cases = [([0.03, 0.01, 0.02, 0.01, 0.03, 0.01, 0.02, 0.01, 0.02, 0.01], 3),
             ([0.02] * 6, 2), ([0.01, 0.02, 0.01], 5)]
    for delays, limit in cases:
        probe = _Probe(delays)
        jobs = [probe.job(i) for i in range(len(delays))]
        got, problem = _in_own_loop(lambda jobs=jobs, limit=limit: fn(jobs, limit))
        if problem == "not async":
            return report(False, "", "gather_limited must be an `async def` function, so that "
                          "`await gather_limited(jobs, limit)` works.")
        if problem:
            return report(False, "", f"With {len(jobs)} jobs and limit={limit}, {problem}.")
        if got is None:
            return report(False, "", "Not answered yet: finish gather_limited() so it returns "
                          "the list of results.")
        expected = [f"answer {i}" for i in range(len(delays))]
        if probe.started != len(jobs):
            return report(False, "", f"{probe.started} of {len(jobs)} jobs were started: call "
                          "each job exactly once (job() makes the coroutine; await it).")
        if probe.peak > limit:
            return report(False, "", f"{probe.peak} jobs ran at once with limit={limit}: take "
                          "an asyncio.Semaphore(limit) around each job (`async with`).")
        if probe.peak < min(limit, len(jobs)):
            return report(False, "", f"At most {probe.peak} job(s) ran at once with "
                          f"limit={limit}: the jobs ran (partly) one after another. Start them "
                          "all with asyncio.gather and let the semaphore do the limiting.")
        if list(got) != expected:
            return report(False, "", f"Results came back as {list(got)!r}: return them in the "
                          "order of `jobs` (asyncio.gather keeps that order; appending as jobs "
                          "finish does not).")
    return report(True, f"All {len(cases)} hidden runs: every job once, never more than the "
                  "limit at a time, results in order.", "")


@never_raises
def check_ideal_wall_time(fn: Any) -> Verdict:
    """Does ``fn(n, latency, limit)`` give the best possible wall time for ``n`` requests of
    ``latency`` seconds each, at most ``limit`` at once?"""
    if fn is None:
        return report(False, "", NOT_ANSWERED)
    if not callable(fn):
        return report(False, "", "Pass your function: ideal_wall_time (without calling it).")
    for n, latency, limit in [(12, 0.5, 4), (20, 0.8, 6), (3, 1.0, 10), (7, 0.25, 1), (1, 2.0, 3)]:
        expected = math.ceil(n / limit) * latency
        got, problem = call(fn, n, latency, limit, shown=f"ideal_wall_time({n}, {latency}, {limit})")
        if problem:
            return report(False, "", problem)
        if got is None:
            return report(False, "", "Not answered yet: finish ideal_wall_time() so it returns "
                          "a number of seconds.")
        if not isinstance(got, int | float) or isinstance(got, bool):
            return report(False, "", f"Return a number of seconds, got {got!r}.")
        if math.isclose(got, n * latency / limit) and not math.isclose(got, expected):
            return report(False, "", f"ideal_wall_time({n}, {latency}, {limit}) gave {got:g}: "
                          "requests come in whole waves. A half-empty last wave still takes "
                          "a full latency (round the number of waves up).")
        if not math.isclose(got, expected):
            return report(False, "", f"ideal_wall_time({n}, {latency}, {limit}) gave {got:g}. "
                          "How many waves of at most `limit` requests does it take, and how "
                          "long is each wave?")
    return report(True, "Right for all 5 hidden cases: waves = ceil(n / limit), each one "
                  "latency long.", "")
