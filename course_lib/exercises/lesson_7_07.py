"""Lesson 7.7 — The API problem: the lesson's quiz.

    >>> len(QUIZ_7_07)
    3
    >>> verdict = check_quiz_7_07([None, None, None])
    ⬜ unanswered 1. Choose one of a, b, c.
    ⬜ unanswered 2. Choose one of a, b, c.
    ⬜ unanswered 3. Choose one of a, b, c.
    ❌ NOT YET: 0/3 correct.
"""

from __future__ import annotations

from typing import Any

from course_lib.exercises._report import Verdict, grade_quiz, never_raises
from course_lib.quiz import Question, Quiz

__all__ = ["QUIZ_7_07", "check_quiz_7_07"]


QUIZ_7_07 = Quiz(
    [
        Question(
            "When your code calls client.chat.completions.create(...), where does the model run?",
            ["inside your Python process", "on the provider's servers, reached over HTTPS",
             "in your browser"],
            answer=1,
            explanation="the SDK sends an HTTP request; the model runs on the provider's GPUs.",
        ),
        Question(
            "What does the request carry?",
            ["a JSON body (model, messages, ...) and your key in the Authorization header",
             "your Python code, to be run remotely", "only the text you typed"],
            answer=0,
            explanation="JSON in, JSON out; the key says who is asking (and who pays).",
        ),
        Question(
            "Which of these must never appear in a notebook's code or output?",
            ["the model name", "the base URL", "the API key"],
            answer=2,
            explanation="anyone holding the key can spend your money; keep it in .env.",
        ),
    ],
    title="Quiz: the API problem (lesson 7.7)",
)


@never_raises
def check_quiz_7_07(answers: Any) -> Verdict:
    """Grade the lesson 7.7 quiz: one option letter ("b") or index (1) per question."""
    return grade_quiz(QUIZ_7_07, answers)
