"""Lesson 7.14 — The action problem: the lesson's quiz.

    >>> len(QUIZ_7_14)
    3
"""

from __future__ import annotations

from typing import Any

from course_lib.exercises._report import Verdict, grade_quiz, never_raises
from course_lib.quiz import Question, Quiz

__all__ = ["QUIZ_7_14", "check_quiz_7_14"]


QUIZ_7_14 = Quiz(
    [
        Question(
            "Why can a model get a large multiplication wrong when it answers from text alone?",
            ["the API rounds long numbers", "its built-in calculator has a digit limit",
             "it predicts likely tokens; nothing in it computes the product exactly"],
            answer=2,
            explanation="the digits are next-token guesses, fluent but unchecked.",
        ),
        Question(
            "Offered a calculator tool, what does the model send back when it uses it?",
            ["a tool call: the tool's name and its arguments as JSON",
             "the exact product, computed on the provider's servers",
             "Python code for your notebook to eval()"],
            answer=0,
            explanation="the response ends with finish_reason 'tool_calls' and no text.",
        ),
        Question(
            "Who runs the calculator?",
            ["the provider, next to the model", "your code, which decides whether to run it",
             "the model itself, inside its reply"],
            answer=1,
            explanation="the model only asks; your code acts, and can refuse.",
        ),
    ],
    title="Quiz: the action problem (lesson 7.14)",
)


@never_raises
def check_quiz_7_14(answers: Any) -> Verdict:
    """Grade the lesson 7.14 quiz: one option letter ("b") or index (1) per question."""
    return grade_quiz(QUIZ_7_14, answers)
