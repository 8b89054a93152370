"""Lesson 7.28 — Lost in the middle: put the best documents at the edges; read the paper's data.

    >>> verdict = check_edges_order(None)
    ❌ NOT YET: Not answered yet: replace the None in the cell above with your answer, then re-run.
"""

from __future__ import annotations

from typing import Any

from course_lib.exercises._report import NOT_ANSWERED, Verdict, call_shown, never_raises, report

__all__ = ["check_edges_order", "check_middle_gap"]

_CASES = [list("ABCDEFGHIJ"), list("ABCDEFG"), ["only"], ["x", "y"], list(range(20))]


def _edge_distance(position: int, n: int) -> int:
    return min(position, n - 1 - position)


@never_raises
def check_edges_order(reorder: Any) -> Verdict:
    """``reorder(ranked)``: documents ranked best first -> the best first, the second best
    last, the third second, the fourth second to last, ... the least relevant in the middle."""
    if reorder is None:
        return report(False, "", NOT_ANSWERED)
    if not callable(reorder):
        return report(False, "", "Pass a function: reorder_for_edges(ranked) -> list.")
    for ranked in _CASES:
        given = list(ranked)
        got, problem = call_shown(reorder, given)
        if problem:
            return report(False, "", problem)
        if given != ranked:
            return report(False, "", "Your function changed the list it was given; build a new one.")
        if got is None:
            return report(False, "", "Your function returned None: finish it so it returns the "
                          "reordered list.")
        if not isinstance(got, list) or sorted(map(str, got)) != sorted(map(str, ranked)):
            return report(False, "", f"For {len(ranked)} documents, return a list holding each of "
                          "them exactly once (a reordering, nothing added or dropped).")
        n = len(ranked)
        if got[0] != ranked[0]:
            return report(False, "", "The most relevant document (ranked[0]) goes first.")
        if n > 1 and got[-1] != ranked[1]:
            return report(False, "", "The second most relevant document (ranked[1]) goes last: "
                          "the end of the prompt is the other place a model reads well.")
        for rank, doc in enumerate(ranked):
            if _edge_distance(got.index(doc), n) != rank // 2:
                return report(False, "", f"With {n} documents, ranked[{rank}] should be "
                              f"{rank // 2} place(s) in from an edge, alternating front and back, "
                              "so the least relevant ones end up in the middle.")
    return report(True, "Best documents at the edges, weakest in the middle: the U-curve's "
                  "good spots hold what matters.", "")


def _gaps() -> dict[str, float]:
    from course_lib.context_eval import PUBLISHED_QA

    return {m: round(max(p.values()) - min(p.values()), 1) for m, p in PUBLISHED_QA[20].items()}


@never_raises
def check_middle_gap(gaps: Any) -> Verdict:
    """Best-minus-worst accuracy (points) per model at 20 documents: a dict or pandas Series."""
    if gaps is None:
        return report(False, "", NOT_ANSWERED)
    if hasattr(gaps, "to_dict"):
        gaps = gaps.to_dict()
    if not isinstance(gaps, dict):
        return report(False, "", "Give a dict (or pandas Series) {model name: gap in points}.")
    want = _gaps()
    if set(gaps) != set(want):
        return report(False, "", f"One entry per model of the 20-document table: {sorted(want)}; "
                      f"got {sorted(map(str, gaps))}.")
    for model, gap in want.items():
        value = gaps[model]
        if isinstance(value, bool) or not isinstance(value, int | float):
            return report(False, "", f"The gap for {model} should be a number of points.")
        if 0 < value <= 1 and gap > 1:
            return report(False, "", "Give points (75.8 - 53.8 = 22.0), not fractions.")
        if abs(value - gap) > 0.05:
            return report(False, "", f"{model}: check your gap. It is the best accuracy over the "
                          "five positions minus the worst, not first minus last.")
    widest = max(want, key=want.get)
    return report(True, f"{widest} loses the most ({want[widest]:.1f} points) between its best "
                  "and worst position.", "")
