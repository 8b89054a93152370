"""The Anthropic stand-in refuses what the real API refuses (facts.md §11-13), through the SDK.

Each rule names its evidence beside the check in ``course_lib/offline/anthropic_checks.py``.
Models are picked from the table by what they accept, so a new row or a retirement changes the
model a test uses, not the test.
"""

from __future__ import annotations

import datetime as dt
import warnings

import anthropic
import pytest

from course_lib import models
from course_lib.clients import OFFLINE_KEY
from course_lib.config import DEFAULT_MODELS
from course_lib.offline.anthropic import checks
from course_lib.today import today

DEFAULT = DEFAULT_MODELS["anthropic"]  # claude-haiku-4-5
HELLO = [{"role": "user", "content": "What is the weather in Paris?"}]
WEATHER = {
    "name": "get_weather",
    "description": "Current weather for a city.",
    "input_schema": {
        "type": "object",
        "properties": {"city": {"type": "string"}},
        "required": ["city"],
    },
}
BUDGET = {"type": "enabled", "budget_tokens": 1024}


def current(kind: str) -> str:
    """A current Anthropic model that takes ``thinking`` of this kind ("enabled" / "adaptive")."""
    return next(
        m.model
        for m in models.models("anthropic")
        if kind in checks.THINKING_ON[m.model] and m.temperature
    )


def refusing(kind: str) -> str:
    return next(
        m.model for m in models.models("anthropic") if kind not in checks.THINKING_ON[m.model]
    )


@pytest.fixture(scope="module")
def client(url: str) -> anthropic.Anthropic:
    return anthropic.Anthropic(base_url=url, api_key=OFFLINE_KEY, max_retries=0, timeout=20)


def create(client: anthropic.Anthropic, **kwargs):
    kwargs.setdefault("model", DEFAULT)
    kwargs.setdefault("messages", HELLO)
    kwargs.setdefault("max_tokens", 2048)
    return client.messages.create(**kwargs)


def refused(client: anthropic.Anthropic, **kwargs) -> str:
    """The message of the 400 the request gets (an invalid_request_error)."""
    with pytest.raises(anthropic.BadRequestError) as err:
        create(client, **kwargs)
    assert err.value.status_code == 400
    assert err.value.body["error"]["type"] == "invalid_request_error"
    return err.value.body["error"]["message"]


def test_every_anthropic_row_says_which_thinking_it_takes():
    rows = {m.model for m in models.table() if m.provider == "anthropic"}
    assert rows <= set(checks.THINKING_ON), rows - set(checks.THINKING_ON)


# ---------------------------------------------------------------------------------------
# Extended thinking


def test_thinking_with_a_forced_tool_choice_is_refused(client):
    for choice in ({"type": "any"}, {"type": "tool", "name": "get_weather"}):
        message = refused(client, tools=[WEATHER], tool_choice=choice, thinking=BUDGET)
        assert message == "Thinking may not be enabled when tool_choice forces tool use."
    adaptive = current("adaptive")
    message = refused(
        client,
        model=adaptive,
        tools=[WEATHER],
        tool_choice={"type": "any"},
        thinking={"type": "adaptive"},
    )
    assert message == "Thinking may not be enabled when tool_choice forces tool use."
    for choice in ({"type": "auto"}, {"type": "none"}):
        assert create(client, tools=[WEATHER], tool_choice=choice, thinking=BUDGET).content
    # forcing the tool is fine once thinking is off
    forced = create(
        client, tools=[WEATHER], tool_choice={"type": "any"}, thinking={"type": "disabled"}
    )
    assert forced.stop_reason == "tool_use"


