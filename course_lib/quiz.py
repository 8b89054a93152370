"""Multiple-choice quizzes for the Q&A lessons: ipywidgets in a live notebook, text elsewhere.

    >>> quiz = Quiz([Question("2 + 2?", ["3", "4"], answer=1, explanation="Count them.")])
    >>> print(quiz.text())
    1. 2 + 2?
       a) 3
       b) 4
    >>> verdict = quiz.check(["b"])
    ✅ right 1. b) 4: Count them.
    ✅ PASS: 1/1 correct.
    >>> verdict = quiz.check(["a"])
    ❌ wrong 1. Not a) 3. Re-read the section and try again.
    ❌ NOT YET: 0/1 correct.

Answers are option letters or indices, in a list (``["b", 0]``) or as one string (``"ba"``).
``check`` returns a :class:`course_lib.exercises.Verdict` (truthy when every answer is
right, silent in a notebook). Each line reads right as plain text ("right", "wrong",
"unanswered", PASS / NOT YET) beside its mark, for screens without an emoji font.

Nothing shown before a right answer reveals it: the text view, the widget and the ``repr``
of a question hold no answer, explanation or hint; a wrong answer shows only its hint.

``quiz.show()`` displays radio buttons and a "Check answers" button. Where widgets cannot
render (a notebook viewed without a kernel, nbval), the same output reads as the text above.
"""

from __future__ import annotations

import html
import re
import string
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from course_lib.exercises import Verdict

__all__ = ["Question", "Quiz", "WidgetView"]

LETTERS = string.ascii_lowercase


class Options(tuple):
    """A question's options, in order; ``items()`` pairs each with its letter."""

    def items(self) -> list[tuple[str, str]]:
        """``[("a", first option), ("b", second option), ...]``"""
        return [(LETTERS[i], option) for i, option in enumerate(self)]


@dataclass(frozen=True)
class Question:
    """One question; ``answer`` is the index of the right option.

    Its ``repr`` shows the question only, so displaying it in a notebook gives nothing away:

    >>> Question("2 + 2?", ["3", "4"], answer=1, explanation="Count them.")
    Question(text='2 + 2?', options=('3', '4'))
    """

    text: str
    options: Sequence[str]
    answer: int = field(repr=False)  # index of the right option
    explanation: str = field(default="", repr=False)  # why it is right; shown once answered right
    hint: str = field(default="", repr=False)  # shown after a wrong answer (never the answer)

    def __post_init__(self) -> None:
        object.__setattr__(self, "options", Options(self.options))
        if not 0 <= self.answer < len(self.options):
            raise ValueError(f"answer {self.answer} is not an option of {self.text!r}")


class WidgetView:
    """Show ``widget`` in a live notebook; show ``text`` wherever widgets cannot render."""

    def __init__(self, widget: Any, text: str) -> None:
        self.widget, self.text = widget, text

    def _repr_mimebundle_(self, **kwargs: Any) -> dict:
        bundle = self.widget._repr_mimebundle_(**kwargs)
        data = bundle[0] if isinstance(bundle, tuple) else bundle
        return {**data, "text/plain": self.text}

    def __repr__(self) -> str:
        return self.text


def _index(choice: Any, n_options: int) -> int | None:
    """A chosen option as an index: 1 (an index) or "b" / "B" / "b)" (a letter)."""
    if isinstance(choice, str):
        letter = choice.strip().rstrip(")").lower()
        return LETTERS.index(letter) if len(letter) == 1 and letter in LETTERS[:n_options] else None
    if isinstance(choice, int) and not isinstance(choice, bool) and 0 <= choice < n_options:
        return choice
    return None


def _answers(answers: Any) -> list | None:
    """The answers as a list (None when they are not a list, a tuple or a string)."""
    if answers is None:
        return []
    if isinstance(answers, str):  # "bca", "b, c, a" or "b) c) a)"
        return re.findall(r"[^\s,;)]", answers)
    if isinstance(answers, list | tuple):
        return list(answers)
    return None


class Quiz:
    """A list of :class:`Question`; answers are option letters ("b") or indices (1)."""

    def __init__(self, questions: Sequence[Question], title: str = "Quiz") -> None:
        self.questions, self.title = list(questions), title

    def __iter__(self) -> Iterator[Question]:
        return iter(self.questions)

    def __len__(self) -> int:
        return len(self.questions)

    def __getitem__(self, i: int) -> Question:
        return self.questions[i]

    def __repr__(self) -> str:
        return f"{self.title}\n{self.text()}"

    def text(self) -> str:
        """The questions and their lettered options (no answers)."""
        lines = []
        for n, q in enumerate(self.questions, 1):
            lines.append(f"{n}. {q.text}")
            lines += [f"   {LETTERS[i]}) {option}" for i, option in enumerate(q.options)]
        return "\n".join(lines)

    @property
    def solution(self) -> list[str]:
        """The right letters, in order."""
        return [LETTERS[q.answer] for q in self.questions]

    def check(self, answers: Sequence[Any] | str | None) -> Verdict:
        """Print one line per question, then the verdict: ``✅ PASS: 6/6 correct.`` or
        ``❌ NOT YET: 4/6 correct.``

        The Verdict is truthy when every answer is right; never raises on answers of the
        wrong type. A wrong answer shows the question's hint, never the right option.
        """
        # Imported here: course_lib.exercises imports this module for its quizzes.
        from course_lib.exercises._report import report

        answers = _answers(answers)
        if answers is None:
            return report(False, "", 'Give a list with one letter per question, e.g. '
                          '["a", "c", ...].')
        if len(answers) > len(self.questions):
            return report(False, "", f"{len(answers)} answers for {len(self.questions)} "
                          "questions: give one letter per question.")
        right = 0
        for n, q in enumerate(self.questions, 1):
            given = answers[n - 1] if n - 1 < len(answers) else None
            i = _index(given, len(q.options))
            if i is None:
                letters = ", ".join(LETTERS[: len(q.options)])
                print(f"⬜ unanswered {n}. Choose one of {letters}.")
            elif i == q.answer:
                right += 1
                chosen = q.options[i].rstrip(".")
                print(f"✅ right {n}. {LETTERS[i]}) {chosen}: {q.explanation}".rstrip(": "))
            else:
                hint = q.hint or "Re-read the section and try again."
                print(f"❌ wrong {n}. Not {LETTERS[i]}) {q.options[i].rstrip('.')}. {hint}")
        score = f"{right}/{len(self.questions)} correct."
        return report(right == len(self.questions), score, score)

    def widget(self) -> Any:
        """Radio buttons per question, a check button and a feedback area."""
        import ipywidgets as widgets

        radios = [
            widgets.RadioButtons(
                options=[(f"{LETTERS[i]}) {o}", i) for i, o in enumerate(q.options)],
                value=None,
                layout=widgets.Layout(width="auto"),
            )
            for q in self.questions
        ]
        button = widgets.Button(description="Check answers", button_style="primary")
        feedback = widgets.Output()

        def on_click(_: Any) -> None:
            with feedback:
                feedback.clear_output()
                self.check([r.value for r in radios])

        button.on_click(on_click)
        rows: list[Any] = [widgets.HTML(f"<b>{html.escape(self.title)}</b>")]
        for n, (q, radio) in enumerate(zip(self.questions, radios, strict=True), 1):
            rows += [widgets.HTML(f"<b>{n}.</b> {html.escape(q.text)}"), radio]
        return widgets.VBox([*rows, button, feedback])

    def show(self) -> WidgetView:
        """The quiz as a widget, printing as text where widgets cannot render."""
        return WidgetView(self.widget(), repr(self))
