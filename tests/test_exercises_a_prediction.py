"""Checks of lessons 7.0–7.2: each rejects wrong answers (with a hint) and accepts solutions."""

from collections import Counter

import pytest

from course_lib.exercises import (
    MAGIC_QUIZ,
    check_confident_nonsense,
    check_greedy_next,
    check_magic_quiz,
    check_sequence_probability,
    check_taught_fact,
)
from course_lib.offline import ngram
from course_lib.quiz import Quiz
from course_lib.tokens import encoding


def verdict(capsys, ok):
    out = capsys.readouterr().out
    assert out.count("\n") == 1, "a check prints exactly one line"
    assert out.startswith("✅" if ok else "❌"), out
    return out


# -- 7.0 ------------------------------------------------------------------------------------


def test_magic_quiz_accepts_letters_as_the_lesson_documents(capsys):
    # The 7.0 notebook asks for answers like ["a", "c", "b"]; any spelling of a letter works.
    right = MAGIC_QUIZ.solution
    for answers in (right, [a.upper() + ")" for a in right], "".join(right), ", ".join(right)):
        assert check_magic_quiz(answers) is True
        out = capsys.readouterr().out
        assert out.splitlines()[-1] == "✅ 3/3 correct.", out
    assert check_magic_quiz(["abc".index(a) for a in right])  # indices, as in every quiz
    capsys.readouterr()


def test_magic_quiz_rejects_with_the_questions_hint(capsys):
    right = MAGIC_QUIZ.solution
    wrong = ["c" if a != "c" else "a" for a in right]
    assert check_magic_quiz(wrong) is False
    out = capsys.readouterr().out
    assert MAGIC_QUIZ[0].hint in out and out.splitlines()[-1] == "❌ 0/3 correct."
    assert not check_magic_quiz(None) and "Not answered" in verdict(capsys, False)
    assert not check_magic_quiz(["a"]) and "❌" in capsys.readouterr().out
    assert not check_magic_quiz([*right, "a"]) and "❌" in capsys.readouterr().out


def test_magic_quiz_is_a_course_quiz_the_lesson_can_list():
    # Lesson 7.0 prints the questions with: for letter, option in q.options.items()
    assert isinstance(MAGIC_QUIZ, Quiz) and len(MAGIC_QUIZ) == 3
    for q in MAGIC_QUIZ:
        assert [letter for letter, _ in q.options.items()] == ["a", "b", "c"]
        assert q.hint and q.explanation


# -- 7.1 ------------------------------------------------------------------------------------


def greedy_next(counts, context):
    following = Counter({g[-1]: c for g, c in counts.items() if g[:-1] == context})
    return following.most_common(1)[0][0] if following else None


def greedy_next_last_of_ties(counts, context):
    following = {g[-1]: c for g, c in counts.items() if g[:-1] == context}
    return max(sorted(following, reverse=True), key=following.get) if following else None


def sequence_probability(counts, ids):
    n = len(next(iter(counts)))
    p = 1.0
    for i in range(n - 1, len(ids)):
        context = tuple(ids[i - n + 1:i])
        following = {g[-1]: c for g, c in counts.items() if g[:-1] == context}
        p *= following.get(ids[i], 0) / sum(following.values()) if following else 0.0
    return p


def test_greedy_next_accepts_any_correct_tie_break(capsys):
    assert check_greedy_next(greedy_next) and verdict(capsys, True)
    assert check_greedy_next(greedy_next_last_of_ties) and verdict(capsys, True)


@pytest.mark.parametrize(("wrong", "hint"), [
    (lambda counts, context: Counter(g[-1] for g in counts).most_common(1)[0][0], "START"),
    (lambda counts, context: 0.5, "probability"),
    (lambda counts, context: max(g[-1] for g in counts if g[:-1] == context), "context"),
    (None, "Not answered"),
    ("not a function", "function"),
])
def test_greedy_next_rejects_wrong_answers(capsys, wrong, hint):
    assert not check_greedy_next(wrong)
    assert hint in verdict(capsys, False)


def test_sequence_probability(capsys):
    assert check_sequence_probability(sequence_probability) and verdict(capsys, True)


def _adds(counts, ids):
    n = len(next(iter(counts)))
    total = 0.0
    for i in range(n - 1, len(ids)):
        following = {g[-1]: c for g, c in counts.items() if g[:-1] == tuple(ids[i - n + 1:i])}
        total += following.get(ids[i], 0) / sum(following.values()) if following else 0.0
    return total


@pytest.mark.parametrize(("wrong", "hint"), [
    (_adds, "multiply"),
    (lambda counts, ids: 1.0, "probability is"),
    (lambda counts, ids: 1 / 0, "ZeroDivisionError"),
    (lambda counts, ids: None, "None"),
    (None, "Not answered"),
])
def test_sequence_probability_rejects_wrong_answers(capsys, wrong, hint):
    assert not check_sequence_probability(wrong)
    assert hint in verdict(capsys, False)


# -- 7.2 ------------------------------------------------------------------------------------


def test_taught_fact_needs_enough_repetitions(capsys):
    once = "To sort a list, use sorted."
    assert not check_taught_fact(once)
    assert "' sorted'" in verdict(capsys, False)
    assert check_taught_fact(" ".join([once] * 3)) and verdict(capsys, True)
    assert not check_taught_fact(None) and "Not answered" in verdict(capsys, False)
    assert not check_taught_fact(42) and verdict(capsys, False)


def test_confident_nonsense(capsys):
    assert check_confident_nonsense("The capital of France is", " Paris")
    assert "per token" in verdict(capsys, True)
    assert check_confident_nonsense("The capital of France is", " Paris", corpus_name="kitchen")
    verdict(capsys, True)
    assert not check_confident_nonsense(None, " Paris") and verdict(capsys, False)


def test_confident_nonsense_rejects_what_the_corpus_knows(capsys):
    # The kitchen book says 'When a recipe says "bring to the boil"': the model knows it.
    assert not check_confident_nonsense("When a recipe says", ' "bring to the boil',
                                        corpus_name="kitchen")
    verdict(capsys, False)


def test_confident_nonsense_decides_on_exact_probabilities(capsys, monkeypatch):
    # Both probabilities are below what the step tables show (3-4 digits: 0.000 and 0.0000),
    # yet the model's own token is 13x likelier than the truth: that passes with margin 10.
    enc = encoding()
    own, true = enc.encode_ordinary(" no"), enc.encode_ordinary(" yes")
    assert len(own) == len(true) == 1

    class Model:
        def next_token_distribution(self, context, k=None):
            return [(own[0], 0.0004), (true[0], 0.00003)][:k]

    monkeypatch.setattr(ngram, "default_model", Model)
    assert check_confident_nonsense("Is the answer to this", " yes") is True
    verdict(capsys, True)
    assert check_confident_nonsense("Is the answer to this", " yes", margin=20) is False
    verdict(capsys, False)


def test_confident_nonsense_needs_a_real_prompt(capsys):
    assert not check_confident_nonsense("x", "x")
    assert "few words" in verdict(capsys, False)
