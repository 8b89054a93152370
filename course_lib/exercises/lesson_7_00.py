"""Lesson 7.0 — The AI magic problem: the lesson's quiz.

    >>> len(QUIZ_7_00)
    3
    >>> verdict = check_quiz_7_00(None)
    ❌ NOT YET: Not answered yet: replace the None in the cell above with your answer, then re-run.
"""

from __future__ import annotations

from typing import Any

from course_lib.exercises._report import Verdict, grade_quiz, never_raises
from course_lib.quiz import Question, Quiz

__all__ = ["QUIZ_7_00", "check_quiz_7_00"]


QUIZ_7_00 = Quiz(
    [
        Question(
            "While a chat model writes its reply, what does it compute at each step?",
            ["The whole answer, which it then prints slowly for effect.",
             "A probability for every token it knows; then one token is picked.",
             "The best-matching answer stored in a database of answers."],
            answer=1,
            explanation="one step, one token: the model scores every candidate, one is picked.",
            hint="Look at the step table again: one row per token, each with candidates and "
            "their probabilities.",
        ),
        Question(
            "In the sampled step table, the pick was not always candidate #1. Why?",
            ["The model made a mistake at those steps.",
             "The server lost some of the probabilities on the way.",
             "The pick is drawn at random in proportion to the probabilities, so a less "
             "likely token is sometimes chosen."],
            answer=2,
            explanation="that is sampling. The table shows the model's probabilities before "
            "temperature reshapes them; lesson 7.5 shows how temperature changes the odds.",
            hint="Sampling: at temperature 1, a token with probability 0.2 is picked about one "
            "time in five.",
        ),
        Question(
            "The model wrote fluent text about Python. Where did that fluency come from?",
            ["Patterns in the text it was trained on: which tokens tend to follow which.",
             "It looked the answer up on the internet during the call.",
             "It reasoned it out from first principles while you waited."],
            answer=0,
            explanation="no magic, just next-token picks learned from a corpus.",
            hint="The tiny model in this lesson was built from nothing but counts over a corpus "
            "of Python's documentation (lessons 7.1 and 7.2 build it).",
        ),
    ],
    title="Quiz: the AI magic problem (lesson 7.0)",
)


@never_raises
def check_quiz_7_00(answers: Any) -> Verdict:
    """Grade lesson 7.0's quiz: ``answers`` like ``["a", "b", "c"]`` or ``"abc"`` (letters,
    or option indices like every quiz of the course)."""
    return grade_quiz(QUIZ_7_00, answers)
