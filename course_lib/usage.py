"""Usage as data: the tokens one request (or a whole run) used, added up and priced.

Each provider reports usage in its own shape; :class:`Usage` holds the four counts a price
table needs, whoever reported them:

    >>> first = Usage.from_openai({"prompt_tokens": 1200, "completion_tokens": 80,
    ...                            "prompt_tokens_details": {"cached_tokens": 1024}})
    >>> first
    Usage(input=176, cached_input=1024, cache_write=0, output=80)
    >>> second = Usage.from_anthropic({"input_tokens": 21, "cache_creation_input_tokens": 1000,
    ...                                "output_tokens": 50})
    >>> (first + second).output, sum([first, second]).total
    (130, 2351)
    >>> round(Usage(input=1000, output=500).cost("gpt-4o-mini"), 6)
    0.00045

``input`` counts only tokens billed at the full input price: OpenAI's ``prompt_tokens``
include the cached ones (and ``cache_write_tokens``, which newer models report), so they are
subtracted; Anthropic's ``input_tokens`` already exclude
cache reads and writes. ``output`` includes reasoning tokens (billed as output).
Simplifications: one cache-write price (Anthropic's 5-minute one; 1-hour writes cost more),
and list prices from data/models.csv (batch, priority and regional prices differ).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields
from typing import Any

from course_lib._fields import field

__all__ = ["Usage"]

_NO_USAGE = (
    "this record carries no usage. An OpenAI stream reports it only when asked: "
    'stream_options={"include_usage": True}; a stream that broke off may have none'
)


def _count(record: Any, name: str) -> int:
    return int(field(record, name) or 0)


def _unwrap(record: Any) -> Any:
    """The usage record itself, from a response, a final message, a StreamResult or the usage."""
    holds_usage = "usage" in record if isinstance(record, Mapping) else hasattr(record, "usage")
    if holds_usage:
        record = field(record, "usage")
    if record is None:
        raise ValueError(_NO_USAGE)
    return record


@dataclass(frozen=True)
class Usage:
    """Token counts of one request or of many added together (``+``, ``sum()``)."""

    input: int = 0  # billed at the full input price (no cache reads or writes)
    cached_input: int = 0  # read from the prompt cache
    cache_write: int = 0  # written to the prompt cache (Anthropic cache_control)
    output: int = 0  # generated, reasoning included

    def __post_init__(self) -> None:
        for f in fields(self):
            value = getattr(self, f.name)
            if isinstance(value, bool) or not isinstance(value, int) or value < 0:
                raise ValueError(f"Usage.{f.name} must be a whole number >= 0, not {value!r}")

    @property
    def prompt(self) -> int:
        """Every input token, cached or not (OpenAI's ``prompt_tokens``)."""
        return self.input + self.cached_input + self.cache_write

    @property
    def total(self) -> int:
        return self.prompt + self.output

    def __add__(self, other: Usage) -> Usage:
        if not isinstance(other, Usage):
            return NotImplemented
        return Usage(*(getattr(self, f.name) + getattr(other, f.name) for f in fields(self)))

    def __radd__(self, other: Any) -> Usage:
        if other == 0:  # sum() starts from 0
            return self
        return NotImplemented

    # -----------------------------------------------------------------------------------

    @classmethod
    def from_openai(cls, record: Any) -> Usage:
        """From a ChatCompletion, a Responses API response, their ``usage``, or a dict of it."""
        usage = _unwrap(record)
        if field(usage, "prompt_tokens") is not None:  # Chat Completions
            details = field(usage, "prompt_tokens_details")
            prompt, output = _count(usage, "prompt_tokens"), _count(usage, "completion_tokens")
        elif field(usage, "input_tokens_details") is not None:  # Responses API
            details = field(usage, "input_tokens_details")
            prompt, output = _count(usage, "input_tokens"), _count(usage, "output_tokens")
        else:
            raise ValueError(
                f"not an OpenAI usage record (no prompt_tokens): {usage!r:.120}; "
                "for an Anthropic one use Usage.from_anthropic"
            )
        cached, written = _count(details, "cached_tokens"), _count(details, "cache_write_tokens")
        # The prompt count includes cache reads and writes; the SDK calls the write count
        # "unadjusted", so never let the remainder go below zero.
        return cls(input=max(prompt - cached - written, 0), cached_input=cached,
                   cache_write=written, output=output)

    @classmethod
    def from_anthropic(cls, record: Any) -> Usage:
        """From a Message (``messages.create`` or a stream's ``get_final_message()``), its
        ``usage``, or a dict of it."""
        usage = _unwrap(record)
        if field(usage, "prompt_tokens") is not None or (
            field(usage, "input_tokens") is None and field(usage, "output_tokens") is None
        ):
            raise ValueError(
                f"not an Anthropic usage record (no input_tokens/output_tokens): {usage!r:.120}; "
                "for an OpenAI one use Usage.from_openai"
            )
        return cls(
            input=_count(usage, "input_tokens"),
            cached_input=_count(usage, "cache_read_input_tokens"),
            cache_write=_count(usage, "cache_creation_input_tokens"),
            output=_count(usage, "output_tokens"),
        )

    @classmethod
    def of(cls, record: Any) -> Usage:
        """Either provider's record, told apart by its field names (also a StreamResult)."""
        usage = _unwrap(record)
        if field(usage, "prompt_tokens") is not None or field(usage, "input_tokens_details") is not None:
            return cls.from_openai(usage)
        return cls.from_anthropic(usage)

    def cost(self, model: str) -> float:
        """US dollars at ``model``'s list prices in data/models.csv (same as ``models.cost``)."""
        from course_lib import models

        info = models.get(model)
        write_price = info.cache_write if info.cache_write is not None else info.input
        dollars = (
            self.input * info.input
            + self.cached_input * info.cached_input
            + self.cache_write * write_price
            + self.output * info.output
        )
        return dollars / 1_000_000
