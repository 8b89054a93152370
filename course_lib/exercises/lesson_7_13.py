"""Lesson 7.13 — OpenAI Q&A: the lesson's quiz (rate limits, costs, model lifecycle).

The questions live here, not in the notebook, so the notebook's code does not show the
answers; :mod:`course_lib.quiz` draws the widget and grades.

    >>> len(QUIZ_7_13)
    6
    >>> verdict = check_quiz_7_13(None)
    ❌ NOT YET: Not answered yet: replace the None in the cell above with your answer, then re-run.
"""

from __future__ import annotations

from typing import Any

from course_lib.exercises._report import Verdict, grade_quiz, never_raises
from course_lib.quiz import Question, Quiz

__all__ = ["QUIZ_7_13", "check_quiz_7_13"]


QUIZ_7_13 = Quiz(
    [
        Question(
            "OpenAI's rate limits (RPM/TPM) are counted per…",
            ["API key user", "organization and project", "IP address"],
            answer=1,
            explanation="limits apply per organization and project; failed requests count too.",
        ),
        Question(
            "A call gets one 429 with retry-after and you kept the SDK's defaults. What happens?",
            [
                "the SDK waits and retries by itself, and the call succeeds",
                "RateLimitError is raised at once",
                "the request is queued until the next minute",
            ],
            answer=0,
            explanation="the SDK retries 429s (twice by default); max_retries=0 turns that off.",
        ),
        Question(
            "For the current OpenAI models in the table, one output token costs…",
            ["less than an input token", "the same as an input token",
             "more than an input token"],
            answer=2,
            explanation="output is priced several times higher than input.",
        ),
        Question(
            "Why does turn 20 of a chat cost more than turn 1?",
            [
                "the model gets slower as the chat goes on",
                "prices rise with usage",
                "the whole history is sent (and billed) again every turn",
            ],
            answer=2,
            explanation="the API is stateless: each request carries every earlier message.",
        ),
        Question(
            "Which model accepts temperature=0.2?",
            [
                "any model: it is a standard parameter",
                "a model whose row in the model table says temperature=True",
                "none: temperature was removed from the API",
            ],
            answer=1,
            explanation="a model that reasons rejects it with 400 unsupported_value; the "
            "table records which models accept it.",
        ),
        Question(
            "After a model's shutdown date, a request naming it…",
            [
                "fails with 404 model_not_found",
                "is answered by its successor",
                "still works, with a warning",
            ],
            answer=0,
            explanation="retired ids stop working: keep model ids in one place, watch the dates.",
        ),
    ],
    title="Quiz: OpenAI Q&A (lesson 7.13)",
)


@never_raises
def check_quiz_7_13(answers: Any) -> Verdict:
    """Grade the lesson 7.13 quiz: one option letter ("b") or index (1) per question."""
    return grade_quiz(QUIZ_7_13, answers)
