"""Lesson 7.22's checks: which errors to retry, jittered backoff that honours retry-after."""

from course_lib.exercises import check_backoff, check_should_retry


def should_retry(error):  # the lesson's solution
    if getattr(error, "code", None) == "insufficient_quota":
        return False
    status = getattr(error, "status_code", None)
    if status is not None:
        return status in (408, 409, 429) or status >= 500
    return type(error).__name__ in ("APIConnectionError", "APITimeoutError")


def backoff(n, retry_after, rng, base=0.5, cap=8.0):  # the lesson's solution
    ceiling = min(cap, base * 2**n)
    return max(ceiling / 2 + rng.uniform(0, ceiling / 2), retry_after or 0)


def test_should_retry(verdict):
    verdict(check_should_retry(None), False)
    verdict(check_should_retry("yes"), False)
    verdict(check_should_retry(lambda error: None), False)
    def status_only(error):
        return error.status_code in (408, 409, 429) or error.status_code >= 500

    assert "status_code" in verdict(check_should_retry(status_only), False)
    everything = verdict(check_should_retry(lambda error: True), False)
    assert "400" in everything and "same request" in everything

    def by_status(error):  # forgets out-of-credit 429s
        status = getattr(error, "status_code", None)
        return status in (408, 409, 429) or (status or 0) >= 500 or status is None

    assert "insufficient_quota" in verdict(check_should_retry(by_status), False)

    def no_conflict(error):
        return should_retry(error) and getattr(error, "status_code", None) != 409

    assert "409" in verdict(check_should_retry(no_conflict), False)

    def retries_bugs(error):
        return should_retry(error) or isinstance(error, KeyError)

    assert "bug" in verdict(check_should_retry(retries_bugs), False)
    verdict(check_should_retry(should_retry), True)
    from course_lib.retries import is_retryable

    verdict(check_should_retry(is_retryable), True)  # the library's rule agrees


def test_backoff(verdict):
    verdict(check_backoff(None), False)
    verdict(check_backoff(3), False)
    verdict(check_backoff(lambda n, ra, rng: "soon"), False)
    verdict(check_backoff(lambda n, ra, rng: True), False)
    assert "jitter" in verdict(check_backoff(lambda n, ra, rng: min(8, 0.5 * 2**n)), False)

    def uncapped(n, ra, rng):
        return 0.5 * 2**n / 2 + rng.uniform(0, 0.5 * 2**n / 2)

    assert "Cap" in verdict(check_backoff(uncapped), False)

    def full_jitter(n, ra, rng):  # fine in practice, but not what the exercise asks
        return max(rng.uniform(0, min(8, 0.5 * 2**n)), ra or 0)

    assert "Equal jitter" in verdict(check_backoff(full_jitter), False)

    def linear(n, ra, rng):
        ceiling = min(8, 0.5 * (n + 1))
        return ceiling / 2 + rng.uniform(0, ceiling / 2)

    assert "double" in verdict(check_backoff(linear), False)

    def ignores(n, ra, rng):
        ceiling = min(8, 0.5 * 2**n)
        return ceiling / 2 + rng.uniform(0, ceiling / 2)

    assert "retry-after" in verdict(check_backoff(ignores), False)

    def adds(n, ra, rng):
        return ignores(n, ra, rng) + (ra or 0)

    assert "longer of" in verdict(check_backoff(adds), False)
    verdict(check_backoff(backoff), True)
