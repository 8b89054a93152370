"""Lesson 7.22 — Error handling and retries: which errors to retry, how long to wait.

The checks call the student's function on real SDK exception objects (openai and anthropic,
built around real ``httpx`` responses) and on seeded random generators.

    >>> verdict = check_should_retry(None)
    ❌ NOT YET: Not answered yet: replace the None in the cell above with your answer, then re-run.
"""

from __future__ import annotations

import random
from typing import Any

from course_lib.exercises._report import NOT_ANSWERED, Verdict, call, never_raises, report

__all__ = ["check_backoff", "check_should_retry"]

WHY = {
    400: "a 400 means the request itself is wrong: the same request fails the same way",
    401: "a 401 means the key is wrong or missing: it will still be wrong in a second",
    403: "a 403 means you are not allowed: waiting does not change permissions",
    404: "a 404 means the model (or route) does not exist, e.g. a retired model id",
    422: "a 422 means the request could not be processed as sent",
    408: "a 408 is a request timeout on the server's side: try again",
    409: "a 409 is a conflict (e.g. a lock) that clears by itself: the SDKs retry it",
    429: "a 429 is a rate limit: wait (retry-after says how long) and try again",
    500: "a 500 is the server's own error: usually gone on the next try",
    503: "a 503 means overloaded or not ready: try again later",
    529: "a 529 is Anthropic's 'overloaded': try again later",
}


def _errors() -> list[tuple[str, Any, bool, str]]:
    """(what, error, should retry, why) for hidden SDK errors of both providers."""
    import anthropic
    import httpx
    import openai

    request = httpx.Request("POST", "https://api.example.com/v1/hidden")

    def status(module: Any, code: int, body: Any = None) -> Any:
        response = httpx.Response(code, request=request, headers={"retry-after": "1"})
        classes = {400: "BadRequestError", 401: "AuthenticationError", 403: "PermissionDeniedError",
                   404: "NotFoundError", 409: "ConflictError", 422: "UnprocessableEntityError",
                   429: "RateLimitError"}
        name = classes.get(code, "InternalServerError" if code >= 500 else "APIStatusError")
        if code == 529 and hasattr(module, "OverloadedError"):
            name = "OverloadedError"
        return getattr(module, name)(f"Error code: {code}", response=response, body=body)

    cases = []
    for module in (openai, anthropic):
        for code in (400, 401, 403, 404, 422, 408, 409, 429, 500, 503) + ((529,) if module is anthropic else ()):
            expected = code in (408, 409, 429) or code >= 500
            cases.append((f"{module.__name__} {code} ({type(status(module, code)).__name__})",
                          status(module, code), expected, WHY[code]))
        cases.append((f"{module.__name__}.APITimeoutError", module.APITimeoutError(request=request),
                      True, "a timeout may pass on the next try (the SDKs retry it too)"))
        cases.append((f"{module.__name__}.APIConnectionError",
                      module.APIConnectionError(request=request), True,
                      "the connection failed (or a stream was cut): try again"))
    quota = {"message": "You exceeded your current quota, please check your plan and billing "
             "details.", "type": "insufficient_quota", "param": None, "code": "insufficient_quota"}
    cases.append(("openai 429 with code 'insufficient_quota'", status(openai, 429, quota), False,
                  "this 429 means you are out of credit (err.code == 'insufficient_quota'): "
                  "no wait fixes that, so do not retry it even though the status is 429"))
    cases.append(("a KeyError from your own code", KeyError("choices"), False,
                  "an exception from your own code is a bug to fix, not a failure to retry"))
    return cases


@never_raises
def check_should_retry(fn: Any) -> Verdict:
    """Does ``fn(error) -> bool`` retry exactly the transient errors?"""
    if fn is None:
        return report(False, "", NOT_ANSWERED)
    if not callable(fn):
        return report(False, "", "Pass a function: should_retry(error) -> True or False.")
    cases = _errors()
    for what, error, expected, why in cases:
        got, problem = call(fn, error, shown="should_retry")
        if problem:
            return report(False, "", f"On {what}: {problem}. Not every error has status_code "
                          "(connection errors do not): use getattr(error, 'status_code', None).")
        if got is None:
            return report(False, "", "Not answered yet: finish your function so it returns "
                          "True or False.")
        if bool(got) != expected:
            verb = "retried" if got else "did not retry"
            return report(False, "", f"On {what}: you {verb} it, but {why}.")
    return report(True, f"All {len(cases)} hidden errors classified the way the lesson's rule "
                  "does.", "")


@never_raises
def check_backoff(fn: Any) -> Verdict:
    """Does ``fn(n, retry_after, rng)`` give *equal-jitter* waits (between half and all of
    ``min(cap, base * 2**n)``, base 0.5 s, cap 8 s) that are never shorter than
    ``retry_after``?"""
    if fn is None:
        return report(False, "", NOT_ANSWERED)
    if not callable(fn):
        return report(False, "", "Pass a function: backoff(n, retry_after, rng) -> seconds.")
    base, cap = 0.5, 8.0
    for n in range(12):
        ceiling = min(cap, base * 2**n)
        waits = []
        for seed in range(40):
            got, problem = call(fn, n, None, random.Random(seed), shown=f"backoff({n}, None, rng)")
            if problem:
                return report(False, "", f"{problem}.")
            if got is None:
                return report(False, "", "Not answered yet: finish backoff() so it returns a "
                              "number of seconds.")
            if isinstance(got, bool) or not isinstance(got, int | float) or got != got:
                return report(False, "", f"backoff({n}, None, rng) returned {got!r}: return a "
                              "number of seconds.")
            waits.append(float(got))
        if max(waits) > ceiling + 1e-9:
            return report(False, "", f"Retry {n}: a wait of {max(waits):.3f} s, above "
                          f"min(cap, base * 2**n) = {ceiling:g} (base {base}, cap {cap})."
                          + (" Cap the exponential." if max(waits) > cap else ""))
        if max(waits) - min(waits) < ceiling / 10:
            return report(False, "", f"Retry {n}: every wait was about {waits[0]:.3f} s. Without "
                          "jitter, clients that failed together retry together: draw part of "
                          "the wait with rng.uniform(...).")
        if min(waits) < ceiling / 2 - 1e-9:
            return report(False, "", f"Retry {n}: a wait of {min(waits):.3f} s, below half of "
                          f"{ceiling:g}. Equal jitter keeps half of the backoff fixed: "
                          "ceiling / 2 + a random part up to ceiling / 2. Does the ceiling "
                          "double with each retry (base * 2**n)?")
    for advised in (3.0, 0.25):
        for n in (0, 1, 5):
            got, problem = call(fn, n, advised, random.Random(n),
                                shown=f"backoff({n}, {advised}, rng)")
            if problem:
                return report(False, "", f"{problem}.")
            if not isinstance(got, int | float) or got < advised - 1e-9:
                return report(False, "", f"backoff({n}, retry_after={advised}, rng) = {got!r}: "
                              "never retry sooner than the server's retry-after says.")
            if got > max(advised, min(cap, base * 2**n)) + 1e-9:
                return report(False, "", f"backoff({n}, retry_after={advised}, rng) = {got!r}: "
                              "wait the longer of retry-after and your jittered backoff, no more.")
    return report(True, "Equal jitter, doubling, capped at 8 s, never sooner than retry-after.",
                  "")
