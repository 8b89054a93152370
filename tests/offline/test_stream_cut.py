"""Fault injection that cuts a stream mid-reply (``cut_after``), through both real SDKs."""

from __future__ import annotations

import anthropic
import openai
import pytest

from course_lib import offline
from course_lib.clients import OFFLINE_KEY
from course_lib.config import default_model
from course_lib.offline.faults import FaultPlan, parse_header

OPENAI_MODEL = default_model("openai")
ANTHROPIC_MODEL = default_model("anthropic")
ASK = [{"role": "user", "content": "The standard library module for regular expressions"}]


def oai(url: str) -> openai.OpenAI:
    return openai.OpenAI(base_url=url + "/v1", api_key=OFFLINE_KEY, max_retries=0)


def claude(url: str) -> anthropic.Anthropic:
    return anthropic.Anthropic(base_url=url, api_key=OFFLINE_KEY, max_retries=0)


def stream_texts(client: openai.OpenAI, got: list[str], **kwargs) -> None:
    for chunk in client.chat.completions.create(model=OPENAI_MODEL, messages=ASK, seed=3,
                                                max_completion_tokens=20, stream=True, **kwargs):
        if chunk.choices:
            got.append(chunk.choices[0].delta.content or "")


def test_openai_stream_is_cut_after_n_events(url):
    client, got = oai(url), []
    with offline.faults(cut_after=4, times=1) as plan:
        with pytest.raises(openai.APIConnectionError):
            stream_texts(client, got)
        assert len(got) == 4  # the events before the cut arrived, then the connection closed
        whole: list[str] = []
        stream_texts(client, whole)  # times=1: the next stream is complete
    assert (plan.seen, plan.injected) == (2, 1)
    assert "".join(whole).startswith("".join(got)) and len(whole) > len(got)


def test_non_streamed_requests_pass_and_are_not_counted(url):
    with offline.faults(cut_after=0, times=1) as plan:
        reply = oai(url).chat.completions.create(model=OPENAI_MODEL, messages=ASK,
                                                 max_completion_tokens=5)
        assert reply.choices[0].message.content
        assert plan.seen == 0
        with pytest.raises(openai.APIConnectionError):
            stream_texts(oai(url), [])
    assert plan.injected == 1


def test_anthropic_stream_cut_raises_httpx_protocol_error(url):
    texts = []
    # The anthropic SDK lets httpx's own error through (its httpx may be the httpx2 fork).
    client = claude(url)
    with (offline.faults(cut_after=5), pytest.raises(Exception) as err,
          client.messages.stream(model=ANTHROPIC_MODEL, max_tokens=30, messages=ASK) as s):
        texts.extend(s.text_stream)
    assert type(err.value).__name__ == "RemoteProtocolError"
    assert type(err.value).__module__.split(".")[0] in ("httpx", "httpx2")


def test_status_wins_over_cut_and_header_field(url):
    with offline.faults(status=500, cut_after=2, times=1), pytest.raises(openai.InternalServerError):
        stream_texts(oai(url), [])
    plan = parse_header("cut_after=3; times=1")
    assert isinstance(plan, FaultPlan) and plan.cut_after == 3
    with pytest.raises(ValueError, match="cut_after"):
        FaultPlan(cut_after=-1)
    got: list[str] = []
    with pytest.raises(openai.APIConnectionError):
        stream_texts(oai(url), got, extra_headers={"x-offline-fault": "cut_after=2; id=cut-test"})
    assert len(got) == 2


def test_an_error_event_inside_a_stream(url):
    from course_lib.retries import is_retryable

    texts: list[str] = []
    client = claude(url)
    with (offline.faults(cut_after=3, stream_error=529, times=1), pytest.raises(
            anthropic.APIStatusError) as err,
          client.messages.stream(model=ANTHROPIC_MODEL, max_tokens=30, messages=ASK) as s):
        texts.extend(s.text_stream)
    assert err.value.status_code == 200  # the stream had begun: the error came inside it
    assert err.value.body["error"]["type"] == "overloaded_error" and is_retryable(err.value)
    got: list[str] = []
    with offline.faults(cut_after=3, stream_error=500, times=1), pytest.raises(openai.APIError) as e:
        stream_texts(oai(url), got)
    assert not isinstance(e.value, openai.APIConnectionError) and e.value.type == "server_error"
    assert is_retryable(e.value) and len(got) == 3
    with offline.faults(cut_after=3, stream_error=400, times=1), pytest.raises(openai.APIError) as e:
        stream_texts(oai(url), [])
    assert not is_retryable(e.value)  # an invalid_request_error is not worth a retry
    with pytest.raises(ValueError, match="needs cut_after"):
        FaultPlan(stream_error=529)
    with pytest.raises(ValueError, match="stream_error"):
        FaultPlan(cut_after=1, stream_error=200)
