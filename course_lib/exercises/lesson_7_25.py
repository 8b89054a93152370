"""Lesson 7.25 — The context problem: the lesson's quiz.

    >>> len(QUIZ_7_25)
    3
    >>> verdict = check_quiz_7_25(None)
    ❌ NOT YET: Not answered yet: replace the None in the cell above with your answer, then re-run.
"""

from __future__ import annotations

from typing import Any

from course_lib.exercises._report import Verdict, grade_quiz, never_raises
from course_lib.quiz import Question, Quiz

__all__ = ["QUIZ_7_25", "check_quiz_7_25"]


QUIZ_7_25 = Quiz(
    [
        Question(
            "A chat app sends a 200,000-token document with every question. What do you pay for?",
            ["the document once, the first time it is sent",
             "the document on every request, because the API is stateless",
             "only the question; documents are free"],
            answer=1,
            explanation="every request resends (and is billed for) the whole prompt; caching "
                        "(7.26) makes the repeats cheaper, not free.",
        ),
        Question(
            "In Lost in the Middle (Liu et al.), what happened when the answer sat in the middle "
            "of 20 documents for GPT-3.5-Turbo?",
            ["accuracy fell below its score with no documents at all",
             "accuracy was the same at every position", "accuracy rose"],
            answer=0,
            explanation="53.8% at position 10 vs 56.1% closed-book (and 75.8% at position 1).",
        ),
        Question(
            "A retriever sends only the single best-matching chunk. What can go wrong?",
            ["nothing: one chunk is always enough",
             "the request is rejected as too short",
             "a fact the answer needs sits in another chunk, so no model can use it"],
            answer=2,
            explanation="the model can only read what you send; too little context misses facts.",
        ),
    ],
    title="Quiz: the context problem (lesson 7.25)",
)


@never_raises
def check_quiz_7_25(answers: Any) -> Verdict:
    """Grade the lesson 7.25 quiz: one option letter ("b") or index (1) per question."""
    return grade_quiz(QUIZ_7_25, answers)
