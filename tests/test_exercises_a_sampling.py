"""Checks of lessons 7.4-7.6: each rejects wrong answers and accepts the solutions."""

import numpy as np
import pytest

from course_lib import exercises
from course_lib.exercises import section_a_sampling as checks
from course_lib.sampling import softmax_with_temperature, top_p_filter
from course_lib.tokens import count_chat_tokens, encoding


def test_names_are_exported():
    for name in checks.__all__:
        assert getattr(exercises, name) is getattr(checks, name)


# ---- 7.4 will it fit?


def fits(messages, window, max_tokens):
    return count_chat_tokens(messages) + max_tokens <= window


def test_fits_accepts_the_solution(capsys):
    assert checks.check_fits_window(fits)
    assert checks.check_fits_window(lambda m, w, r: np.int64(count_chat_tokens(m) + r) <= w)
    assert capsys.readouterr().out.count("✅") == 2


def content_only(messages, window, max_tokens):
    enc = encoding("o200k_base")
    return sum(len(enc.encode(m["content"])) for m in messages) + max_tokens <= window


@pytest.mark.parametrize(
    "wrong, hint",
    [
        (None, "Not answered yet"),
        (42, "Give a function"),
        (lambda m, w, r: count_chat_tokens(m) <= w, "The reply shares the window"),
        (lambda m, w, r: count_chat_tokens(m) + r < w, "use <="),
        (content_only, "framing"),
        (lambda m, w, r: True, "window"),
        (lambda m, w, r: "yes", "Return True or False"),
        (lambda m, w, r: None, "Not answered yet"),
        (lambda m, w, r: 1 / 0, "ZeroDivisionError"),
    ],
)
def test_fits_rejects_wrong_answers(wrong, hint, capsys):
    assert not checks.check_fits_window(wrong)
    out = capsys.readouterr().out
    assert out.startswith("❌") and hint in out


# ---- 7.5 softmax with temperature


def test_softmax_accepts_the_solution_and_the_library(capsys):
    def mine(logits, t):
        z = np.array(logits, dtype=float)
        if t == 0:
            return (np.arange(len(z)) == z.argmax()).astype(float)
        e = np.exp((z - z.max()) / t)
        return e / e.sum()

    assert checks.check_softmax_with_temperature(mine)
    assert checks.check_softmax_with_temperature(softmax_with_temperature)
    assert capsys.readouterr().out.count("✅") == 2


def naive(logits, t):  # right except for overflow and T = 0
    e = np.exp(np.array(logits) / t)
    return e / e.sum()


@pytest.mark.parametrize(
    "wrong, hint",
    [
        (None, "Not answered yet"),
        ("softmax", "Give a function"),
        (lambda z, t: np.exp(np.array(z) / t), "divide by their sum"),
        (lambda z, t: softmax_with_temperature(z, 1.0), "no effect"),
        (lambda z, t: softmax_with_temperature(np.array(z) * t, 1.0), "multiplied"),
        (naive, "overflow"),
        (lambda z, t: softmax_with_temperature(z, t or 1.0), "greedy"),
        (lambda z, t: [0.5], "probabilities"),
        (lambda z, t: None, "Not answered yet"),
    ],
)
def test_softmax_rejects_wrong_answers(wrong, hint, capsys):
    with np.errstate(all="ignore"):
        assert not checks.check_softmax_with_temperature(wrong)
    out = capsys.readouterr().out
    assert out.startswith("❌") and hint in out


# ---- 7.5 top-p


def test_top_p_accepts_the_solution(capsys):
    def mine(probs, p):
        probs = np.asarray(probs)
        order, total, out = np.argsort(probs)[::-1], 0.0, np.zeros(len(probs))
        for i in order:
            out[i] = probs[i]
            total += probs[i]
            if total >= p:
                break
        return out / out.sum()

    assert checks.check_top_p_filter(mine)
    assert checks.check_top_p_filter(top_p_filter)
    assert capsys.readouterr().out.count("✅") == 2


def too_few(probs, p):
    probs = np.asarray(probs)
    order, total, out = np.argsort(-probs), 0.0, np.zeros(len(probs))
    for i in order:
        if total + probs[i] > p and total > 0:
            break
        out[i], total = probs[i], total + probs[i]
    return out / out.sum()


@pytest.mark.parametrize(
    "wrong, hint",
    [
        (None, "Not answered yet"),
        (lambda q, p: top_p_filter(q, p) * p, "renormalise"),
        (lambda q, p: np.sort(top_p_filter(q, p))[::-1], "ORDER"),
        (too_few, "too few"),
        (lambda q, p: np.asarray(q), "Too many"),
        (lambda q, p: [1.0], "one probability per token"),
        (lambda q, p: None, "Not answered yet"),
    ],
)
def test_top_p_rejects_wrong_answers(wrong, hint, capsys):
    assert not checks.check_top_p_filter(wrong)
    out = capsys.readouterr().out
    assert out.startswith("❌") and hint in out


# ---- 7.6 quiz


def test_quiz_accepts_the_right_answers_in_any_spelling(capsys):
    solution = checks.quiz_7_6().solution
    assert checks.check_quiz_7_6(solution)
    assert checks.check_quiz_7_6([s.upper() for s in solution])
    assert checks.check_quiz_7_6(["abcd".index(s) for s in solution])
    assert checks.check_quiz_7_6("".join(solution))
    assert capsys.readouterr().out.count("✅ 6/6 correct.") == 4


def test_quiz_prints_one_verdict(capsys):
    # One line per question, then exactly one verdict (the score), as every course quiz.
    solution = checks.quiz_7_6().solution
    all_a = ["a"] * len(solution)
    for answers, verdict in ((solution, "✅ 6/6 correct."),
                             (all_a, f"❌ {solution.count('a')}/6 correct.")):
        checks.check_quiz_7_6(answers)
        lines = capsys.readouterr().out.splitlines()
        assert lines[-1] == verdict
        assert len(lines) == len(solution) + 1


def test_quiz_rejects_wrong_and_missing_answers(capsys):
    solution = checks.quiz_7_6().solution
    wrong = ["a" if s != "a" else "b" for s in solution]
    assert not checks.check_quiz_7_6(wrong)
    assert not checks.check_quiz_7_6(solution[:-1])
    assert not checks.check_quiz_7_6(None)
    assert not checks.check_quiz_7_6("abc")
    out = capsys.readouterr().out
    assert "❌" in out and "Not answered yet" in out


def test_quiz_answers_are_not_all_the_same_letter():
    assert len(set(checks.quiz_7_6().solution)) >= 3
