"""Lesson 7.24 — Cost tracking: a request's worst case before sending it, and a guard that
stops before the budget is crossed, not after.

    >>> verdict = check_worst_case_cost(None)
    ❌ NOT YET: Not answered yet: replace the None in the cell above with your answer, then re-run.
"""

from __future__ import annotations

import math
from typing import Any

from course_lib.exercises._report import NOT_ANSWERED, Verdict, call, never_raises, report

__all__ = ["check_requests_within_budget", "check_worst_case_cost"]


def _worst_cases() -> list[tuple[list[dict], str, int]]:
    from course_lib import models

    # Three current OpenAI models from the table (their prices differ), so the check keeps
    # working as models retire.
    first, second, third = (m.model for m in models.models("openai")[:3])
    return [
        ([{"role": "user", "content": "What is a Python list?"}], first, 200),
        ([{"role": "system", "content": "You answer in one short sentence."},
          {"role": "user", "content": "What does len() return for a dict?"},
          {"role": "assistant", "content": "The number of keys."},
          {"role": "user", "content": "And for a string?"}], second, 50),
        ([{"role": "user", "content": "Summarise: " + "tokens cost money. " * 40}], third, 1000),
    ]


@never_raises
def check_worst_case_cost(fn: Any) -> Verdict:
    """Does ``fn(messages, model, max_completion_tokens)`` give the most the request can cost?"""
    if fn is None:
        return report(False, "", NOT_ANSWERED)
    if not callable(fn):
        return report(False, "", "Pass your function: worst_case_cost (without calling it).")
    from course_lib import models, tokens

    for messages, model, cap in _worst_cases():
        info = models.get(model)
        prompt = tokens.count_chat_tokens(messages)
        expected = (prompt * info.input + cap * info.output) / 1e6
        got, problem = call(fn, messages, model, cap, shown="worst_case_cost(...)")
        if problem:
            return report(False, "", problem)
        if got is None:
            return report(False, "", "Not answered yet: finish worst_case_cost() so it returns "
                          "a number of dollars.")
        if not isinstance(got, int | float) or isinstance(got, bool):
            return report(False, "", f"Return a number of dollars, got {got!r}.")
        if math.isclose(got, expected, rel_tol=1e-9):
            continue
        content_only = sum(tokens.count(tokens.text_of(m.get("content"))) for m in messages)
        hints = [
            (prompt * info.input / 1e6, "That is the prompt alone: add the output side, "
             "max_completion_tokens at the OUTPUT price (the worst case is every allowed token)."),
            ((content_only * info.input + cap * info.output) / 1e6, "Count the prompt as the "
             "API does: tokens.count_chat_tokens(messages) adds framing per message and for "
             "the reply, not only the words."),
            ((prompt + cap) * info.output / 1e6, "Prompt tokens are billed at the INPUT price, "
             "output tokens at the OUTPUT price: they differ."),
            (expected * 1000, "Prices in the table are per MILLION tokens: divide by 1,000,000."),
        ]
        for wrong, hint in hints:
            if math.isclose(got, wrong, rel_tol=1e-9):
                return report(False, "", f"For {model} with max_completion_tokens={cap}: {hint}")
        return report(False, "", f"For {model} with max_completion_tokens={cap} you gave "
                      f"${got:.8f}. Worst case = prompt tokens × input price + "
                      "max_completion_tokens × output price, per 1M tokens.")
    return report(True, "Worst cases right for 3 hidden requests on 3 models.", "")


@never_raises
def check_requests_within_budget(fn: Any) -> Verdict:
    """Does ``fn(worst_costs, budget)`` count the requests a before-the-call guard lets through?"""
    if fn is None:
        return report(False, "", NOT_ANSWERED)
    if not callable(fn):
        return report(False, "", "Pass your function: requests_within_budget (without calling it).")
    # Exact binary fractions, so "exactly at the budget" is exact in floating point too.
    cases = [([0.25, 0.25, 0.25, 0.25, 0.25], 0.75, 3), ([0.25, 0.25, 0.5, 0.25], 1.0, 3),
             ([0.5, 0.75, 0.25], 1.0, 1), ([0.375, 0.125], 0.25, 0), ([0.125] * 4, 2.0, 4),
             ([0.25, 0.75, 0.125, 0.125], 0.625, 1)]
    answers = []
    for costs, budget, _ in cases:
        got, problem = call(fn, list(costs), budget,
                            shown=f"requests_within_budget({costs}, {budget})")
        if problem:
            return report(False, "", problem)
        if got is None:
            return report(False, "", "Not answered yet: finish requests_within_budget() so it "
                          "returns a count.")
        answers.append(got)
    wrong_ideas = [
        (_after_the_fact, "one too many: that last request was sent and THEN the total was "
         "over the budget. Check spent + the next request's worst case before sending."),
        (_skipping, "the guard must stop the loop at the first request it refuses, not skip "
         "it and try cheaper ones."),
        (_strict, "too few: spending exactly the budget is allowed (use <=, not <)."),
    ]
    for (costs, budget, expected), got in zip(cases, answers, strict=True):
        if got == expected:
            continue
        shown = f"requests_within_budget({costs}, {budget}) gave {got!r}"
        for idea, hint in wrong_ideas:  # the mistake that explains every answer given
            if all(a == idea(c, b) for (c, b, _), a in zip(cases, answers, strict=True)):
                return report(False, "", f"{shown}: {hint}")
        return report(False, "", f"{shown}, which is not the count a before-the-call guard "
                      "lets through: return how many requests were sent, as an int.")
    return report(True, f"All {len(cases)} hidden runs stop before the budget, never after.", "")


def _after_the_fact(costs: list[float], budget: float) -> int:
    """The guard that checks after spending: the request that crosses the line is sent."""
    spent, sent = 0.0, 0
    for cost in costs:
        if spent > budget:
            break
        spent, sent = spent + cost, sent + 1
    return sent


def _skipping(costs: list[float], budget: float) -> int:
    spent, sent = 0.0, 0
    for cost in costs:
        if spent + cost <= budget:
            spent, sent = spent + cost, sent + 1
    return sent


def _strict(costs: list[float], budget: float) -> int:
    spent, sent = 0.0, 0
    for cost in costs:
        if spent + cost >= budget:
            break
        spent, sent = spent + cost, sent + 1
    return sent
