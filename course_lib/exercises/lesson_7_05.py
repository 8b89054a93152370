"""Lesson 7.5 — Temperature and sampling: softmax with temperature, top-p filtering.

    >>> verdict = check_top_p_filter("top-p")
    ❌ NOT YET: Give a function: top_p_filter(probs, p).
"""

from __future__ import annotations

from typing import Any

from course_lib.exercises._report import NOT_ANSWERED, Verdict, call_shown, never_raises, report

# numpy (and course_lib.sampling, which needs it) is imported inside the checks that use it:
# `import course_lib.exercises` stays light.

__all__ = ["check_softmax_with_temperature", "check_top_p_filter"]


_SOFTMAX_CASES = [
    ([2.0, 1.0, 0.0], 1.0),
    ([2.0, 1.0, 0.0], 0.5),
    ([2.0, 1.0, 0.0], 2.0),
    ([-1.2, -0.4, -3.0, -2.2], 0.7),  # log-probabilities are negative
    ([5.0], 1.3),
    ([1000.0, 999.0, 990.0], 1.0),  # exp(1000) overflows unless you subtract the max
    ([0.3, 2.5, -1.0], 0.0),  # T = 0: greedy
]


@never_raises
def check_softmax_with_temperature(fn: Any) -> Verdict:
    """Does ``fn(logits, T)`` return softmax(logits / T) (and one-hot argmax for T = 0)?"""
    import numpy as np

    from course_lib.sampling import softmax_with_temperature as softmax

    if fn is None:
        return report(False, "", NOT_ANSWERED)
    if not callable(fn):
        return report(False, "", "Give a function: softmax_with_temperature(logits, T).")
    for logits, t in _SOFTMAX_CASES:
        z = np.array(logits)
        expected = softmax(z, t)
        got, error = call_shown(fn, list(logits), t)
        if error:
            hint = " T = 0 means greedy: put all probability on the largest logit." if t == 0 else ""
            return report(False, "", error + "." + hint)
        if got is None:
            return report(False, "", "Not answered yet: your function returned None. Finish it and "
                          "`return` the probabilities.")
        try:
            got = np.asarray(got, dtype=float).reshape(-1)
        except (TypeError, ValueError):
            return report(False, "", f"Return an array of probabilities, not {type(got).__name__}.")
        if got.shape != expected.shape:
            return report(False, "", f"For {len(logits)} logits return {len(logits)} probabilities, "
                          f"got {got.size}.")
        if np.allclose(got, expected, atol=1e-9):
            continue
        if not np.all(np.isfinite(got)):
            hint = "You got nan/inf: exp() overflowed. Subtract the largest logit before exp()."
        elif t == 0:
            hint = "T = 0 means greedy: probability 1 for the largest logit, 0 for the others."
        elif not np.isclose(got.sum(), 1):
            hint = f"Your probabilities add up to {got.sum():.3f}: divide by their sum."
        elif np.allclose(got, softmax(z, 1.0)):
            hint = "The temperature has no effect: divide the logits by T before exp()."
        elif np.allclose(got, softmax(z * t, 1.0)):
            hint = "You multiplied by T: DIVIDE the logits by T (small T must sharpen)."
        else:
            hint = ("Follow section 1's formula step by step: scale the logits by the "
                    "temperature, exponentiate, normalise.")
        return report(False, "", f"softmax_with_temperature({logits}, {t}) gave {got.round(4)}, "
                      f"expected {expected.round(4)}. {hint}")
    return report(True, "softmax_with_temperature() matches on every hidden case, including "
                  "huge logits and T = 0.", "")


def _top_p_cases() -> list[tuple[list[float], float]]:
    import numpy as np

    rng = np.random.default_rng(7)
    logits = rng.normal(size=30) * 2
    random_probs = np.exp(logits) / np.exp(logits).sum()
    return [
        ([0.5, 0.3, 0.15, 0.05], 0.75),
        ([0.5, 0.3, 0.15, 0.05], 0.85),
        ([0.5, 0.3, 0.15, 0.05], 0.3),
        ([0.5, 0.3, 0.15, 0.05], 1.0),
        ([0.1, 0.6, 0.3], 0.7),  # not sorted: the answer must keep the input order
        (list(random_probs), 0.9),
    ]


@never_raises
def check_top_p_filter(fn: Any) -> Verdict:
    """Does ``fn(probs, p)`` keep the smallest most-likely set reaching ``p``, renormalised?"""
    import numpy as np

    from course_lib.sampling import top_p_filter

    if fn is None:
        return report(False, "", NOT_ANSWERED)
    if not callable(fn):
        return report(False, "", "Give a function: top_p_filter(probs, p).")
    for probs, p in _top_p_cases():
        expected = top_p_filter(probs, p)
        got, error = call_shown(fn, list(probs), p)
        if error:
            return report(False, "", error)
        if got is None:
            return report(False, "", "Not answered yet: your function returned None. Finish it and "
                          "`return` the filtered probabilities.")
        try:
            got = np.asarray(got, dtype=float).reshape(-1)
        except (TypeError, ValueError):
            return report(False, "", f"Return an array of probabilities, not {type(got).__name__}.")
        if got.shape != expected.shape:
            return report(False, "", f"Return one probability per token ({len(probs)}), got {got.size}.")
        if np.allclose(got, expected, atol=1e-9):
            continue
        shown = [round(x, 3) for x in probs] if len(probs) < 8 else f"[{len(probs)} probabilities]"
        n_got, n_exp = int((got > 1e-12).sum()), int((expected > 0).sum())
        if np.allclose(np.sort(got), np.sort(expected)) and n_got == n_exp:
            hint = "Right numbers, wrong places: return them in the ORDER of the input."
        elif n_got == n_exp and np.array_equal(got > 1e-12, expected > 0):
            hint = f"Right tokens kept, but they add up to {got.sum():.3f}: renormalise (divide by the sum)."
        elif n_got == n_exp - 1:
            hint = "One token too few: keep the token whose probability makes the running total REACH p."
        elif n_got > n_exp:
            hint = "Too many tokens kept: stop at the first token where the running total reaches p."
        else:
            hint = "Sort by probability (largest first), keep tokens until the running total reaches p."
        return report(False, "", f"top_p_filter({shown}, {p}) kept {n_got} tokens, expected {n_exp}. {hint}")
    return report(True, "top_p_filter() keeps exactly the right tokens, renormalised, on every "
                  "hidden case.", "")
