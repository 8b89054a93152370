"""Usage → dollars, the cache hit rate, and the budget check.

Prices come from the model table (``data/models.csv``) through :meth:`Usage.cost`; each
assistant message stores its own usage and cost, and a conversation's figures are their sum.
The budget guard is the course's own (:mod:`course_lib.ledger`), not a copy.

    >>> summary([{"uncached_input_tokens": 1000, "cached_input_tokens": 3000, "cache_write_tokens": 0,
    ...           "output_tokens": 200, "cost_usd": 0.001}], budget_usd=0.5)["cache_hit_rate"]
    0.75
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from course_lib.usage import Usage


def usage_columns(usage: Usage, model: str) -> dict[str, Any]:
    """The token and cost columns of a message row."""
    return {"uncached_input_tokens": usage.input, "cached_input_tokens": usage.cached_input,
            "cache_write_tokens": usage.cache_write, "output_tokens": usage.output,
            "cost_usd": usage.cost(model)}


def usage_json(usage: Usage) -> dict[str, int]:
    """Usage as the API reports it: ``input_tokens`` is every prompt token, cached ones
    included (as on a bill); ``cached_input_tokens`` and ``cache_write_tokens`` are parts of it."""
    return {"input_tokens": usage.prompt, "cached_input_tokens": usage.cached_input,
            "cache_write_tokens": usage.cache_write, "output_tokens": usage.output}


def row_usage(row: Mapping[str, Any]) -> Usage:
    return Usage(input=row["uncached_input_tokens"], cached_input=row["cached_input_tokens"],
                 cache_write=row["cache_write_tokens"], output=row["output_tokens"])


def summary(rows: Iterable[Mapping[str, Any]], *, budget_usd: float) -> dict[str, Any]:
    """A conversation's totals: tokens, dollars, budget, and the share of input read from cache.

    ``input_tokens`` counts every prompt token (cached or not), as a bill would; the hit rate
    is cached / all prompt tokens.
    """
    rows = list(rows)
    total = sum((row_usage(r) for r in rows), Usage())
    return {
        **usage_json(total),
        "cost_usd": round(sum(r["cost_usd"] for r in rows), 8),
        "budget_usd": budget_usd,
        "cache_hit_rate": round(total.cached_input / total.prompt, 4) if total.prompt else 0.0,
    }


def check_budget(rows: Iterable[Mapping[str, Any]], *, model: str, budget_usd: float,
                 prompt_tokens: int, max_output: int) -> str | None:
    """Why the next message must be refused (402), or None when it fits the budget.

    The guard is :class:`course_lib.ledger.Budget` (lesson 7.24) over a ledger of the
    conversation's stored replies: it refuses *before* the call when the next request's worst
    case (every prompt token uncached, every allowed output token) could go over the budget.
    Simplification: one request's worst case, though a calculator round sends another.
    """
    from course_lib.ledger import Budget, BudgetExceeded, Ledger

    ledger = Ledger()
    for row in rows:
        if row["role"] == "assistant":
            ledger.record(row_usage(row), model=model)
    try:
        Budget(budget_usd, ledger).check(model, prompt_tokens=prompt_tokens, max_output=max_output)
    except BudgetExceeded as exc:
        return ("this conversation accepts no new messages: it could go over its budget. "
                f"{exc} Or start a new conversation (POST /v1/conversations with a larger "
                "budget_usd).")
    return None
