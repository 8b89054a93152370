"""course_lib.retries: which errors are retried, how long it waits, sync and async alike.

Driven by the stand-in's fault injection through the real SDKs (their own retries off), with
the sleeps recorded instead of slept.
"""

from __future__ import annotations

import asyncio
import email.utils

import anthropic
import httpx
import openai
import pytest

from course_lib import offline
from course_lib.clients import OFFLINE_KEY
from course_lib.config import default_model
from course_lib.retries import RetryPolicy, error_code, is_retryable, retry_after

OPENAI_MODEL = default_model("openai")
ANTHROPIC_MODEL = default_model("anthropic")
ASK = [{"role": "user", "content": "The standard library module for regular expressions"}]


def oai(url: str) -> openai.OpenAI:
    return openai.OpenAI(base_url=url + "/v1", api_key=OFFLINE_KEY, max_retries=0)


def error_for(url: str, status: int, provider: str = "openai", **fault) -> Exception:
    with offline.faults(status=status, times=1, **fault):
        try:
            if provider == "openai":
                oai(url).chat.completions.create(model=OPENAI_MODEL, messages=ASK,
                                                 max_completion_tokens=3)
            else:
                anthropic.Anthropic(base_url=url, api_key=OFFLINE_KEY, max_retries=0).messages.create(
                    model=ANTHROPIC_MODEL, max_tokens=3, messages=ASK)
        except Exception as error:
            return error
    raise AssertionError("no error raised")


@pytest.mark.parametrize("provider", ["openai", "anthropic"])
@pytest.mark.parametrize(("status", "expected"), [
    (400, False), (401, False), (403, False), (404, False), (422, False),
    (408, True), (409, True), (429, True), (500, True), (503, True), (529, True),
])
def test_which_statuses_are_retried(url, provider, status, expected):
    assert is_retryable(error_for(url, status, provider, retry_after=0.01)) is expected


def test_out_of_credit_is_not_retried():
    request = httpx.Request("POST", "https://api.openai.com/v1/chat/completions")
    body = {"message": "You exceeded your current quota", "type": "insufficient_quota",
            "param": None, "code": "insufficient_quota"}
    quota = openai.RateLimitError("quota", response=httpx.Response(429, request=request),
                                  body=body)
    assert error_code(quota) == "insufficient_quota" and not is_retryable(quota)
    spend = anthropic.RateLimitError(
        "spend", response=httpx.Response(429, request=request),
        body={"type": "error", "error": {"type": "rate_limit_error", "message": "cap",
                                         "details": {"error_code": "enforced_spend_limit_reached"}}})
    assert error_code(spend) == "enforced_spend_limit_reached" and not is_retryable(spend)
    ramp = anthropic.RateLimitError(  # "slow down" as usage ramps up: worth a retry
        "ramp", response=httpx.Response(429, request=request),
        body={"type": "error", "error": {"type": "rate_limit_error", "message": "ramp",
                                         "details": {"error_code": "ramp_limit_exceeded"}}})
    assert is_retryable(ramp)


def test_connection_errors_timeouts_and_cut_streams_are_retried(url):
    with offline.faults(latency=0.3), pytest.raises(openai.APITimeoutError) as timeout:
        openai.OpenAI(base_url=url + "/v1", api_key=OFFLINE_KEY, max_retries=0,
                      timeout=0.05).chat.completions.create(
            model=OPENAI_MODEL, messages=ASK, max_completion_tokens=3)
    assert is_retryable(timeout.value)
    claude = anthropic.Anthropic(base_url=url, api_key=OFFLINE_KEY, max_retries=0)
    with (offline.faults(cut_after=2), pytest.raises(Exception) as cut,
          claude.messages.stream(model=ANTHROPIC_MODEL, max_tokens=20, messages=ASK) as stream):
        list(stream.text_stream)
    assert type(cut.value).__name__ == "RemoteProtocolError" and is_retryable(cut.value)
    for bug in (ValueError("x"), KeyError("k"), TimeoutError(), ConnectionError()):
        assert not is_retryable(bug)  # not the SDKs' or httpx's: a bug to fix, not to retry


def test_retry_after_headers(url):
    error = error_for(url, 429, retry_after=0.25)
    assert retry_after(error) == pytest.approx(0.25)  # retry-after-ms wins over retry-after: 1

    class Fake(Exception):
        def __init__(self, headers):
            self.response = httpx.Response(429, headers=headers)

    assert retry_after(Fake({"retry-after": "3"})) == 3
    assert retry_after(Fake({"retry-after": "soon"})) is None
    assert retry_after(Fake({})) is None and retry_after(ValueError()) is None
    date = email.utils.formatdate(1_000_030, usegmt=True)
    assert retry_after(Fake({"retry-after": date}), now=1_000_000) == pytest.approx(30)


