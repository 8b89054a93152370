"""How full is the context window? A fill bar that draws in notebooks and prints as text.

    >>> context_bar(96_000, 128_000, label="turn 6")
    turn 6 [███████████████░░░░░]  75.0% of 128,000 tokens (32,000 free)
    >>> context_bar(130_000, 128_000)
    [████████████████████]▶ 101.6% of 128,000 tokens (2,000 over: the API refuses this)

``reserved`` marks room kept for the reply: the prompt and the reply share one window.
"""

from __future__ import annotations

import html
from dataclasses import dataclass

__all__ = ["ContextBar", "context_bar"]

WIDTH = 20  # characters in the text bar


def _colour(share: float) -> str:
    return "#16a34a" if share < 0.75 else "#d97706" if share < 1 else "#dc2626"


@dataclass(frozen=True)
class ContextBar:
    """``used`` tokens of a ``window``-token context (plus ``reserved`` for the reply)."""

    used: int
    window: int
    reserved: int = 0
    label: str = ""

    @property
    def share(self) -> float:
        return (self.used + self.reserved) / self.window

    @property
    def free(self) -> int:
        return self.window - self.used - self.reserved

    def _status(self) -> str:
        if self.free < 0:
            return f"{-self.free:,} over: the API refuses this"
        return f"{self.free:,} free"

    def __repr__(self) -> str:
        filled = min(round(self.used / self.window * WIDTH), WIDTH)
        kept = min(round(self.reserved / self.window * WIDTH), WIDTH - filled)
        bar = "█" * filled + "▒" * kept + "░" * (WIDTH - filled - kept)
        over = "▶" if self.free < 0 else " "
        head = f"{self.label} " if self.label else ""
        note = f", {self.reserved:,} reserved for the reply" if self.reserved else ""
        return (f"{head}[{bar}]{over} {self.share:.1%} of {self.window:,} tokens "
                f"({self._status()}{note})")

    def _repr_html_(self) -> str:
        used = min(self.used / self.window, 1.0) * 100
        kept = min(self.reserved / self.window * 100, 100 - used)
        colour = _colour(self.share)
        reserved = (f'<div title="reserved for the reply" style="width:{kept:.2f}%;'
                    f'background:repeating-linear-gradient(45deg,{colour}55 0 4px,#fff0 4px 8px)">'
                    "</div>") if kept > 0 else ""
        label = (f'<span style="display:inline-block;min-width:6em">{html.escape(self.label)}'
                 "</span>") if self.label else ""
        note = f" · {self.reserved:,} reserved for the reply" if self.reserved else ""
        return (
            f'<div style="display:flex;align-items:center;gap:8px;font-family:sans-serif;'
            f'font-size:90%;margin:2px 0">{label}'
            '<div style="display:flex;width:320px;height:14px;background:#e5e7eb;'
            'border-radius:3px;overflow:hidden">'
            f'<div style="width:{used:.2f}%;background:{colour}"></div>{reserved}</div>'
            f"<span>{self.share:.1%} of {self.window:,} tokens "
            f"({html.escape(self._status())}{note})</span></div>"
        )


def context_bar(used: int, window: int, *, reserved: int = 0, label: str = "") -> ContextBar:
    """A fill bar for ``used`` of ``window`` tokens; display it or print it."""
    if window <= 0:
        raise ValueError(f"window must be a positive number of tokens, got {window}")
    if used < 0 or reserved < 0:
        raise ValueError("used and reserved must be >= 0")
    return ContextBar(int(used), int(window), int(reserved), label)
