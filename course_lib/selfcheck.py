"""A self-assessment (the module's Independence Check): buttons in a live notebook, text elsewhere.

    >>> check = SelfCheck([Level("Know", ["What is a token?"], [("7.3 Tokens", "7.03.ipynb")])],
    ...                   next_step=("the capstone", "capstone.ipynb"))
    >>> print(check.text())
    Rate each level: a) not yet   b) with my notes   c) on my own
    Know
      - What is a token?
    >>> print(check.plan(["a"]))
    Know: not yet. Revisit 7.3 Tokens (7.03.ipynb).
    Next: the capstone (capstone.ipynb).

Nothing is graded: a rating is the student's own, and the plan only says which lessons to go
back to for each level rated below "on my own". Ratings are option letters ("a".."c") or
indices (0..2), in a list in the levels' order or as a dict by level name; a level left
unrated is listed as such.

``check.show()`` displays one row of rating buttons per level and a "Show my plan" button.
Where widgets cannot render (a notebook viewed without a kernel, nbconvert, nbval), the same
output reads as :meth:`SelfCheck.text` (it reuses :class:`course_lib.quiz.WidgetView`).

:data:`INDEPENDENCE_CHECK` is Module 7's: the seed's five levels and questions, each with the
lessons that teach it. Lesson 7.31 shows it; its links work from any ``notebooks/<section>/``
folder, so the capstone can show it too.

    >>> [level.name for level in INDEPENDENCE_CHECK.levels]
    ['Know', 'Understand', 'Apply', 'Analyze', 'Create']
"""

from __future__ import annotations

import html
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from course_lib.quiz import LETTERS, WidgetView, _answers, _index

__all__ = ["INDEPENDENCE_CHECK", "RATINGS", "Level", "SelfCheck"]

RATINGS = ("not yet", "with my notes", "on my own")


@dataclass(frozen=True)
class Level:
    """One level of the check: its name, the questions it asks, and the lessons that teach it
    as ``(label, link)`` pairs (a link relative to the notebook that shows the check)."""

    name: str
    questions: Sequence[str]
    revisit: Sequence[tuple[str, str]] = ()


def _rating(value: Any) -> int | None:
    """A rating as an index of RATINGS: 2, "c", "C)" or "on my own"; None if not one."""
    if isinstance(value, str) and value.strip().lower() in RATINGS:
        return RATINGS.index(value.strip().lower())
    return _index(value, len(RATINGS))  # a letter or an index, read as a quiz answer is


class SelfCheck:
    """Levels to rate yourself on, and a plan: what to revisit before ``next_step``, a
    ``(label, link)`` pair (the notebook the plan leads into) or ``None``."""

    def __init__(self, levels: Sequence[Level], *, title: str = "Independence Check",
                 next_step: tuple[str, str] | None = None) -> None:
        self.levels, self.title, self.next_step = list(levels), title, next_step

    def __len__(self) -> int:
        return len(self.levels)

    def __repr__(self) -> str:
        return f"{self.title}\n{self.text()}"

    def text(self) -> str:
        """The rating scale, then each level with its questions."""
        scale = "   ".join(f"{LETTERS[i]}) {r}" for i, r in enumerate(RATINGS))
        lines = [f"Rate each level: {scale}"]
        for level in self.levels:
            lines.append(level.name)
            lines += [f"  - {q}" for q in level.questions]
        return "\n".join(lines)

    def ratings(self, given: Sequence[Any] | Mapping[str, Any] | str | None) -> list[int | None]:
        """One rating index (or None: unrated) per level, from a list, a dict or "abc"."""
        if given is None:
            return [None] * len(self.levels)
        if isinstance(given, Mapping):
            lowered = {str(k).lower(): v for k, v in given.items()}
            return [_rating(lowered.get(level.name.lower())) for level in self.levels]
        values = (_answers(given) or []) + [None] * len(self.levels)  # "a, c" -> ["a", "c"]
        return [_rating(v) for v in values[: len(self.levels)]]

    def _lines(self, ratings: list[int | None], link: Any, bold: Any) -> list[str]:
        """The plan's lines; ``link(label, href)`` and ``bold(text)`` render for text or HTML."""
        lines = []
        for level, rating in zip(self.levels, ratings, strict=True):
            if rating is None:
                lines.append(f"{bold(level.name)}: not rated yet.")
                continue
            lines.append(f"{bold(level.name)}: {RATINGS[rating]}.")
            if level.revisit and rating < len(RATINGS) - 1:
                lines[-1] += " Revisit " + ", ".join(link(*r) for r in level.revisit) + "."
        if self.next_step:
            lines.append(f"{bold('Next:')} {link(*self.next_step)}.")
        return lines

    def plan(self, given: Sequence[Any] | Mapping[str, Any] | str | None) -> str:
        """One line per level: the rating, and what to revisit when it is below "on my own"."""
        return "\n".join(self._lines(self.ratings(given), lambda label, href: f"{label} ({href})",
                                     lambda text: text))

    def _plan_html(self, ratings: list[int | None]) -> str:
        lines = self._lines(
            ratings, bold=lambda text: f"<b>{html.escape(text)}</b>",
            link=lambda label, href: (f'<a href="{html.escape(href)}" target="_blank">'
                                      f"{html.escape(label)}</a>"))
        return "<br>".join(lines)

    def widget(self) -> Any:
        """Rating buttons per level (with its questions), a plan button and the plan."""
        import ipywidgets as widgets

        buttons = [
            widgets.ToggleButtons(options=[(r, i) for i, r in enumerate(RATINGS)], value=None)
            for _ in self.levels
        ]
        show = widgets.Button(description="Show my plan", button_style="primary")
        plan = widgets.HTML()

        def on_click(_: Any) -> None:
            plan.value = self._plan_html([b.value for b in buttons])

        show.on_click(on_click)
        rows: list[Any] = [widgets.HTML(f"<b>{html.escape(self.title)}</b>")]
        for level, button in zip(self.levels, buttons, strict=True):
            questions = "<br>".join(html.escape(q) for q in level.questions)
            rows += [widgets.HTML(f"<b>{html.escape(level.name)}</b><br>{questions}"), button]
        return widgets.VBox([*rows, show, plan])

    def show(self) -> WidgetView:
        """The check as a widget, printing as text where widgets cannot render."""
        return WidgetView(self.widget(), repr(self))


