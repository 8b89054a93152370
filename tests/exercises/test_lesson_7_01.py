"""Lesson 7.1's checks: each rejects wrong answers (with a hint) and accepts any correct
implementation."""

from collections import Counter

import pytest

from course_lib.exercises import check_greedy_next, check_sequence_probability


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


def test_greedy_next_accepts_any_correct_tie_break(verdict):
    verdict(check_greedy_next(greedy_next), True)
    verdict(check_greedy_next(greedy_next_last_of_ties), True)


@pytest.mark.parametrize(("wrong", "hint"), [
    (lambda counts, context: Counter(g[-1] for g in counts).most_common(1)[0][0], "START"),
    (lambda counts, context: 0.5, "probability"),
    (lambda counts, context: max(g[-1] for g in counts if g[:-1] == context), "context"),
    (None, "Not answered"),
    ("not a function", "function"),
])
def test_greedy_next_rejects_wrong_answers(verdict, wrong, hint):
    assert hint in verdict(check_greedy_next(wrong), False)


def test_sequence_probability(verdict):
    verdict(check_sequence_probability(sequence_probability), True)


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
def test_sequence_probability_rejects_wrong_answers(verdict, wrong, hint):
    assert hint in verdict(check_sequence_probability(wrong), False)
