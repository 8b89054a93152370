"""The stand-in's n-gram model: real, normalised next-token probabilities."""

from __future__ import annotations

import math
import threading

import numpy as np
import pytest

from course_lib.model.ngram import CORPORA, NGramModel, corpus, default_model, sample_index
from course_lib.tokens import encoding

TINY = "the cat sat on the mat. the cat ate."


@pytest.fixture(scope="module")
def model() -> NGramModel:
    return default_model()


@pytest.fixture(scope="module")
def kitchen() -> NGramModel:
    return NGramModel.train(corpus("kitchen"), n=3)


def test_the_docstring_example_interpolates_trigram_and_bigram_counts() -> None:
    tiny = NGramModel.train(TINY, n=3)
    enc = encoding("o200k_base")
    got = {enc.decode([t]): p for t, p in tiny.next_token_distribution(" the cat")}
    assert got == pytest.approx({" ate": 0.625, " sat": 0.375})


@pytest.mark.parametrize(
    "context", ["A list is", "The function", " the", "zzqxv unseen-token-ish ☃", "", [999_999_0]]
)
def test_probabilities_are_positive_sorted_and_sum_to_one(model: NGramModel, context) -> None:
    tokens, probs = model.distribution(context)
    assert len(tokens) == len(probs) > 0
    assert math.isclose(probs.sum(), 1.0, rel_tol=1e-9)
    assert (probs > 0).all() and (np.diff(probs) <= 0).all()
    assert len(set(tokens.tolist())) == len(tokens)


def test_an_unseen_context_backs_off_to_unigram_frequencies() -> None:
    tiny = NGramModel.train(TINY, n=3)
    ids = encoding("o200k_base").encode_ordinary(TINY)
    tokens, probs = tiny.distribution([123_456])  # a token the corpus never contains
    counts = {t: ids.count(t) / len(ids) for t in set(ids)}
    assert dict(zip(tokens.tolist(), probs.tolist(), strict=True)) == pytest.approx(counts)


def test_n_sets_how_much_context_counts() -> None:
    text = "a b c. x b d. a b c."
    unigram, bigram = NGramModel.train(text, n=1), NGramModel.train(text, n=2)
    assert unigram.distribution(" a b")[1].tolist() == unigram.distribution("")[1].tolist()
    # bigram: " b" was followed by " c" twice and " d" once, whatever came before it
    assert [p for _, p in bigram.next_token_distribution("x b")] == pytest.approx([2 / 3, 1 / 3])


def test_the_corpus_decides_what_the_model_says(model: NGramModel, kitchen: NGramModel) -> None:
    enc = encoding("o200k_base")
    docs_top = enc.decode([model.next_token_distribution("Set the", 1)[0][0]])
    kitchen_top = enc.decode([kitchen.next_token_distribution("Set the", 1)[0][0]])
    assert kitchen_top == " oven" and docs_top != kitchen_top
    assert model.generate("A list is", 20, temperature=0) != kitchen.generate(
        "A list is", 20, temperature=0
    )


def test_logits_are_log_probabilities(model: NGramModel) -> None:
    _, logits = model.logits("A list is")
    probs = np.exp(logits - logits.max())
    assert np.allclose(probs / probs.sum(), model.distribution("A list is")[1])


def test_greedy_ignores_the_seed_and_sampling_repeats_with_a_seed(model: NGramModel) -> None:
    greedy = {model.generate("The list", 15, temperature=0, seed=s) for s in range(3)}
    assert len(greedy) == 1
    assert model.generate("The list", 15, seed=7) == model.generate("The list", 15, seed=7)
    assert len({model.generate("The list", 15, seed=s) for s in range(5)}) > 1


def _entropy(samples: list[int]) -> float:
    counts = np.bincount(samples) / len(samples)
    counts = counts[counts > 0]
    return float(-(counts * np.log(counts)).sum())


def test_higher_temperature_gives_more_varied_tokens(model: NGramModel) -> None:
    probs = model.distribution("The")[1]
    entropies = []
    for temperature in (0.3, 1.0, 1.8):
        rng = np.random.default_rng(0)
        entropies.append(
            _entropy([sample_index(probs, temperature, 1.0, rng) for _ in range(1500)])
        )
    assert entropies[0] < entropies[1] < entropies[2]


def test_top_p_keeps_only_the_nucleus(model: NGramModel) -> None:
    probs = model.distribution("The")[1]
    nucleus = int(np.searchsorted(np.cumsum(probs), 0.5)) + 1  # smallest prefix with mass >= 0.5
    rng = np.random.default_rng(1)
    drawn = {sample_index(probs, 1.0, 0.5, rng) for _ in range(2000)}
    assert max(drawn) < nucleus and len(drawn) > 1


def test_sample_index_docstring_example() -> None:
    rng = np.random.default_rng(0)
    drawn = [sample_index(np.array([0.5, 0.3, 0.2]), 1.0, 0.7, rng) for _ in range(4000)]
    assert set(drawn) == {0, 1}
    assert drawn.count(0) / len(drawn) == pytest.approx(0.625, abs=0.03)
    assert sample_index(np.array([0.5, 0.3, 0.2]), 0.0) == 0


def test_the_model_is_safe_to_share_between_threads(model: NGramModel) -> None:
    prompts = [f"The {word}" for word in ("list", "dict", "file", "class", "string", "number")]
    expected = [model.generate(p, 25, seed=3) for p in prompts]
    model._distribution.cache_clear()  # make the threads compute, not just read the cache
    results: dict[int, str] = {}

    def run(i: int) -> None:
        results[i] = model.generate(prompts[i % len(prompts)], 25, seed=3)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(24)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert all(results[i] == expected[i % len(prompts)] for i in range(24))
    with pytest.raises(ValueError):
        model.distribution("The")[1][0] = 1.0  # cached arrays are read-only


def test_corpora_are_the_documented_sizes() -> None:
    enc = encoding("o200k_base")
    docs = (CORPORA / "python_docs.txt").read_bytes()
    assert len(docs) < 1_200_000
    assert docs.startswith(b"Python 3.")  # the version it was built from
    assert 200_000 <= len(enc.encode_ordinary(docs.decode())) <= 240_000
    assert 5_000 <= len(enc.encode_ordinary(corpus("kitchen"))) <= 20_000
