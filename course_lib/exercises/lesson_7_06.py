"""Lesson 7.6 — LLM fundamentals Q&A: the end-of-section quiz (lessons 7.0–7.6).

    >>> len(QUIZ_7_06)
    6
    >>> verdict = check_quiz_7_06(None)
    ❌ NOT YET: Not answered yet: replace the None in the cell above with your answer, then re-run.
"""

from __future__ import annotations

from typing import Any

from course_lib.exercises._report import Verdict, grade_quiz, never_raises
from course_lib.quiz import Question, Quiz

__all__ = ["QUIZ_7_06", "check_quiz_7_06"]


QUIZ_7_06 = Quiz(
    [
        Question(
            "You send the same prompt twice (temperature 1, no seed) and get two different "
            "answers. Why?",
            ["The model learned from your first request",
             "Each token is sampled from a probability distribution; different picks early "
             "on lead to different text",
             "The server was overloaded the second time",
             "The context window was full"],
            1,
            "generation samples one token at a time; an early different pick changes "
            "everything after it (lesson 7.5).",
        ),
        Question(
            "Which request makes repeated answers most alike?",
            ["temperature=1.5", "top_p=1.0", "temperature=0 (and a fixed seed)",
             "a larger max_completion_tokens"],
            2,
            "temperature 0 always picks the most likely token; a seed fixes the random "
            "draws. Real providers promise only best-effort determinism.",
        ),
        Question(
            "Why can a model state something false, fluently and confidently?",
            ["It is programmed to persuade",
             "It writes likely-looking next tokens; nothing in that loop checks facts, and "
             "'I don't know' comes out only when training made it likely",
             "Its temperature was too low",
             "Its context window was too small"],
            1,
            "fluency comes from patterns in the training data, not from a lookup of "
            "facts (lessons 7.2 and 7.6).",
        ),
        Question(
            "You tell a model your name in one request. A second request without the "
            "earlier messages does not know it. Why?",
            ["The API is stateless: the model sees only the messages in this request",
             "Names are filtered out for privacy",
             "The seed changed between the requests",
             "The model's training was updated in between"],
            0,
            "memory in a chat app is the app re-sending the history (lesson 7.10).",
        ),
        Question(
            "A chat's history plus the reply no longer fit the model's context window. "
            "What does the API do?",
            ["Silently drops the oldest messages",
             "Switches to a model with a larger window",
             "Rejects the request with 400 context_length_exceeded: you must trim, "
             "summarise or retrieve",
             "Charges double and answers anyway"],
            2,
            "the request is refused (and not billed); trimming is your job (lesson 7.4).",
        ),
        Question(
            "A reasoning model answers temperature=0.2 with 400 unsupported_value. "
            "What should your code do?",
            ["Retry with exponential backoff",
             "Send temperature=0 instead",
             "Leave temperature out (or pick a model whose row in the model table accepts it)",
             "Add a seed"],
            2,
            "a 400 is your request's fault: retrying repeats it. Newer reasoning models "
            "accept only the default temperature (lesson 7.5).",
        ),
    ],
    title="Quiz: LLM fundamentals (lessons 7.0–7.6)",
)


@never_raises
def check_quiz_7_06(answers: Any) -> Verdict:
    """Grade the lesson 7.6 quiz: one option letter ("b") or index (1) per question."""
    return grade_quiz(QUIZ_7_06, answers)
