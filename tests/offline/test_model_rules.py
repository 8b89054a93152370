"""The OpenAI stand-in refuses what the real API refuses, per model (facts.md §11, §13),
seen through the real SDK: status, type, code, param and message."""

from __future__ import annotations

import openai
import pytest

from course_lib import models
from course_lib.clients import OFFLINE_KEY

HI = [{"role": "user", "content": "Say hi."}]


@pytest.fixture(scope="module")
def client(url):
    return openai.OpenAI(base_url=f"{url}/v1", api_key=OFFLINE_KEY, max_retries=0)


def refused(client, **params) -> openai.BadRequestError:
    params.setdefault("messages", HI)
    with pytest.raises(openai.BadRequestError) as err:
        client.chat.completions.create(**params)
    body = err.value.body
    assert err.value.status_code == 400 and body["type"] == "invalid_request_error"
    return err.value


def accepted(client, **params):
    params.setdefault("messages", HI)
    params.setdefault("max_completion_tokens", 16)
    return client.chat.completions.create(**params)


GPT5 = [m.model for m in models.models("openai") if m.model.startswith("gpt-5")]


@pytest.mark.parametrize("model", GPT5)
def test_the_whole_gpt5_family_wants_max_completion_tokens(client, model):
    err = refused(client, model=model, max_tokens=8)
    assert (err.code, err.param) == ("unsupported_parameter", "max_tokens")
    assert err.body["message"] == ("Unsupported parameter: 'max_tokens' is not supported with this "
                                   "model. Use 'max_completion_tokens' instead.")


def test_older_models_still_take_max_tokens(client):
    assert accepted(client, model="gpt-4o-mini", max_tokens=8, max_completion_tokens=None)


@pytest.mark.parametrize("model", [m.model for m in models.models("openai") if not m.stop])
def test_stop_is_refused_where_the_table_says_so(client, model):
    err = refused(client, model=model, max_completion_tokens=8, stop=["."])
    assert (err.code, err.param) == ("unsupported_parameter", "stop")


def test_stop_still_works_on_gpt_4o(client):
    assert accepted(client, model="gpt-4o-mini", stop=["."]).choices[0].finish_reason in {"stop", "length"}


@pytest.mark.parametrize("knob, value, code", [("temperature", 0.2, "unsupported_value"),
                                               ("top_p", 0.5, "unsupported_parameter"),
                                               ("logprobs", True, "unsupported_parameter")])
def test_reasoning_on_refuses_sampling_knobs(client, knob, value, code):
    err = refused(client, model="gpt-5.4-mini", max_completion_tokens=8, reasoning_effort="low",
                  **{knob: value})
    assert (err.code, err.param) == (code, knob)


def test_temperature_message_is_the_real_one(client):
    err = refused(client, model="gpt-5.4-mini", max_completion_tokens=8, reasoning_effort="high",
                  temperature=0.2)
    assert err.body["message"] == ("Unsupported value: 'temperature' does not support 0.2 with this "
                                   "model. Only the default (1) value is supported.")


def test_reasoning_off_accepts_them_and_temperature_1_is_always_fine(client):
    assert accepted(client, model="gpt-5.4-mini", reasoning_effort="none", temperature=0.2,
                    top_p=0.5, logprobs=True)
    assert accepted(client, model="gpt-5.4-mini", temperature=0.2, logprobs=True)  # default: none
    assert accepted(client, model="gpt-5.4-mini", reasoning_effort="low", temperature=1)


def test_always_reasoning_models_refuse_them_without_an_effort(client):
    err = refused(client, model="gpt-5-mini", max_completion_tokens=8, temperature=0.5)
    assert err.param == "temperature"


@pytest.mark.parametrize("model, effort", [("gpt-5.4-mini", "minimal"), ("gpt-5-mini", "none"),
                                           ("gpt-5.4-mini", "extreme")])
def test_efforts_are_per_generation(client, model, effort):
    err = refused(client, model=model, max_completion_tokens=8, reasoning_effort=effort)
    assert (err.code, err.param) == ("unsupported_value", "reasoning_effort")
    assert "Supported values are:" in err.body["message"]


def test_efforts_each_generation_accepts(client):
    for model, effort in [("gpt-5.4-mini", "xhigh"), ("gpt-5-mini", "minimal"), ("gpt-5.2", "none")]:
        assert accepted(client, model=model, reasoning_effort=effort)


def test_a_model_that_does_not_reason_refuses_an_effort(client):
    err = refused(client, model="gpt-4o-mini", max_completion_tokens=8, reasoning_effort="low")
    assert (err.code, err.param) == ("unsupported_parameter", "reasoning_effort")


def test_gpt5_input_is_capped_at_272k_of_its_400k_window(client):
    long = "word " * 280_000
    err = refused(client, model="gpt-5.4-mini", max_completion_tokens=8,
                  messages=[{"role": "user", "content": long}])
    assert err.code == "context_length_exceeded"
    assert err.body["message"].startswith("Input tokens exceed the configured limit of 272000 tokens.")


def test_streaming_requests_are_checked_the_same_way(client):
    with pytest.raises(openai.BadRequestError) as err:
        client.chat.completions.create(model="gpt-5.4-mini", messages=HI, stream=True, max_tokens=8)
    assert err.value.param == "max_tokens"
