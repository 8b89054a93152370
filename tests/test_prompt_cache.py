"""Prompt-cache usage helpers: the same numbers from both providers' usage, and OpenAI's rule
checked against the stand-in's accounting through the real SDKs."""

import doctest

import anthropic
import openai
import pytest

from course_lib import models, offline
from course_lib.prompt_cache import cache_usage, cost_without_cache, hit_rate, openai_cached_tokens

KEY = "offline-test"


def test_openai_usage_dict_and_the_cookbook_example():
    usage = {"prompt_tokens": 2006, "completion_tokens": 5, "prompt_tokens_details": {"cached_tokens": 1920}}
    assert cache_usage(usage) == {"prompt": 2006, "cached": 1920, "written": 0, "uncached": 86,
                                  "hit rate": 0.957}


def test_anthropic_usage_counts_reads_and_writes_as_prompt():
    first = {"input_tokens": 21, "cache_creation_input_tokens": 188086, "cache_read_input_tokens": 0,
             "output_tokens": 3}
    second = {**first, "cache_creation_input_tokens": 0, "cache_read_input_tokens": 188086}
    assert cache_usage(first) == {"prompt": 188107, "cached": 0, "written": 188086, "uncached": 21,
                                  "hit rate": 0.0}
    assert cache_usage(second)["cached"] == 188086
    assert hit_rate([first, second]) == pytest.approx(188086 / (2 * 188107))


def test_cost_without_cache_bills_every_input_token_in_full():
    openai_model = models.models("openai")[0]
    usage = {"prompt_tokens": 2000, "completion_tokens": 10, "prompt_tokens_details": {"cached_tokens": 1920}}
    assert cost_without_cache(usage, openai_model.model) == pytest.approx(
        (2000 * openai_model.input + 10 * openai_model.output) / 1e6)
    assert cost_without_cache(usage, openai_model.model) > models.cost(usage, openai_model.model)
    claude = models.models("anthropic")[0]
    write = {"input_tokens": 10, "cache_creation_input_tokens": 5000, "output_tokens": 3}
    assert cost_without_cache(write, claude.model) == pytest.approx((5010 * claude.input + 3 * claude.output) / 1e6)
    assert cost_without_cache(write, claude.model) < models.cost(write, claude.model)  # writes cost extra


def test_empty_inputs():
    assert cache_usage({})["hit rate"] == 0.0
    assert hit_rate([]) == 0.0


@pytest.mark.parametrize("shared, cached", [(0, 0), (1023, 0), (1024, 1024), (1151, 1024),
                                            (1152, 1152), (2006, 1920)])
def test_openai_rule(shared, cached):
    assert openai_cached_tokens(shared) == cached


def test_rule_with_a_minimum_that_is_not_a_whole_step():
    assert openai_cached_tokens(1000, minimum=1000, step=128) == 1000
    assert openai_cached_tokens(1130, minimum=1000, step=128) == 1128


def test_rule_matches_the_stand_in_for_a_repeated_prompt(url):
    offline.reset()
    client = openai.OpenAI(base_url=url + "/v1", api_key=KEY, max_retries=0, timeout=20)
    model = models.models("openai")[0].model
    for words in (150, 200, 900):  # below, just above and well above the minimum
        messages = [{"role": "system", "content": " ".join(f"fact{i}" for i in range(words))},
                    {"role": "user", "content": "Which fact comes first?"}]
        usages = [client.chat.completions.create(model=model, messages=messages,
                                                 max_completion_tokens=5).usage for _ in range(2)]
        assert cache_usage(usages[0])["cached"] == 0
        assert cache_usage(usages[1])["cached"] == openai_cached_tokens(usages[1].prompt_tokens)


def test_hit_rate_reads_anthropic_sdk_objects(url):
    offline.reset()
    client = anthropic.Anthropic(base_url=url, api_key=KEY, max_retries=0, timeout=20)
    info = min(models.models("anthropic"), key=lambda m: m.cache_min_tokens)
    system = [{"type": "text", "text": "Manual. " + "Caches keep prefixes. " * 400,
               "cache_control": {"type": "ephemeral"}}]
    ask = [{"role": "user", "content": "What do caches keep?"}]
    usages = [client.messages.create(model=info.model, max_tokens=10, system=system, messages=ask).usage
              for _ in range(3)]
    rows = [cache_usage(u) for u in usages]
    assert rows[0]["written"] > 0 and rows[0]["cached"] == 0
    assert rows[1]["cached"] == rows[2]["cached"] == rows[0]["written"]
    assert 0.6 < hit_rate(usages) < 2 / 3


def test_docstring_examples():
    from course_lib import prompt_cache

    result = doctest.testmod(prompt_cache)
    assert result.attempted and result.failed == 0