def test_backoff_is_seeded_full_jitter_and_capped():
    waits = [RetryPolicy(base=1, cap=5, seed=7).backoff(n) for n in range(6)]
    again = [RetryPolicy(base=1, cap=5, seed=7).backoff(n) for n in range(6)]
    assert waits == again and waits != [RetryPolicy(base=1, cap=5, seed=8).backoff(n)
                                        for n in range(6)]
    policy = RetryPolicy(base=1, cap=5, seed=1)
    for n in range(8):
        for _ in range(50):
            assert 0 <= policy.backoff(n) <= min(5, 2**n)
    with pytest.raises(ValueError):
        RetryPolicy(max_attempts=0)


def test_call_retries_then_succeeds_and_honours_retry_after(url):
    slept, seen = [], []
    policy = RetryPolicy(max_attempts=4, base=0.001, cap=0.002, seed=1, sleep=slept.append,
                         on_retry=seen.append)
    client = oai(url)
    with offline.faults(status=429, times=2, retry_after=0.2) as plan:
        reply = policy.call(client.chat.completions.create, model=OPENAI_MODEL, messages=ASK,
                            max_completion_tokens=3)
    assert reply.choices and plan.injected == 2
    assert slept == [pytest.approx(0.2)] * 2  # never sooner than the server asked
    assert [r.attempt for r in seen] == [1, 2] and all(r.advised == pytest.approx(0.2) for r in seen)
    assert all(isinstance(r.error, openai.RateLimitError) for r in seen)


def test_call_gives_up_with_the_original_error(url):
    slept = []
    policy = RetryPolicy(max_attempts=3, base=0.001, seed=1, sleep=slept.append)
    with offline.faults(status=500) as plan, pytest.raises(openai.InternalServerError):
        policy.call(oai(url).chat.completions.create, model=OPENAI_MODEL, messages=ASK,
                    max_completion_tokens=3)
    assert plan.injected == 3 and len(slept) == 2
    slept.clear()
    with offline.faults(status=400, times=1) as plan, pytest.raises(openai.BadRequestError):
        policy.call(oai(url).chat.completions.create, model=OPENAI_MODEL, messages=ASK,
                    max_completion_tokens=3)
    assert plan.injected == 1 and slept == []  # a 400 is never retried
    with offline.faults(status=429, times=1, retry_after=120), pytest.raises(openai.RateLimitError):
        policy.call(oai(url).chat.completions.create, model=OPENAI_MODEL, messages=ASK,
                    max_completion_tokens=3)
    assert slept == []  # asked to wait longer than max_retry_after: give up at once


def test_async_behaves_like_sync(url):
    def run_sync() -> list[float]:
        slept = []
        policy = RetryPolicy(max_attempts=5, base=0.01, cap=0.05, seed=3, sleep=slept.append)
        with offline.faults(status=503, times=3, retry_after=0):
            policy.call(oai(url).chat.completions.create, model=OPENAI_MODEL, messages=ASK,
                        max_completion_tokens=3)
        return slept

    async def run_async() -> list[float]:
        slept = []

        async def record(seconds: float) -> None:
            slept.append(seconds)

        policy = RetryPolicy(max_attempts=5, base=0.01, cap=0.05, seed=3, asleep=record)
        async with openai.AsyncOpenAI(base_url=url + "/v1", api_key=OFFLINE_KEY,
                                      max_retries=0) as client:
            with offline.faults(status=503, times=3, retry_after=0):
                await policy.acall(client.chat.completions.create, model=OPENAI_MODEL,
                                   messages=ASK, max_completion_tokens=3)
        return slept

    sync_waits = run_sync()
    assert len(sync_waits) == 3 and sync_waits == asyncio.run(run_async())


def test_async_gives_up_and_really_sleeps(url):
    policy = RetryPolicy(max_attempts=2, base=0.001, cap=0.001, seed=0)

    async def run() -> None:
        async with anthropic.AsyncAnthropic(base_url=url, api_key=OFFLINE_KEY,
                                            max_retries=0) as client:
            with (offline.faults(status=529, retry_after=0.01) as plan,
                  pytest.raises(anthropic.OverloadedError)):
                await policy.acall(client.messages.create, model=ANTHROPIC_MODEL,
                                   max_tokens=3, messages=ASK)
            assert plan.injected == 2

    asyncio.run(run())