def test_budget_tokens_bounds(client):
    message = refused(client, thinking={"type": "enabled", "budget_tokens": 1023})
    assert (
        message == "thinking.enabled.budget_tokens: Input should be greater than or equal to 1024"
    )
    for max_tokens in (1024, 1000):
        message = refused(client, max_tokens=max_tokens, thinking=BUDGET)
        assert message.startswith("`max_tokens` must be greater than `thinking.budget_tokens`.")
    assert create(client, max_tokens=1025, thinking=BUDGET).content
    message = refused(client, thinking={"type": "enabled"})
    assert message == "thinking.enabled.budget_tokens: Field required"
    assert "does not match any of the expected tags" in refused(client, thinking={"type": "on"})
    with pytest.raises(anthropic.BadRequestError) as err:  # count_tokens checks the budget too
        client.messages.count_tokens(
            model=DEFAULT, messages=HELLO, thinking={"type": "enabled", "budget_tokens": 10}
        )
    assert "greater than or equal to 1024" in err.value.body["error"]["message"]


def test_each_model_takes_its_own_kind_of_thinking(client):
    assert (
        "enabled" in checks.THINKING_ON[DEFAULT] and "adaptive" not in checks.THINKING_ON[DEFAULT]
    )
    assert (
        refused(client, thinking={"type": "adaptive"})
        == "adaptive thinking is not supported on this model"
    )
    message = refused(client, model=refusing("enabled"), thinking=BUDGET)
    assert message.startswith('"thinking.type.enabled" is not supported for this model.')
    assert create(client, model=refusing("enabled"), thinking={"type": "adaptive"}).content
    assert create(client, model=current("adaptive"), thinking={"type": "adaptive"}).content


def test_sampling_parameters_with_thinking(client):
    message = refused(client, thinking=BUDGET, extra_body={"temperature": 0.5})
    assert message.startswith("`temperature` may only be set to 1 when thinking is enabled")
    assert create(client, thinking=BUDGET, extra_body={"temperature": 1}).content
    message = refused(client, thinking=BUDGET, extra_body={"top_k": 5})
    assert message.startswith("`top_k` must be unset when thinking is enabled.")
    assert "top_p" in refused(client, thinking=BUDGET, extra_body={"top_p": 0.5})
    assert create(client, thinking=BUDGET, extra_body={"top_p": 0.95}).content
    # thinking off: the knobs are back
    assert create(client, thinking={"type": "disabled"}, extra_body={"temperature": 0.5}).content


def test_a_thinking_reply_starts_with_a_thinking_block(client):
    m = create(client, thinking=BUDGET)
    assert [b.type for b in m.content][:2] == ["thinking", "text"]
    assert m.content[0].thinking and m.content[0].signature  # summarized: says it did not reason
    assert "does not reason" in m.content[0].thinking
    plain = create(client)
    assert m.usage.output_tokens > 0 and plain.content[0].type == "text"
    with client.messages.stream(
        model=DEFAULT, max_tokens=2048, messages=HELLO, thinking=BUDGET
    ) as stream:
        kinds = [e.type for e in stream]
        final = stream.get_final_message()
    assert "thinking" in kinds and "signature" in kinds
    assert (
        final.content[0].type == "thinking" and final.content[0].signature == m.content[0].signature
    )
    omitted = create(
        client, thinking={"type": "enabled", "budget_tokens": 1024, "display": "omitted"}
    )
    assert omitted.content[0].thinking == "" and omitted.content[0].signature


def test_tool_turns_keep_their_thinking_block(client):
    first = create(client, tools=[WEATHER], thinking=BUDGET)
    assert first.stop_reason == "tool_use"
    use = next(b for b in first.content if b.type == "tool_use")
    result = {
        "role": "user",
        "content": [{"type": "tool_result", "tool_use_id": use.id, "content": "18C"}],
    }
    history = [*HELLO, {"role": "assistant", "content": first.content}, result]
    assert create(client, tools=[WEATHER], thinking=BUDGET, messages=history).content
    stripped = [b for b in first.content if b.type != "thinking"]
    history = [*HELLO, {"role": "assistant", "content": stripped}, result]
    message = refused(client, tools=[WEATHER], thinking=BUDGET, messages=history)
    assert message.startswith(
        "messages.1.content.0.type: Expected `thinking` or `redacted_thinking`"
    )
    assert create(client, tools=[WEATHER], messages=history).content  # thinking off: no rule
    prefill = [*HELLO, {"role": "assistant", "content": [first.content[0]]}]
    message = refused(client, messages=prefill)
    assert "When thinking is disabled, an `assistant` message in the final position" in message


