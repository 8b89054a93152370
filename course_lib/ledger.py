"""Cost as data: a ledger of what each request spent, and a budget that refuses the next one.

A :class:`Ledger` records one row per request (label, model, :class:`~course_lib.usage.Usage`,
dollars) and adds them up; a :class:`Budget` looks at the ledger *before* a request and
refuses it if its worst case (every prompt token at the full input price, plus the most
output tokens it may generate) could take the total over the limit:

    >>> ledger = Ledger()
    >>> _ = ledger.record({"usage": {"prompt_tokens": 1000, "completion_tokens": 200}},
    ...                   model="gpt-4o-mini", label="first")
    >>> round(ledger.cost, 6), ledger.usage.total
    (0.00027, 1200)
    >>> budget = Budget(0.0005, ledger)
    >>> round(budget.worst_case("gpt-4o-mini", prompt_tokens=1000, max_output=500), 6)
    0.00045
    >>> budget.check("gpt-4o-mini", prompt_tokens=1000, max_output=500)
    Traceback (most recent call last):
    ...
    course_lib.ledger.BudgetExceeded: Budget $0.000500: spent $0.000270 on 1 request; the next request (gpt-4o-mini, 1,000 prompt tokens, up to 500 output tokens) could cost up to $0.000450, which would go over the budget by $0.000220. Raise the budget, lower max_completion_tokens / max_tokens, shorten the prompt, or choose a cheaper model.

Async code uses the same objects: :meth:`Budget.hold` reserves a request's worst case
*before* it is sent, so requests in flight at the same time cannot together overspend.
Nothing here awaits or does I/O. Simplification: prices are list prices from data/models.csv.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, NamedTuple

from course_lib.usage import Usage

__all__ = ["Budget", "BudgetExceeded", "Entry", "Ledger"]


class Entry(NamedTuple):
    """One recorded request."""

    label: str
    model: str
    usage: Usage
    cost: float  # US dollars at list prices


class Ledger:
    """The requests of one run, in order: ``record()`` each response, read ``cost`` and
    ``usage`` for totals and ``frame()`` for a table."""

    def __init__(self) -> None:
        self.entries: list[Entry] = []
        self._lock = threading.Lock()

    def record(self, response: Any, *, model: str | None = None, label: str = "") -> Entry:
        """Add a response (either provider, or its ``usage``, or a :class:`Usage`).

        ``model`` defaults to the response's own ``model`` field (a dated snapshot id is
        priced as its alias).
        """
        usage = response if isinstance(response, Usage) else Usage.of(response)
        model = model or getattr(response, "model", None)
        if not model:
            raise ValueError("record(..., model=...) is needed: this record names no model")
        entry = Entry(label, model, usage, usage.cost(model))
        with self._lock:
            self.entries.append(entry)
        return entry

    def __len__(self) -> int:
        return len(self.entries)

    @property
    def cost(self) -> float:
        """Dollars spent by every recorded request."""
        return sum(e.cost for e in self.entries)

    @property
    def usage(self) -> Usage:
        """Tokens of every recorded request, added up."""
        return sum((e.usage for e in self.entries), Usage())

    def frame(self) -> Any:
        """The ledger as a pandas DataFrame: one row per request, token columns and ``cost $``."""
        import pandas as pd  # here: `import course_lib` stays fast

        rows = [{"label": e.label, "model": e.model, "input": e.usage.input,
                 "cached input": e.usage.cached_input, "cache write": e.usage.cache_write,
                 "output": e.usage.output, "cost $": e.cost} for e in self.entries]
        columns = ["label", "model", "input", "cached input", "cache write", "output", "cost $"]
        return pd.DataFrame(rows, columns=columns)


# ---------------------------------------------------------------------------------------


class BudgetExceeded(RuntimeError):
    """The next request could take spending over the budget; it was not sent."""

    def __init__(self, message: str, *, limit: float, spent: float, held: float,
                 next_cost: float) -> None:
        super().__init__(message)
        self.limit, self.spent, self.held, self.next_cost = limit, spent, held, next_cost


class Budget:
    """A spending limit in US dollars over a :class:`Ledger`, checked before each request."""

    def __init__(self, limit: float, ledger: Ledger | None = None) -> None:
        if not limit > 0:
            raise ValueError(f"a budget must be more than $0, got {limit!r}")
        self.limit = float(limit)
        self.ledger = ledger if ledger is not None else Ledger()
        self._holds: list[float] = []  # worst cases reserved by hold(), requests in flight
        self._lock = threading.Lock()

    @property
    def held(self) -> float:
        """Worst cases reserved by :meth:`hold` for requests still in flight."""
        return sum(self._holds)

    @property
    def spent(self) -> float:
        return self.ledger.cost

    @property
    def remaining(self) -> float:
        """What is left once requests in flight have spent their worst case."""
        return self.limit - self.spent - self.held

    @staticmethod
    def worst_case(model: str, *, prompt_tokens: int, max_output: int) -> float:
        """The most a request can cost: no prompt cache, and every allowed output token."""
        return Usage(input=prompt_tokens, output=max_output).cost(model)

    def check(self, model: str, *, prompt_tokens: int, max_output: int) -> float:
        """Raise :class:`BudgetExceeded` unless the request fits; return its worst case."""
        with self._lock:
            return self._check(model, prompt_tokens, max_output)

    def _check(self, model: str, prompt_tokens: int, max_output: int) -> float:
        worst = self.worst_case(model, prompt_tokens=prompt_tokens, max_output=max_output)
        spent, held = self.spent, self.held
        if spent + held + worst > self.limit:
            n = len(self.ledger)
            flight = f" (plus ${held:.6f} held by requests in flight)" if held else ""
            raise BudgetExceeded(
                f"Budget ${self.limit:.6f}: spent ${spent:.6f} on {n} request{'s' * (n != 1)}"
                f"{flight}; the next request ({model}, {prompt_tokens:,} prompt tokens, up to "
                f"{max_output:,} output tokens) could cost up to ${worst:.6f}, which would go "
                f"over the budget by ${spent + held + worst - self.limit:.6f}. Raise the "
                "budget, lower max_completion_tokens / max_tokens, shorten the prompt, or "
                "choose a cheaper model.",
                limit=self.limit, spent=spent, held=held, next_cost=worst,
            )
        return worst

    @contextmanager
    def hold(self, model: str, *, prompt_tokens: int, max_output: int) -> Iterator[float]:
        """Check, then reserve the worst case until the block ends (record the response
        inside it). Use it around each request when several run at once (threads, asyncio).
        """
        with self._lock:
            worst = self._check(model, prompt_tokens, max_output)
            self._holds.append(worst)
        try:
            yield worst
        finally:
            with self._lock:
                self._holds.remove(worst)
