"""Lesson 7.27 — Long context or retrieval: chunking a document, the cost of a cached prefix.

    >>> verdict = check_chunk_text(None)
    ❌ NOT YET: Not answered yet: replace the None in the cell above with your answer, then re-run.
"""

from __future__ import annotations

import math
from typing import Any

from course_lib.exercises._report import NOT_ANSWERED, Verdict, call, never_raises, report

__all__ = ["check_chunk_text", "check_long_context_cost"]


def _texts() -> list[tuple[str, str, int]]:
    para = ("The kettle boils water for tea. " * 6).strip()
    long = " ".join(f"word{i}" for i in range(400))  # one paragraph longer than any budget below
    return [
        ("ten short paragraphs", "\n\n".join(f"Paragraph {i}. {para}" for i in range(10)), 120),
        ("one paragraph longer than the budget", f"Intro line.\n\n{long}\n\nOutro line.", 100),
        ("a text shorter than the budget", "Just one small paragraph.", 50),
        ("paragraphs of mixed length", "\n\n".join(para[: 20 + 37 * i] for i in range(12)), 60),
    ]


def _same_words(a: str, b: str) -> bool:
    return a.split() == b.split()


@never_raises
def check_chunk_text(chunk_text: Any) -> Verdict:
    """``chunk_text(text, max_tokens)`` -> chunks in order, each at most ``max_tokens``
    o200k tokens, together holding all of the text, packing paragraphs rather than one per
    chunk (a paragraph longer than the budget is split)."""
    from course_lib.tokens import count

    if chunk_text is None:
        return report(False, "", NOT_ANSWERED)
    if not callable(chunk_text):
        return report(False, "", "Pass a function: chunk_text(text, max_tokens) -> list of str.")
    for what, text, budget in _texts():
        chunks, problem = call(chunk_text, text, budget, shown=f"chunk_text(<{what}>, {budget})")
        if problem:
            return report(False, "", problem)
        if not isinstance(chunks, list) or not all(isinstance(c, str) for c in chunks):
            return report(False, "", f"On {what}: return a list of strings.")
        if not chunks or any(not c.strip() for c in chunks):
            return report(False, "", f"On {what}: no empty chunks, and at least one chunk.")
        too_big = [count(c) for c in chunks if count(c) > budget]
        if too_big:
            return report(False, "", f"On {what} with max_tokens={budget}: a chunk has {too_big[0]} "
                          "tokens. Count with course_lib.tokens.count; split a paragraph that is "
                          "too long on its own (by words).")
        if not _same_words(" ".join(chunks), text):
            return report(False, "", f"On {what}: joined back together, the chunks should hold the "
                          "whole text, in order, without repeating or losing words.")
        if len(chunks) > 2 * math.ceil(count(text) / budget) + 1:
            return report(False, "", f"On {what}: {len(chunks)} chunks is too many. Keep adding "
                          "paragraphs to a chunk while it still fits the budget.")
    return report(True, "Chunks fit the budget, keep paragraphs together and lose nothing.", "")


def _expected(document_tokens: int, question_tokens: int, answer_tokens: int, questions: int,
              model: str) -> float:
    from course_lib.usage import Usage

    first = Usage(input=document_tokens + question_tokens, output=answer_tokens)
    later = Usage(input=question_tokens, cached_input=document_tokens, output=answer_tokens)
    return (first.cost(model) + (questions - 1) * later.cost(model)) / questions


_COST_CASES = [(50_000, 20, 100, 1, "gpt-5.4-mini"), (50_000, 20, 100, 10, "gpt-5.4-mini"),
               (120_000, 35, 300, 25, "gpt-4.1"), (8_000, 15, 50, 3, "claude-haiku-4-5")]


@never_raises
def check_long_context_cost(cost_per_question: Any) -> Verdict:
    """``cost_per_question(document_tokens, question_tokens, answer_tokens, questions, model)``:
    the average US dollars per question when the document is sent in full with every question,
    the first request at the full input price and the rest reading the document from the cache."""
    if cost_per_question is None:
        return report(False, "", NOT_ANSWERED)
    if not callable(cost_per_question):
        return report(False, "", "Pass a function: long_context_cost(document_tokens, "
                      "question_tokens, answer_tokens, questions, model) -> dollars.")
    for args in _COST_CASES:
        got, problem = call(cost_per_question, *args, shown=f"long_context_cost{args}")
        if problem:
            return report(False, "", problem)
        if isinstance(got, bool) or not isinstance(got, int | float):
            return report(False, "", f"Return a number of dollars, not {type(got).__name__}.")
        want = _expected(*args)
        if not math.isclose(got, want, rel_tol=1e-6):
            if args[3] == 1:
                hint = "With one question nothing is cached yet: it is one full-price request."
            elif math.isclose(got, _expected(*args[:3], 1, args[4]), rel_tol=1e-6):
                hint = "Later questions read the document from the cache (cached_input)."
            else:
                hint = ("Build a Usage for the first request and one for each later one, "
                        "price them with .cost(model), and divide the total by the questions.")
            return report(False, "", f"long_context_cost{args} returned {got:.6g}. {hint}")
    return report(True, "Every question after the first pays the cached price for the "
                  "document: a tenth of the input price on gpt-5.4-mini and Claude Haiku 4.5.", "")