# ---------------------------------------------------------------------------------------
# Sampling, effort and output limits on the default model


def test_temperature_and_top_p_together_are_refused(client):
    message = refused(client, extra_body={"temperature": 0.5, "top_p": 0.9})
    assert message == (
        "`temperature` and `top_p` cannot both be specified for this model. Please use only one."
    )
    assert create(client, extra_body={"temperature": 0.5}).content
    assert create(client, extra_body={"top_p": 0.9}).content


def test_effort_only_where_the_model_has_it(client):
    assert refused(client, output_config={"effort": "low"}) == (
        "This model does not support the effort parameter."
    )
    assert create(client, model=checks.EFFORT_MODELS[-1], output_config={"effort": "low"}).content
    assert "Input should be" in refused(
        client, model=checks.EFFORT_MODELS[-1], output_config={"effort": "extreme"}
    )


def test_max_tokens_above_the_models_output_limit(client):
    info = models.get(DEFAULT)
    message = refused(client, max_tokens=info.max_output + 1)
    assert message == (
        f"max_tokens: {info.max_output + 1} > {info.max_output}, which is the maximum allowed "
        f"number of output tokens for {DEFAULT}"
    )
    assert create(client, max_tokens=info.max_output, messages=[{"role": "user", "content": "Hi"}])


def test_empty_and_whitespace_text_and_prefills(client):
    user = {"role": "user", "content": "Hi"}
    message = refused(client, messages=[{"role": "user", "content": ""}])
    assert message == (
        "messages.0: all messages must have non-empty content except for the optional final "
        "assistant message"
    )
    message = refused(
        client, messages=[{"role": "user", "content": [{"type": "text", "text": ""}]}]
    )
    assert message == "messages: text content blocks must be non-empty"
    message = refused(
        client, messages=[{"role": "user", "content": [{"type": "text", "text": "  "}]}]
    )
    assert message == "messages: text content blocks must contain non-whitespace text"
    message = refused(client, messages=[user, {"role": "assistant", "content": "The answer is "}])
    assert message == "messages: final assistant content cannot end with trailing whitespace"
    assert create(
        client, messages=[user, {"role": "assistant", "content": "The answer is"}]
    ).content
    assert create(
        client, messages=[user, {"role": "assistant", "content": "Hi there! "}, user]
    ).content
    message = refused(client, messages=[user, {"role": "assistant", "content": []}, user])
    assert message.startswith("messages.1: all messages must have non-empty content")


def test_tool_results_come_first(client):
    first = create(client, tools=[WEATHER], tool_choice={"type": "any"})
    use = next(b for b in first.content if b.type == "tool_use")
    result = {"type": "tool_result", "tool_use_id": use.id, "content": "18C"}
    turn = {"role": "assistant", "content": first.content}
    ok = [
        *HELLO,
        turn,
        {"role": "user", "content": [result, {"type": "text", "text": "And Rome?"}]},
    ]
    assert create(client, tools=[WEATHER], messages=ok).content
    late = [*HELLO, turn, {"role": "user", "content": [{"type": "text", "text": "Here:"}, result]}]
    message = refused(client, tools=[WEATHER], messages=late)
    assert message.startswith("messages.2: Did not find 1 `tool_result` block(s) at the beginning")


def test_structured_output_objects_must_be_closed(client):
    schema = {"type": "object", "properties": {"city": {"type": "string"}}, "required": ["city"]}
    message = refused(client, output_config={"format": {"type": "json_schema", "schema": schema}})
    assert message == (
        "output_config.format.schema: For 'object' type, 'additionalProperties' must be "
        "explicitly set to false"
    )
    opened = {**schema, "additionalProperties": True}
    message = refused(client, output_config={"format": {"type": "json_schema", "schema": opened}})
    assert "'additionalProperties: true' is not supported" in message
    inner = {**schema, "additionalProperties": False, "properties": {"at": schema}}
    assert "must be explicitly set to false" in refused(
        client, output_config={"format": {"type": "json_schema", "schema": inner}}
    )
    closed = {**schema, "additionalProperties": False}
    m = create(client, output_config={"format": {"type": "json_schema", "schema": closed}})
    assert m.content[0].type == "text"


