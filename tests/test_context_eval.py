"""course_lib.context_eval: the Lost-in-the-Middle tables and the key-value retrieval harness."""

import json
import re
import uuid

import pytest

from course_lib import context_eval as ce
from course_lib.clients import offline_anthropic_client, offline_openai_client


def test_published_tables_have_the_papers_shape():
    assert sorted(ce.PUBLISHED_QA) == [10, 20, 30]
    for k, by_model in ce.PUBLISHED_QA.items():
        for model, by_position in by_model.items():
            assert min(by_position) == 1 and max(by_position) == k, (k, model)
            assert model in ce.CLOSED_BOOK
    assert "GPT-3.5-Turbo" not in ce.PUBLISHED_QA[30]  # Table 7 leaves the 4K model out
    gpt = ce.PUBLISHED_QA[20]["GPT-3.5-Turbo"]
    assert gpt[1] - min(gpt.values()) == pytest.approx(22.0)  # the paper's ">20%" drop
    assert min(gpt.values()) < ce.CLOSED_BOOK["GPT-3.5-Turbo"]  # worse than no documents
    table = ce.published_accuracy()
    assert list(table.columns) == ["documents", "model", "position", "accuracy"]
    assert len(table) == 6 * 3 + 6 * 5 + 5 * 7


def test_pairs_are_random_uuids_and_reproducible():
    pairs = ce.kv_pairs(75, seed=3)
    assert pairs == ce.kv_pairs(75, seed=3) != ce.kv_pairs(75, seed=4)
    assert len({k for k, _ in pairs}) == 75
    for key, value in pairs[:5]:
        assert uuid.UUID(key).version == 4 and uuid.UUID(value).version == 4
    with pytest.raises(ValueError, match="at least 2"):
        ce.kv_pairs(1)


@pytest.mark.parametrize("where, index", [(0, 0), ("first", 0), ("middle", 5), ("last", 9), (7, 7)])
def test_gold_pair_moves_and_the_rest_stays_in_order(where, index):
    example = ce.kv_example(10, where, seed=1)
    assert example.position == index
    others = [p for p in example.pairs if p[0] != example.key]
    start = ce.kv_example(10, 0, seed=1)
    assert others == [p for p in start.pairs if p[0] != start.key]  # same trial, same pairs
    assert ce.kv_example(10, 0, seed=1, trial=1).pairs != start.pairs


def test_place_rejects_bad_positions():
    with pytest.raises(ValueError, match="outside"):
        ce.place([1, 2, 3], 0, 3)
    with pytest.raises(ValueError, match="first"):
        ce.place([1, 2, 3], 0, "centre")


@pytest.mark.parametrize("query_aware", [False, True])
def test_prompt_holds_valid_json_and_asks_the_key(query_aware):
    example = ce.kv_example(6, 3, seed=0)
    prompt = ce.kv_prompt(example, query_aware=query_aware)
    data = re.search(r"JSON data:\n(\{.*\})", prompt, re.S).group(1)
    assert list(json.loads(data).items()) == list(example.pairs)
    assert prompt.endswith(f'Key: "{example.key}"\nCorresponding value:')
    assert prompt.count(f'Key: "{example.key}"') == (2 if query_aware else 1)


def test_spread():
    assert ce.spread(75, 5) == [0, 18, 37, 56, 74]
    assert ce.spread(3, 10) == [0, 1, 2]
    assert ce.spread(20, 1) == [0]


@pytest.mark.parametrize("make, model", [(offline_openai_client, "gpt-5.4-mini"),
                                         (offline_anthropic_client, "claude-haiku-4-5")])
def test_harness_runs_on_both_providers(make, model):
    results = ce.run_kv_retrieval(make(), model, n_pairs=12, positions=["first", "last"], trials=2)
    assert list(results["position"]) == [0, 11, 0, 11]
    assert results["correct"].all()  # the stand-in looks the key up: no position effect
    assert (results["prompt_tokens"] > 500).all() and (results["cost"] > 0).all()



def test_async_harness_gives_the_same_rows():
    import asyncio

    from course_lib.clients import offline_async_anthropic_client, offline_async_openai_client

    for make, sync_make, model in ((offline_async_openai_client, offline_openai_client, "gpt-5.4-mini"),
                                   (offline_async_anthropic_client, offline_anthropic_client,
                                    "claude-haiku-4-5")):
        args = {"n_pairs": 8, "positions": [0, "middle", 7], "trials": 2, "seed": 5,
                "query_aware": True}
        got = asyncio.run(ce.arun_kv_retrieval(make(), model, concurrency=3, **args))
        want = ce.run_kv_retrieval(sync_make(), model, **args)
        columns = ["position", "trial", "correct", "reply", "prompt_tokens"]
        assert got[columns].equals(want[columns])