# ---------------------------------------------------------------------------------------
# Module 7's check (the seed's wording)

# Links work from any notebooks/<section>/ folder (the lessons of Section E and the capstone).
_A, _B, _C, _D, _E = ("../a-what-is-an-llm/", "../b-openai-api/", "../c-function-calling/",
                      "../d-claude-and-production/", "../e-context-engineering/")

INDEPENDENCE_CHECK = SelfCheck(
    [
        Level("Know", ["What is a token?", "What does temperature control?"],
              [("7.3 Tokens Under the Hood", _A + "7.03-tokens-under-the-hood.ipynb"),
               ("7.5 Temperature & Sampling", _A + "7.05-temperature-and-sampling.ipynb")]),
        Level("Understand", ["Why do you need to track conversation history yourself?",
                             "Why do LLMs hallucinate?"],
              [("7.10 Messages Array", _B + "7.10-messages-array.ipynb"),
               ("7.2 Training Data", _A + "7.02-training-data.ipynb"),
               ("7.6 LLM Fundamentals Q&A", _A + "7.06-llm-fundamentals-qa.ipynb")]),
        Level("Apply", ["Build a streaming chat endpoint.", "Implement function calling."],
              [("7.12 Streaming Responses", _B + "7.12-streaming-responses.ipynb"),
               ("7.15 Function Calling Under the Hood",
                _C + "7.15-function-calling-under-the-hood.ipynb"),
               ("7.20 Claude Tool Use", _D + "7.20-claude-tool-use.ipynb")]),
        Level("Analyze", ["When does long context fail?", "When is RAG better?"],
              [("7.27 Long-Context Containment", _E + "7.27-long-context-containment.ipynb"),
               ("7.28 Lost in the Middle", _E + "7.28-lost-in-the-middle.ipynb"),
               ("7.30 Context Engineering Q&A", _E + "7.30-context-engineering-qa.ipynb")]),
        Level("Create", ["Design a multi-tool agent with proper error handling and cost tracking."],
              [("7.18 Function Calling Q&A", _C + "7.18-function-calling-qa.ipynb"),
               ("7.22 Error Handling & Retries", _D + "7.22-error-handling-and-retries.ipynb"),
               ("7.24 Cost Tracking", _D + "7.24-cost-tracking.ipynb")]),
    ],
    title="Independence Check (Module 7)",
    next_step=("the capstone, a streaming chat API with history, the calculator tool, "
               "cache-aware prompts and cost per conversation; it ends with the Create "
               "challenge", "../capstone/chat-api.ipynb"),
)
