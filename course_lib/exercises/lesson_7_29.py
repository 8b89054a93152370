"""Lesson 7.29 — Contextual retrieval: a chunk's parent context, hit rate, published figures.

    >>> verdict = check_hit_rate(None)
    ❌ NOT YET: Not answered yet: replace the None in the cell above with your answer, then re-run.
"""

from __future__ import annotations

import math
from typing import Any

from course_lib.exercises._report import NOT_ANSWERED, Verdict, call, never_raises, report
from course_lib.retrieval import Chunk

__all__ = ["check_add_context", "check_failure_reduction", "check_hit_rate"]

# Anthropic, "Introducing Contextual Retrieval" (Sep 19, 2024): top-20 failure rate, embeddings
# only 5.7%, Contextual Embeddings + Contextual BM25 2.9% (reference/facts.md §2).
BASELINE, COMBINED = 5.7, 2.9


def _chunks() -> list[Chunk]:
    text = "It lasts two years from the date of purchase. Keep the receipt."
    return [
        Chunk("lamp.md#5", "lamp.md", "Glow Lamp — user guide", "Warranty", text, 0, len(text)),
        Chunk("oven.md#2", "oven.md", "Oven Pro 3 manual", "Cleaning and care",
              "Wipe it with a damp cloth once a week.", 0, 38),
        Chunk("bike.md#0", "bike.md", "City Bike handbook", "",
              "This handbook covers the frame, the gears and the brakes.", 0, 57),
    ]


@never_raises
def check_add_context(add_context: Any) -> Verdict:
    """``add_context(chunk) -> str``: the chunk's text, unchanged, after a short context that
    names its document's title and (when it has one) its section."""
    if add_context is None:
        return report(False, "", NOT_ANSWERED)
    if not callable(add_context):
        return report(False, "", "Pass a function: add_context(chunk) -> str.")
    for chunk in _chunks():
        got, problem = call(add_context, chunk)
        if problem:
            return report(False, "", f"On the chunk {chunk.id}: {problem}")
        if not isinstance(got, str):
            return report(False, "", f"Return the text to index (a str), not {type(got).__name__}.")
        if chunk.text not in got:
            return report(False, "", f"On {chunk.id}: keep the chunk's text whole and unchanged; "
                          "the context is added to it, it does not replace it.")
        if not got.rstrip().endswith(chunk.text) or got.strip() == chunk.text:
            return report(False, "", f"On {chunk.id}: put the context BEFORE the chunk's text "
                          "(prepend it), as Anthropic does.")
        context = got[: got.rindex(chunk.text)]
        if chunk.title.lower() not in context.lower():
            return report(False, "", f"On {chunk.id}: the context should name the document: "
                          "use chunk.title.")
        if chunk.section and chunk.section.lower() not in context.lower():
            return report(False, "", f"On {chunk.id}: name the section too (chunk.section).")
        if not chunk.section and "section" in context.lower():
            return report(False, "", f"{chunk.id} sits before the first section "
                          "(chunk.section is ''): leave the section out rather than print "
                          "an empty one.")
        if len(context.split()) > 40:
            return report(False, "", f"On {chunk.id}: keep the context short (it had "
                          f"{len(context.split())} words; a sentence is enough).")
    return report(True, "add_context puts a short title-and-section context before every "
                  "chunk, and keeps the chunk's own text unchanged.", "")


def _hit_rate_cases() -> list[tuple[str, list[list[str]], list[str], int, float]]:
    rankings = [["a", "b", "c"], ["c", "a", "b"], ["b", "c", "a"], ["c", "b", "a"]]
    gold = ["a", "a", "a", "d"]
    return [
        ("k=1", rankings, gold, 1, 0.25),
        ("k=2", rankings, gold, 2, 0.5),
        ("k=3", rankings, gold, 3, 0.75),
        ("k larger than a ranking", rankings, gold, 10, 0.75),
        ("one question", [["x", "y"]], ["y"], 1, 0.0),
    ]


@never_raises
def check_hit_rate(hit_rate: Any) -> Verdict:
    """``hit_rate(rankings, gold, k) -> float``: the share of questions whose gold chunk id is
    among the first ``k`` ids of that question's ranking."""
    if hit_rate is None:
        return report(False, "", NOT_ANSWERED)
    if not callable(hit_rate):
        return report(False, "", "Pass a function: hit_rate(rankings, gold, k) -> float.")
    for what, rankings, gold, k, expected in _hit_rate_cases():
        got, problem = call(hit_rate, [list(r) for r in rankings], list(gold), k)
        if problem:
            return report(False, "", f"On the case {what}: {problem}")
        if isinstance(got, bool) or not isinstance(got, int | float):
            return report(False, "", f"Return a number between 0 and 1, not {type(got).__name__}.")
        if not math.isclose(got, expected):
            if math.isclose(got, expected * len(gold)):
                hint = "Divide the number of hits by the number of questions."
            elif got > 1:
                hint = "A rate is between 0 and 1: hits / questions."
            else:
                hint = ("Count a hit when gold[i] is in rankings[i][:k], the FIRST k ids of "
                        "that question's own ranking.")
            return report(False, "", f"On the case {what}: got {got!r}. {hint}")
    return report(True, f"hit_rate is right on all {len(_hit_rate_cases())} hidden cases.", "")


@never_raises
def check_failure_reduction(reduction: Any) -> Verdict:
    """The relative cut in Anthropic's top-20 failure rate from embeddings alone to Contextual
    Embeddings + Contextual BM25, as a fraction (0.25 for a quarter fewer failures)."""
    if reduction is None:
        return report(False, "", NOT_ANSWERED)
    if isinstance(reduction, bool) or not isinstance(reduction, int | float):
        return report(False, "", "Give a number: the fraction of failures removed.")
    expected = 1 - COMBINED / BASELINE
    if math.isclose(reduction, expected * 100, abs_tol=1):
        return report(False, "", "That is a percentage: give it as a fraction (0.xx).")
    if math.isclose(reduction, BASELINE - COMBINED, abs_tol=0.01) or math.isclose(
        reduction, (BASELINE - COMBINED) / 100, abs_tol=0.001):
        return report(False, "", "That is the drop in percentage points. The question asks for "
                      "the RELATIVE drop: (old - new) / old.")
    if math.isclose(reduction, COMBINED / BASELINE, abs_tol=0.01):
        return report(False, "", "That is the share of failures that REMAIN. What share is gone?")
    if not math.isclose(reduction, expected, abs_tol=0.01):
        return report(False, "", "Use the two top-20 failure rates from the table: (old - new) "
                      "/ old.")
    return report(True, f"{expected:.0%} fewer failed retrievals, the figure Anthropic "
                  "headlines for Contextual Embeddings + Contextual BM25.", "")
