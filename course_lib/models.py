"""The model table: one place for model ids, context windows, prices and dates.

Everything comes from ``data/models.csv`` (each row names its source and as-of date).
Prices are USD per 1M tokens. A model's status is not stored: it follows from its shutdown
date and today (:mod:`course_lib.today`). Models and prices change: update the CSV and
``data/models_checked.txt``, re-run the tests, and every lesson follows.

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
from course_lib.today import today

TABLE = Path(__file__).resolve().parent.parent / "data" / "models.csv"


class UnknownModelError(LookupError):
    """A model id that is not in data/models.csv."""


@dataclass(frozen=True)
class ModelInfo:
    provider: str  # "openai" | "anthropic"
    model: str
    display_name: str  # "Claude Haiku 4.5" (Anthropic's /v1/models); "" where the API has none
    released: dt.date | None  # Anthropic's created_at (snapshot date); None where not recorded
    context_window: int
    max_input: int  # most input tokens one request may send (GPT-5 family: 272K of 400K)
    max_output: int
    input: float  # USD per 1M input tokens
    cached_input: float  # per 1M tokens read from the prompt cache
    cache_write: float | None  # per 1M tokens written to the cache (Anthropic, 5-minute TTL)
    output: float
    default_effort: str  # reasoning_effort when none is sent; "" for models that do not reason
    reasoning_efforts: tuple[str, ...]  # the reasoning_effort values the API accepts
    max_tokens: bool  # accepts the old max_tokens parameter (the GPT-5 family does not)
    stop: bool  # accepts stop sequences
    temperature: bool  # accepts a non-default temperature (OpenAI: with reasoning off)
    top_p: bool
    logprobs: bool
    cache_min_tokens: int  # shortest prompt prefix the provider will cache
    shutdown: dt.date | None
    confidence: str
    source: str
    as_of: str

    @property
    def embedding(self) -> bool:
        """An embeddings model (``text-embedding-3-small``): it reads text and writes no tokens."""
        return self.max_output == 0

    @property
    def reasoning_default(self) -> bool:
        """Does it reason before answering unless told not to?"""
        return self.default_effort not in ("", "none")

    def status_on(self, day: dt.date | None = None) -> str:
        """"retired" from the shutdown date on, "deprecated" while one is announced, else "current".

        >>> get("claude-sonnet-4-5").status_on(dt.date(2026, 11, 29))
        'deprecated'
        >>> get("claude-sonnet-4-5").status_on(dt.date(2026, 11, 30))
        'retired'
        """
        if self.shutdown is None:
            return "current"
        return "retired" if (day or today()) >= self.shutdown else "deprecated"

    def days_left(self, day: dt.date | None = None) -> int | None:
        """Days from ``day`` (today by default) to the shutdown; negative once shut down."""
        return None if self.shutdown is None else (self.shutdown - (day or today())).days

    @property
    def status(self) -> str:
        """The status today (see :func:`course_lib.today.today`)."""
        return self.status_on()

    @property
    def retired(self) -> bool:
        return self.status_on() == "retired"


def _parse(row: dict[str, str]) -> ModelInfo:
    def flag(name: str) -> bool:
        return row[name].strip().lower() == "true"

    def date(name: str) -> dt.date | None:
        return dt.date.fromisoformat(row[name]) if row[name] else None

    return ModelInfo(
        provider=row["provider"],
        model=row["model"],
        display_name=row["display_name"],
        released=date("released"),
        context_window=int(row["context_window"]),
        max_input=int(row["max_input"] or row["context_window"]),
        max_output=int(row["max_output"]),
        input=float(row["input"]),
        cached_input=float(row["cached_input"]),
        cache_write=float(row["cache_write"]) if row["cache_write"] else None,
        output=float(row["output"]),
        default_effort=row["default_effort"],
        reasoning_efforts=tuple(e for e in row["reasoning_efforts"].split("|") if e),
        max_tokens=flag("max_tokens"),
        stop=flag("stop"),
        temperature=flag("temperature"),
        top_p=flag("top_p"),
        logprobs=flag("logprobs"),
        cache_min_tokens=int(row["cache_min_tokens"]),
        shutdown=date("shutdown"),
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


def models(
    provider: str | None = None, *, include_retired: bool = False, embeddings: bool = False
) -> list[ModelInfo]:
    """The chat models of one provider (or all), current first; ``embeddings=True`` adds the
    embeddings models (``text-embedding-3-small``, lesson 7.29)."""
    order = {"current": 0, "deprecated": 1, "retired": 2}
    day = today()
    rows = [
        m
        for m in table()
        if (provider is None or m.provider == provider)
        and (include_retired or m.status_on(day) != "retired")
        and (embeddings or not m.embedding)
    ]
    return sorted(rows, key=lambda m: (m.provider, order[m.status_on(day)]))


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