# ---------------------------------------------------------------------------------------
# GET /v1/models


def listed() -> list[models.ModelInfo]:
    """The models the real list shows by default (active and deprecated), newest first."""
    day = today()
    rows = [
        m for m in models.table() if m.provider == "anthropic" and m.status_on(day) != "retired"
    ]
    return sorted(rows, key=lambda m: m.released or dt.date.min, reverse=True)


def test_auto_pagination_walks_every_current_model_once(client):
    expected = [m.model for m in listed()]
    assert len(expected) > 2  # so limit=2 really pages
    walked = [m.id for m in client.models.list(limit=2)]
    assert walked == expected
    first = client.models.list(limit=2)
    assert first.has_more and [m.id for m in first.data] == expected[:2]
    assert first.first_id == expected[0] and first.last_id == expected[1]
    last = client.models.list(after_id=expected[-2])
    assert [m.id for m in last.data] == expected[-1:] and last.has_more is False
    back = client.models.list(before_id=expected[-1], limit=1)
    assert [m.id for m in back.data] == [expected[-2]] and back.has_more is (len(expected) > 2)
    assert [m.id for m in client.models.list().data] == expected[:20]  # default limit 20


def test_list_limit_bounds(client):
    for limit in (0, 1001):
        with pytest.raises(anthropic.BadRequestError) as err:
            client.models.list(limit=limit)
        assert err.value.body["error"]["type"] == "invalid_request_error"
        assert err.value.body["error"]["message"].startswith("limit: Input should be")
    assert client.models.list(limit=1000).has_more is False


def test_retired_models_only_on_request(client):
    day = today()
    retired = [
        m.model
        for m in models.table()
        if m.provider == "anthropic" and m.status_on(day) == "retired"
    ]
    if not retired:
        pytest.skip("no Anthropic model in the table is retired on this date")
    assert not set(retired) & {m.id for m in client.models.list(limit=1000)}
    shown = client.models.list(lifecycle=["retired"], limit=1000)
    assert {m.id for m in shown} == set(retired) and {m.lifecycle for m in shown} == {"retired"}
    info = client.models.retrieve(retired[0])  # still described, as the historical record
    assert info.lifecycle == "retired" and info.retires_at is not None
    with warnings.catch_warnings(), pytest.raises(anthropic.NotFoundError) as err:
        warnings.simplefilter("ignore", DeprecationWarning)  # the SDK's own end-of-life warning
        create(client, model=retired[0])  # but a request naming it fails
    assert err.value.body["error"]["type"] == "not_found_error"


def test_retrieve_fields_come_from_the_table(client):
    info = models.get(DEFAULT)
    got = client.models.retrieve(DEFAULT)
    assert isinstance(got, anthropic.types.ModelInfo)
    assert got.id == DEFAULT and got.type == "model"
    assert got.display_name == info.display_name == "Claude Haiku 4.5"
    assert got.created_at == dt.datetime.combine(info.released, dt.time(), dt.UTC)
    assert got.max_input_tokens == info.max_input and got.max_tokens == info.max_output
    assert got.lifecycle == (
        "active" if info.status_on(today()) == "current" else info.status_on(today())
    )
    assert got.line == "haiku"
    raw = client.models.with_raw_response.retrieve(DEFAULT).http_response.json()
    assert raw["created_at"] == f"{info.released.isoformat()}T00:00:00Z"
    with pytest.raises(anthropic.NotFoundError) as err:
        client.models.retrieve("claude-imaginary-9")
    assert err.value.body["error"]["type"] == "not_found_error"
