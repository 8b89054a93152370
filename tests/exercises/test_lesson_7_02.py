"""Lesson 7.2's checks: each rejects wrong answers (with a hint) and accepts a right one."""

from course_lib.exercises import check_confident_nonsense, check_taught_fact
from course_lib.model import ngram
from course_lib.tokens import encoding


def test_taught_fact_needs_enough_repetitions(verdict):
    once = "To sort a list, use sorted."
    out = verdict(check_taught_fact(once), False)
    assert "' sorted'" in out
    assert "To sort a list, use sorted" not in out, "the hint must not hand over the text"
    verdict(check_taught_fact(" ".join([once] * 3)), True)
    assert "Not answered" in verdict(check_taught_fact(None), False)
    verdict(check_taught_fact(42), False)


def test_confident_nonsense(verdict):
    assert "per token" in verdict(check_confident_nonsense("The capital of France is", " Paris"), True)
    verdict(check_confident_nonsense("The capital of France is", " Paris", corpus_name="kitchen"),
            True)
    verdict(check_confident_nonsense(None, " Paris"), False)


def test_confident_nonsense_rejects_what_the_corpus_knows(verdict):
    # The kitchen book says 'When a recipe says "bring to the boil"': the model knows it.
    verdict(check_confident_nonsense("When a recipe says", ' "bring to the boil',
                                     corpus_name="kitchen"), False)


def test_confident_nonsense_decides_on_exact_probabilities(verdict, monkeypatch):
    # Both probabilities are below what the step tables show (3-4 digits: 0.000 and 0.0000),
    # yet the model's own token is 13x likelier than the truth: that passes with margin 10.
    enc = encoding()
    own, true = enc.encode_ordinary(" no"), enc.encode_ordinary(" yes")
    assert len(own) == len(true) == 1

    class Model:
        def next_token_distribution(self, context, k=None):
            return [(own[0], 0.0004), (true[0], 0.00003)][:k]

    monkeypatch.setattr(ngram, "default_model", Model)
    verdict(check_confident_nonsense("Is the answer to this", " yes"), True)
    verdict(check_confident_nonsense("Is the answer to this", " yes", margin=20), False)


def test_confident_nonsense_needs_a_real_prompt(verdict):
    assert "few words" in verdict(check_confident_nonsense("x", "x"), False)
