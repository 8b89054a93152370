"""Lesson 7.4's check: rejects wrong answers with a targeted hint, accepts the solution."""

import numpy as np
import pytest

from course_lib.exercises import check_fits_window
from course_lib.tokens import count_chat_tokens, encoding


def fits(messages, window, max_completion_tokens):
    return count_chat_tokens(messages) + max_completion_tokens <= window


def test_fits_accepts_the_solution(verdict):
    verdict(check_fits_window(fits), True)
    verdict(check_fits_window(lambda m, w, r: np.int64(count_chat_tokens(m) + r) <= w), True)


def content_only(messages, window, max_completion_tokens):
    enc = encoding("o200k_base")
    return sum(len(enc.encode(m["content"])) for m in messages) + max_completion_tokens <= window


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
def test_fits_rejects_wrong_answers(wrong, hint, verdict):
    out = verdict(check_fits_window(wrong), False)
    assert hint in out
    assert "<=" not in out or "use <=" in out, "the hint must not give the formula away"


def test_fits_fallback_hint_does_not_give_the_formula_away(verdict):
    out = verdict(check_fits_window(lambda m, w, r: True), False)
    assert "max_completion_tokens <= window" not in out and "share the window" in out
