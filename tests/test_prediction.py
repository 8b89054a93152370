"""course_lib.prediction: next-token tables, step-by-step generation, corpus look-ups."""

import random
from types import SimpleNamespace

import matplotlib
import numpy as np
import pytest

from course_lib.model.ngram import NGramModel
from course_lib.prediction import (
    continuation_probabilities,
    copied_pieces,
    generation_steps,
    logprob_steps,
    longest_verbatim_span,
    next_token_table,
    plot_next_tokens,
    snippet,
    token_label,
    token_probabilities,
)
from course_lib.tokens import encoding

matplotlib.use("Agg")
ENC = encoding("o200k_base")
THE, A, DOT = ENC.encode(" the")[0], ENC.encode(" a")[0], ENC.encode(".")[0]
TEXT = "the cat sat on the mat. the cat ate the hat. the dog sat on the cat."


def test_token_label_shows_whitespace_and_partial_characters():
    assert token_label(THE) == "' the'"
    assert token_label("\n") == repr("\n")
    assert token_label(b"\xf0\x9f") == repr(b"\xf0\x9f")  # half an emoji stays bytes


def test_next_token_table_ranks_and_cuts():
    table = next_token_table({A: 0.25, THE: 0.5, DOT: 0.25}, k=2)
    assert list(table["token"]) == ["' the'", "' a'"]  # ties keep their order
    assert list(table["id"]) == [THE, A]
    assert list(table.index) == [1, 2] and table.index.name == "rank"
    texts = next_token_table([("Paris", 0.9), (" Lyon", 0.1)])
    assert "id" not in texts.columns and list(texts["token"]) == ["'Paris'", "' Lyon'"]


def _predict_from(text: str, n: int = 2):
    ids = ENC.encode(text)
    grams = list(zip(*(ids[i:] for i in range(n)), strict=False))

    def predict(context):
        after = [g[-1] for g in grams if list(g[:-1]) == context[-(n - 1):]]
        return {t: after.count(t) / len(after) for t in dict.fromkeys(after)}

    return predict


def test_greedy_generation_records_every_step():
    generation = generation_steps(_predict_from(TEXT), "the", 6)
    assert generation.text == ENC.decode(generation.ids)
    assert len(generation.steps) == 6
    assert list(generation.steps.columns) == [
        "context ends", "#1", "#2", "#3", "pick", "p(pick)"]
    assert (generation.steps["pick"] == generation.steps["#1"].str.rsplit(" ", n=1).str[0]).all()


def test_sampled_generation_is_reproducible_and_can_leave_the_top():
    predict = _predict_from(TEXT)
    runs = [generation_steps(predict, "the", 12, rng=np.random.default_rng(s)) for s in range(6)]
    again = generation_steps(predict, "the", 12, rng=np.random.default_rng(0))
    assert runs[0].ids == again.ids
    assert len({tuple(r.ids) for r in runs}) > 1
    picks_not_top = sum(
        (r.steps["pick"] != r.steps["#1"].str.rsplit(" ", n=1).str[0]).sum() for r in runs)
    assert picks_not_top > 0


def test_generation_stops_at_a_dead_end():
    generation = generation_steps(lambda ids: {} if len(ids) > 1 else {THE: 1.0}, "x", 5)
    assert generation.ids == [THE] and len(generation.steps) == 1


def test_greedy_steps_match_the_ngram_models_own_greedy_generation():
    model = NGramModel.train(TEXT * 3, n=3)
    generation = generation_steps(model.next_token_distribution, "the cat", 10)
    assert generation.text == model.generate("the cat", 10, temperature=0)


