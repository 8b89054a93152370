"""Lesson 7.1 — Prediction machines: a next-token predictor from counts.

Function exercises run on hidden cases that use small integer "token ids", so any correct
implementation passes, whatever its tie-break.

    >>> verdict = check_greedy_next(None)
    ❌ NOT YET: Not answered yet: replace the None in the cell above with your answer, then re-run.
"""

from __future__ import annotations

import math
from collections import Counter
from typing import Any

from course_lib.exercises._report import NOT_ANSWERED, Verdict, call, never_raises, report

__all__ = ["check_greedy_next", "check_sequence_probability"]


_SEQUENCES = [
    [1, 2, 3, 1, 2, 4, 1, 2, 3, 5, 2, 3, 6, 6, 6, 6],
    [7, 8, 7, 9, 7, 8, 8, 7, 8, 9, 9, 7, 8],
    [10, 11, 12, 10, 11, 13, 10, 11, 12, 11, 12, 14, 12, 10],
]


def _counts(ids: list[int], n: int) -> Counter:
    return Counter(zip(*(ids[i:] for i in range(n)), strict=False))  # shortest wins


def _following(counts: Counter, context: tuple) -> Counter:
    return Counter({g[-1]: c for g, c in counts.items() if tuple(g[:-1]) == tuple(context)})


def _overall_favourite(counts: Counter) -> Any:
    overall = Counter()
    for gram, c in counts.items():
        overall[gram[-1]] += c
    return overall.most_common(1)[0][0]


def _cases():
    """(counts, context, following counts) for bigrams and trigrams, seen and unseen."""
    for ids in _SEQUENCES:
        for n in (2, 3):
            counts = _counts(ids, n)
            contexts = sorted({g[:-1] for g in counts}) + [(99,) * (n - 1)]
            for context in contexts:
                yield counts, context, _following(counts, context)


@never_raises
def check_greedy_next(greedy_next: Any) -> Verdict:
    """Does ``greedy_next(counts, context)`` return the most frequent next token id?

    ``counts`` is a Counter of n-gram tuples, ``context`` a tuple of n-1 ids; an unseen
    context gives None. On a tie any of the tied tokens is right.
    """
    if greedy_next is None:
        return report(False, "", NOT_ANSWERED)
    if not callable(greedy_next):
        return report(False, "", "`greedy_next` should be a function: greedy_next(counts, context).")
    for counts, context, following in _cases():
        got, error = call(greedy_next, Counter(counts), context,
                          shown=f"greedy_next(counts, {context})")
        if error:
            unseen = "" if following else " This context never occurs: return None."
            return report(False, "", error + unseen)
        if not following:
            if got is not None:
                return report(False, "", f"Context {context} never occurs in the counts, so "
                              f"there is no prediction: return None (you returned {got!r}).")
            continue
        best = max(following.values())
        if got in following and following[got] == best:
            continue
        if isinstance(got, float):
            hint = "You returned a probability: return the token id that has it."
        elif isinstance(got, tuple):
            hint = "Return just the next token id, not a tuple."
        elif got == _overall_favourite(counts):
            hint = ("That is the most frequent next token overall. Only n-grams that START "
                    "with the context count: filter on gram[:-1] == context first.")
        else:
            hint = "Return the id that most often followed the context."
        return report(False, "", f"For context {context} the counts of what followed are "
                      f"{dict(following)}, so the answer is one with count {best}; you "
                      f"returned {got!r}. {hint}")
    return report(True, "greedy_next picks the most frequent continuation on every hidden case.", "")


def _sequence_probability(counts: Counter, ids: list[int]) -> float:
    n = len(next(iter(counts)))
    p = 1.0
    for i in range(n - 1, len(ids)):
        following = _following(counts, tuple(ids[i - n + 1 : i]))
        total = sum(following.values())
        p *= following[ids[i]] / total if total else 0.0
    return p


@never_raises
def check_sequence_probability(sequence_probability: Any) -> Verdict:
    """Does ``sequence_probability(counts, ids)`` multiply P(next | context) along ``ids``?

    The first n-1 ids are the given start; each later id contributes P(id | the n-1 before
    it) computed from ``counts``. A step never seen makes the whole sequence impossible (0).
    """
    if sequence_probability is None:
        return report(False, "", NOT_ANSWERED)
    if not callable(sequence_probability):
        return report(False, "", "`sequence_probability` should be a function: "
                      "sequence_probability(counts, ids).")
    trials = [
        (_counts(_SEQUENCES[0], 2), [1, 2, 3, 1]),
        (_counts(_SEQUENCES[0], 2), [2, 3, 6, 6, 6]),
        (_counts(_SEQUENCES[0], 3), [1, 2, 3, 5, 2]),
        (_counts(_SEQUENCES[1], 2), [7, 8, 9, 9, 7]),
        (_counts(_SEQUENCES[1], 3), [7, 8, 7, 9, 7, 8]),
        (_counts(_SEQUENCES[2], 2), [10, 11, 12, 10]),
        (_counts(_SEQUENCES[2], 2), [10, 12, 11]),  # 10 -> 12 never happens: 0
        (_counts(_SEQUENCES[2], 3), [12, 10, 11, 13]),
    ]
    for counts, ids in trials:
        expected = _sequence_probability(counts, ids)
        got, error = call(sequence_probability, Counter(counts), list(ids),
                          shown=f"sequence_probability(counts, {ids})")
        if error:
            return report(False, "", error)
        if got is None:
            return report(False, "", "sequence_probability returned None: `return` the product.")
        try:
            got = float(got)
        except (TypeError, ValueError):
            return report(False, "", f"Return a number, not {type(got).__name__}.")
        if math.isclose(got, expected, rel_tol=1e-9, abs_tol=1e-12):
            continue
        n = len(next(iter(counts)))
        steps = [(_following(counts, tuple(ids[i - n + 1 : i])), ids[i])
                 for i in range(n - 1, len(ids))]
        probs = [f[t] / sum(f.values()) if f else 0.0 for f, t in steps]
        if math.isclose(got, sum(probs), rel_tol=1e-9):
            hint = "You added the probabilities: multiply them (the chain rule)."
        elif math.isclose(got, math.prod(f[t] for f, t in steps), rel_tol=1e-9):
            hint = "You multiplied counts: divide each by the total count after its context first."
        else:
            hint = (f"With {n}-grams, each id from position {n - 1} on contributes "
                    f"P(id | the {n - 1} id(s) before it); multiply those.")
        return report(False, "", f"For ids {ids} ({n}-gram counts) the probability is "
                      f"{expected:.6g}; you returned {got:.6g}. {hint}")
    return report(True, "sequence_probability multiplies P(next | context) correctly on every "
                  "hidden case, including an impossible step (probability 0).", "")
