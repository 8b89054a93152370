"""course_lib.models: the model table and costs."""

import datetime as dt

import pytest

from course_lib import config, models


def test_table_is_complete_and_sourced():
    rows = models.table()
    assert len({m.model for m in rows}) == len(rows), "duplicate model ids"
    for m in rows:
        assert m.provider in {"openai", "anthropic"}
        assert m.status in {"current", "deprecated", "retired"}
        if m.embedding:  # reads text, writes no tokens (text-embedding-3-*, lesson 7.29)
            assert m.max_output == m.output == 0 and 0 < m.cached_input == m.input
            assert m.provider == "openai" and not m.reasoning_efforts
            continue
        assert 0 < m.max_output <= m.context_window
        assert 0 <= m.cached_input <= m.input <= m.output
        assert m.source and m.as_of and m.confidence in {"high", "medium", "low"}
        if m.status != "current" or m.shutdown:
            assert m.status != "current" or m.shutdown > dt.date(2026, 11, 1)
        if m.status in {"deprecated", "retired"}:
            assert m.shutdown is not None, f"{m.model}: deprecated/retired needs a date"


def test_defaults_are_current_and_accept_sampling_parameters():
    for provider in ("openai", "anthropic"):
        info = models.get(config.DEFAULT_MODELS[provider])
        assert info.provider == provider
        assert info.status == "current"
        assert info.temperature and info.top_p
    assert models.get(config.DEFAULT_MODELS["openai"]).logprobs


def test_snapshot_ids_fall_back_to_their_alias():
    assert models.get("gpt-4o-2024-08-06").model == "gpt-4o"
    assert models.get("claude-haiku-4-5-20251001").model == "claude-haiku-4-5"


def test_unknown_model_suggests_close_ids():
    with pytest.raises(models.UnknownModelError, match="gpt-4o-mini"):
        models.get("gpt-4o-mimi")


def test_openai_cost_discounts_cached_tokens():
    usage = {"prompt_tokens": 2006, "completion_tokens": 100, "prompt_tokens_details": {"cached_tokens": 1920}}
    info = models.get("gpt-4o")
    expected = (86 * info.input + 1920 * info.cached_input + 100 * info.output) / 1e6
    assert models.cost(usage, "gpt-4o") == pytest.approx(expected)


def test_anthropic_cost_counts_cache_writes_and_reads():
    usage = {"input_tokens": 21, "cache_creation_input_tokens": 1000, "cache_read_input_tokens": 0, "output_tokens": 10}
    # Haiku 4.5: $1 input, $1.25 cache write, $5 output per 1M tokens (pricing page, Feb 2026).
    assert models.cost(usage, "claude-haiku-4-5") == pytest.approx((21 * 1 + 1000 * 1.25 + 10 * 5) / 1e6)


def test_cost_accepts_sdk_usage_objects():
    from openai.types import CompletionUsage

    usage = CompletionUsage(prompt_tokens=1000, completion_tokens=500, total_tokens=1500)
    assert models.cost(usage, "gpt-4o-mini") == pytest.approx((1000 * 0.15 + 500 * 0.60) / 1e6)


def test_listing_hides_retired_models_unless_asked():
    assert not any(m.retired for m in models.models("openai"))
    assert any(m.retired for m in models.models("openai", include_retired=True))


def test_find_returns_none_for_unknown_or_other_provider():
    assert models.find("gpt-4o-mini", "openai").model == "gpt-4o-mini"
    assert models.find("gpt-4o-mini", "anthropic") is None
    assert models.find("no-such-model") is None
    assert models.find("claude-haiku-4-5-20251001", "anthropic").model == "claude-haiku-4-5"