def test_logprob_steps_reads_sdk_objects_and_raw_json():
    item = {"token": " Paris", "logprob": np.log(0.8),
            "top_logprobs": [{"token": " Paris", "logprob": np.log(0.8)},
                             {"token": " Lyon", "logprob": np.log(0.15)}]}
    as_objects = [SimpleNamespace(token=item["token"], logprob=item["logprob"],
                                  top_logprobs=[SimpleNamespace(**t) for t in item["top_logprobs"]])]
    for content in ([item, item], as_objects):
        table = logprob_steps(content)
        assert table.loc[1, "context ends"] == "(the prompt)"
        assert table.loc[1, "#1"] == "' Paris' 0.80" and table.loc[1, "#3"] == ""
        assert table.loc[1, "p(pick)"] == 0.8
    assert logprob_steps([item, item]).loc[2, "context ends"] == "…' Paris'"


def test_token_probabilities_rank_known_and_unknown_tokens():
    table = token_probabilities(_predict_from(TEXT), "the", " cat sat on the moon")
    assert table.loc[1, "token"] == "' cat'" and table.loc[1, "rank"] == 1
    assert table.loc[len(table), "probability"] == 0.0  # " moon" never follows " the"
    assert table["rank"].isna().iloc[-1] and table.loc[1, "rank"] == 1


@pytest.mark.parametrize(("text", "corpus", "span"), [
    ("the cat sat", "a cat sat down", " cat sat"),
    ("xyz", "abc", ""),
    ("abcabc", "zabcabcz", "abcabc"),
])
def test_longest_verbatim_span_examples(text, corpus, span):
    found, where = longest_verbatim_span(text, corpus)
    assert found == span
    assert where == (corpus.find(span) if span else -1)


def test_longest_verbatim_span_matches_brute_force():
    rng = random.Random(7)
    for _ in range(200):
        text = "".join(rng.choice("abc") for _ in range(rng.randint(0, 12)))
        corpus = "".join(rng.choice("abcd") for _ in range(rng.randint(0, 30)))
        best = max((text[i:j] for i in range(len(text)) for j in range(i, len(text) + 1)
                    if text[i:j] in corpus), key=len, default="")
        assert len(longest_verbatim_span(text, corpus)[0]) == len(best)


def test_snippet_marks_the_span_and_its_line():
    corpus = "first line\nsecond line has the span here\nthird"
    start = corpus.find("the span")
    assert snippet(corpus, start, 8, width=7) == "line 2: …ne has ⟦the span⟧ here⏎t…"


def test_plot_next_tokens_draws_one_bar_per_candidate():
    ax = plot_next_tokens({THE: 0.6, A: 0.3, DOT: 0.1}, k=2, title="after 'on'")
    assert len(ax.patches) == 2 and ax.get_title() == "after 'on'"
    assert [t.get_text() for t in ax.get_yticklabels()] == ["' the'", "' a'"]


def test_copied_pieces_cover_the_text_with_real_pieces():
    assert copied_pieces("the cat ate", "the cat sat. we ate") == [("the cat ", 0), ("ate", 16)]
    assert copied_pieces("xa", "a") == [("x", -1), ("a", 0)]
    rng = random.Random(3)
    for _ in range(100):
        text = "".join(rng.choice("abc") for _ in range(rng.randint(0, 15)))
        corpus = "".join(rng.choice("abc") for _ in range(rng.randint(1, 40)))
        pieces = copied_pieces(text, corpus)
        assert "".join(p for p, _ in pieces) == text
        for piece, start in pieces:
            assert start == corpus.find(piece)


def test_exact_probabilities_beside_the_rounded_tables():
    # Tables round for display (p(pick) to 3 digits, probability to 4); decisions need the
    # exact values, which Generation.probabilities and continuation_probabilities keep.
    probs = {THE: 0.123456789, A: 0.0000123}

    def predict(ids):
        return probs

    generation = generation_steps(predict, "x", 3)
    assert generation.probabilities == [0.123456789] * 3
    assert list(generation.steps["p(pick)"]) == [0.123] * 3
    assert continuation_probabilities(predict, "x", " a the") == [0.0000123, 0.123456789]
    table = token_probabilities(predict, "x", " a the")
    assert list(table["probability"]) == [0.0, 0.1235]
