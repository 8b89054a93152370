"""Lesson 7.26's checks: each rejects wrong answers with a targeted hint and accepts the solution."""

import numpy as np
import pytest

from course_lib.exercises import check_kv_cache_bytes, check_stable_layout


def kv_bytes(config, tokens, bytes_per_element):
    return 2 * config.layers * config.kv_heads * config.head_dim * bytes_per_element * tokens


def test_kv_accepts_the_solution(verdict):
    out = verdict(check_kv_cache_bytes(kv_bytes), True)
    assert "2 GiB" in out
    verdict(check_kv_cache_bytes(lambda c, t, b: np.int64(kv_bytes(c, t, b))), True)
    verdict(check_kv_cache_bytes(lambda c, t, b: float(kv_bytes(c, t, b))), True)


@pytest.mark.parametrize(
    "wrong, hint",
    [
        (None, "Not answered yet"),
        ("2 GB", "Give a function"),
        (lambda c, t, b: None, "Not answered yet"),
        (lambda c, t, b: "lots", "Return a number"),
        (lambda c, t, b: kv_bytes(c, t, b) // 2, "a key and a value"),
        (lambda c, t, b: 2 * c.layers * c.heads * c.head_dim * b * t, "kv_heads"),
        (lambda c, t, b: kv_bytes(c, t, b) * 8, "bits"),
        (lambda c, t, b: 2 * c.layers * c.kv_heads * c.head_dim * 16 * t, "bits"),
        (lambda c, t, b: kv_bytes(c, 1, b), "multiply by the number of tokens"),
        (lambda c, t, b: kv_bytes(c, t, b) + 1, "multiply 2 (K and V)"),
        (lambda c, t, b: 1 / 0, "ZeroDivisionError"),
    ],
)
def test_kv_rejects_wrong_answers(wrong, hint, verdict):
    out = verdict(check_kv_cache_bytes(wrong), False)
    assert hint in out


def stable(document, question, now):
    return [{"role": "system", "content": f"Answer from this document.\n\n{document}"},
            {"role": "user", "content": f"(asked at {now}) {question}"}]


def test_layout_accepts_the_solution(verdict):
    out = verdict(check_stable_layout(stable), True)
    assert "share" in out and "cache" in out
    # The time may also follow the document in the system message.
    verdict(check_stable_layout(lambda d, q, n: [{"role": "system", "content": d + f"\nNow: {n}"},
                                                 {"role": "user", "content": q}]), True)


def time_first(document, question, now):
    return [{"role": "system", "content": f"Current time: {now}.\n{document}"},
            {"role": "user", "content": question}]


def question_first(document, question, now):
    return [{"role": "user", "content": f"{question}\n\n{document}\n\n(asked at {now})"}]


@pytest.mark.parametrize(
    "wrong, hint",
    [
        (None, "Not answered yet"),
        ([{"role": "user", "content": "hi"}], "Give a function"),
        (lambda d, q, n: None, "Not answered yet"),
        (lambda d, q, n: "messages", "Return a list of messages"),
        (lambda d, q, n: [{"role": "user", "content": q + n}], "The document is missing"),
        (lambda d, q, n: [{"role": "system", "content": d}, {"role": "user", "content": q}],
         "The time is missing"),
        (lambda d, q, n: [{"role": "user", "content": q + n}, {"role": "system", "content": d}],
         "End with the user's message"),
        (time_first, "the time comes before the document"),
        (question_first, "the question comes before the document"),
        (lambda d, q, n: 1 / 0, "ZeroDivisionError"),
    ],
)
def test_layout_rejects_wrong_answers(wrong, hint, verdict):
    out = verdict(check_stable_layout(wrong), False)
    assert hint in out


def test_the_module_docstring_example_holds():
    import doctest

    from course_lib.exercises import lesson_7_26

    result = doctest.testmod(lesson_7_26)
    assert result.attempted and result.failed == 0
