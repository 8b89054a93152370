"""Prompt caching as the usage fields report it, for either provider.

A provider's prompt cache shows up only in ``usage``: OpenAI's
``prompt_tokens_details.cached_tokens``, Anthropic's ``cache_read_input_tokens`` and
``cache_creation_input_tokens``. These helpers turn one usage record (SDK object or dict) into
the same four numbers for both, and add hit rates up over many requests.

    >>> cache_usage({"prompt_tokens": 2006, "completion_tokens": 5,
    ...              "prompt_tokens_details": {"cached_tokens": 1920}})
    {'prompt': 2006, 'cached': 1920, 'written': 0, 'uncached': 86, 'hit rate': 0.957}
    >>> round(cost_without_cache({"prompt_tokens": 2006, "completion_tokens": 5,
    ...                           "prompt_tokens_details": {"cached_tokens": 1920}}, "gpt-4o-mini"), 7)
    0.0003039
    >>> openai_cached_tokens(2006)      # the OpenAI cookbook's example: 15 x 128
    1920
    >>> openai_cached_tokens(1000)      # below the 1,024-token minimum: nothing
    0

``openai_cached_tokens`` is the documented rule (facts §3: at least 1,024 tokens, then in
128-token steps); a real provider caches on a best-effort basis, so real usage can show less.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from course_lib.models import cost, usage_tokens

__all__ = ["cache_usage", "cost_without_cache", "hit_rate", "openai_cached_tokens"]

OPENAI_MINIMUM = 1024
OPENAI_STEP = 128


def cache_usage(usage: Any) -> dict[str, int | float]:
    """``{"prompt", "cached", "written", "uncached", "hit rate"}`` for one usage record.

    ``prompt`` is every input token, however it was billed; ``hit rate`` = cached / prompt,
    rounded to three places (0.0 for an empty prompt).
    """
    n = usage_tokens(usage)
    prompt = n["input"] + n["cached_input"] + n["cache_write"]
    return {
        "prompt": prompt,
        "cached": n["cached_input"],
        "written": n["cache_write"],
        "uncached": n["input"],
        "hit rate": round(n["cached_input"] / prompt, 3) if prompt else 0.0,
    }


def cost_without_cache(usage: Any, model: str) -> float:
    """US dollars the same request would cost if every input token were billed at the full price."""
    n = usage_tokens(usage)
    full = {"input_tokens": n["input"] + n["cached_input"] + n["cache_write"], "output_tokens": n["output"]}
    return cost(full, model)


def hit_rate(usages: Iterable[Any]) -> float:
    """Share of all input tokens, over many requests, that were read from the cache."""
    rows = [cache_usage(u) for u in usages]
    prompt = sum(r["prompt"] for r in rows)
    return sum(r["cached"] for r in rows) / prompt if prompt else 0.0


def openai_cached_tokens(
    shared_prefix: int, *, minimum: int = OPENAI_MINIMUM, step: int = OPENAI_STEP
) -> int:
    """Tokens OpenAI's rule would report as cached when ``shared_prefix`` tokens match a recent prompt.

    ``shared_prefix`` is the length of the exact match: the shorter prompt's length when one
    prompt starts with the other. Below ``minimum`` nothing is cached; above it, whole steps.
    """
    if shared_prefix < minimum:
        return 0
    return minimum + (shared_prefix - minimum) // step * step
