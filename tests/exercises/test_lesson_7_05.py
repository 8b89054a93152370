"""Lesson 7.5's checks: each rejects wrong answers with a targeted hint, accepts solutions."""

import numpy as np
import pytest

from course_lib.exercises import check_softmax_with_temperature, check_top_p_filter
from course_lib.sampling import softmax_with_temperature, top_p_filter


# ---- 7.5 softmax with temperature


def test_softmax_accepts_the_solution_and_the_library(verdict):
    def mine(logits, t):
        z = np.array(logits, dtype=float)
        if t == 0:
            return (np.arange(len(z)) == z.argmax()).astype(float)
        e = np.exp((z - z.max()) / t)
        return e / e.sum()

    verdict(check_softmax_with_temperature(mine), True)
    verdict(check_softmax_with_temperature(softmax_with_temperature), True)


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
def test_softmax_rejects_wrong_answers(wrong, hint, verdict):
    with np.errstate(all="ignore"):
        result = check_softmax_with_temperature(wrong)
    assert hint in verdict(result, False)


# ---- 7.5 top-p


def test_top_p_accepts_the_solution(verdict):
    def mine(probs, p):
        probs = np.asarray(probs)
        order, total, out = np.argsort(probs)[::-1], 0.0, np.zeros(len(probs))
        for i in order:
            out[i] = probs[i]
            total += probs[i]
            if total >= p:
                break
        return out / out.sum()

    verdict(check_top_p_filter(mine), True)
    verdict(check_top_p_filter(top_p_filter), True)


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
def test_top_p_rejects_wrong_answers(wrong, hint, verdict):
    assert hint in verdict(check_top_p_filter(wrong), False)
