"""The model table: one place for model ids, context windows, prices and dates.

Everything comes from ``data/models.csv`` (each row names its source and as-of date).
Prices are USD per 1M tokens. Models and prices change: update the CSV, re-run the tests,
and every lesson follows.

    >>> get("gpt-4o-mini").context_window
    128000
    >>> round(cost({"prompt_tokens": 1000, "completion_tokens": 500}, "gpt-4o-mini"), 6)
    0.00045
"""

from __future__ import annotations

import csv
import datetime as dt
import difflib
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from course_lib._fields import field

TABLE = Path(__file__).resolve().parent.parent / "data" / "models.csv"


class UnknownModelError(LookupError):
    """A model id that is not in data/models.csv."""


@dataclass(frozen=True)
class ModelInfo:
    provider: str  # "openai" | "anthropic"
    model: str
    status: str  # "current" | "deprecated" (shutdown announced) | "retired" (shut down)
    context_window: int
    max_output: int
    input: float  # USD per 1M input tokens
    cached_input: float  # per 1M tokens read from the prompt cache
    cache_write: float | None  # per 1M tokens written to the cache (Anthropic, 5-minute TTL)
    output: float
    reasoning_default: bool  # does it reason before answering unless told not to?
    temperature: bool  # accepts a non-default temperature
    top_p: bool
    logprobs: bool
    cache_min_tokens: int  # shortest prompt prefix the provider will cache
    shutdown: dt.date | None
    confidence: str
    source: str
    as_of: str

    @property
    def retired(self) -> bool:
        return self.status == "retired"


def _parse(row: dict[str, str]) -> ModelInfo:
    def flag(name: str) -> bool:
        return row[name].strip().lower() == "true"

    return ModelInfo(
        provider=row["provider"],
        model=row["model"],
        status=row["status"],
        context_window=int(row["context_window"]),
        max_output=int(row["max_output"]),
        input=float(row["input"]),
        cached_input=float(row["cached_input"]),
        cache_write=float(row["cache_write"]) if row["cache_write"] else None,
        output=float(row["output"]),
        reasoning_default=flag("reasoning_default"),
        temperature=flag("temperature"),
        top_p=flag("top_p"),
        logprobs=flag("logprobs"),
        cache_min_tokens=int(row["cache_min_tokens"]),
        shutdown=dt.date.fromisoformat(row["shutdown"]) if row["shutdown"] else None,
        confidence=row["confidence"],
        source=row["source"],
        as_of=row["as_of"],
    )


@cache
def table() -> tuple[ModelInfo, ...]:
    """Every row of data/models.csv."""
    with TABLE.open(newline="", encoding="utf-8") as f:
        return tuple(_parse(row) for row in csv.DictReader(f))


@cache
def _index() -> dict[str, ModelInfo]:
    return {info.model: info for info in table()}


def find(model: str, provider: str | None = None) -> ModelInfo | None:
    """Like :func:`get`, but ``None`` for an unknown id (or one of another provider)."""
    rows = _index()
    info = rows.get(model)
    if info is None:
        # A dated snapshot id is "<alias>-YYYY-MM-DD" (OpenAI) or "<alias>-YYYYMMDD" (Anthropic).
        for alias in sorted(rows, key=len, reverse=True):
            suffix = model[len(alias) :]
            if model.startswith(alias + "-") and suffix.replace("-", "").isdigit():
                info = rows[alias]
                break
    if info is None or (provider is not None and info.provider != provider):
        return None
    return info


def get(model: str) -> ModelInfo:
    """Look a model up by id; dated snapshots fall back to their alias.

    ``get("gpt-4o-2024-08-06")`` finds ``gpt-4o``; ``claude-haiku-4-5-20251001`` finds
    ``claude-haiku-4-5``.
    """
    info = find(model)
    if info is not None:
        return info
    rows = _index()
    close = difflib.get_close_matches(model, rows, n=3)
    hint = f" Did you mean {', '.join(close)}?" if close else ""
    raise UnknownModelError(
        f"Model {model!r} is not in data/models.csv.{hint} Add a row there (with its source) "
        "or choose one of: " + ", ".join(sorted(rows))
    )


def models(provider: str | None = None, *, include_retired: bool = False) -> list[ModelInfo]:
    """The models of one provider (or all), current first."""
    order = {"current": 0, "deprecated": 1, "retired": 2}
    rows = [
        m
        for m in table()
        if (provider is None or m.provider == provider) and (include_retired or not m.retired)
    ]
    return sorted(rows, key=lambda m: (m.provider, order.get(m.status, 3)))


def _count(usage: Any, name: str) -> int:
    return int(field(usage, name) or 0)


def usage_tokens(usage: Any) -> dict[str, int]:
    """Normalise an OpenAI or Anthropic usage record (SDK object or dict) to four counts.

    Returns ``{"input", "cached_input", "cache_write", "output"}`` where ``input`` counts
    only tokens billed at the full input price.
    """
    if _count(usage, "prompt_tokens") or _count(usage, "completion_tokens"):  # OpenAI
        details = field(usage, "prompt_tokens_details")
        cached = _count(details, "cached_tokens") if details else 0
        return {
            "input": _count(usage, "prompt_tokens") - cached,
            "cached_input": cached,
            "cache_write": 0,
            "output": _count(usage, "completion_tokens"),
        }
    return {  # Anthropic: input_tokens already excludes cache reads and writes
        "input": _count(usage, "input_tokens"),
        "cached_input": _count(usage, "cache_read_input_tokens"),
        "cache_write": _count(usage, "cache_creation_input_tokens"),
        "output": _count(usage, "output_tokens"),
    }


def cost(usage: Any, model: str) -> float:
    """US dollars for one usage record at list prices from the table."""
    info = get(model)
    n = usage_tokens(usage)
    write_price = info.cache_write if info.cache_write is not None else info.input
    dollars = (
        n["input"] * info.input
        + n["cached_input"] * info.cached_input
        + n["cache_write"] * write_price
        + n["output"] * info.output
    )
    return dollars / 1_000_000
