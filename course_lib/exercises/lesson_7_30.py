"""Lesson 7.30 — Context engineering Q&A: the lesson's quiz (RAG vs long context, placement).

The questions live here, not in the notebook, so the notebook's code does not show the
answers; :mod:`course_lib.quiz` draws the widget and grades.

    >>> len(QUIZ_7_30)
    6
    >>> verdict = check_quiz_7_30(None)
    ❌ NOT YET: Not answered yet: replace the None in the cell above with your answer, then re-run.
"""

from __future__ import annotations

from typing import Any

from course_lib.exercises._report import Verdict, grade_quiz, never_raises
from course_lib.quiz import Question, Quiz

__all__ = ["QUIZ_7_30", "check_quiz_7_30"]


QUIZ_7_30 = Quiz(
    [
        Question(
            "A 60,000-token handbook fits your model's window and is asked hundreds of "
            "questions a day. Anthropic's published advice (Sep 2024) for a knowledge base "
            "this size is to…",
            [
                "chunk and embed it: retrieval is always cheaper",
                "put all of it in the prompt and use prompt caching",
                "send only the first 4,000 tokens",
            ],
            answer=1,
            explanation="under about 200,000 tokens, skip retrieval: the whole base in the "
            "prompt, cached, so each later question pays about a tenth for it.",
            hint="Look again at the evidence quoted in Q1, and at the cached column of the "
            "cost table.",
        ),
        Question(
            "Lost in the Middle, 20 documents, GPT-3.5-Turbo: with the answer in the 10th "
            "document, accuracy was…",
            [
                "about the same as with the answer first",
                "higher than with the answer last",
                "below the model's score with no documents at all (closed-book)",
            ],
            answer=2,
            explanation="53.8% in the middle vs 56.1% closed-book and 75.8% first: the "
            "documents made it worse than none.",
            hint="Compare the middle column of the table in Q2 with the closed-book column.",
        ),
        Question(
            "Many questions are asked about the same documents. Where should each question go "
            "so that prompt caching helps?",
            [
                "after the documents, so every request starts with the same prefix",
                "before the documents, so the model reads it first",
                "it makes no difference to caching",
            ],
            answer=0,
            explanation="a cache hit needs an identical prefix; whatever changes per request "
            "goes last.",
            hint="A cache hit needs the start of the prompt to be byte-for-byte the same as "
            "before: look at the cached-tokens column of the placement table.",
        ),
        Question(
            "Putting the question both before and after the documents (query-aware "
            "contextualization) in the paper…",
            [
                "made multi-document QA near-perfect",
                "made key-value retrieval near-perfect but barely changed multi-document QA",
                "made every model worse",
            ],
            answer=1,
            explanation="a fix for exact lookups, not for reading comprehension; and with the "
            "question first, the cacheable prefix is gone.",
            hint="The paper treats its two tasks differently here: re-read Q2's evidence.",
        ),
        Question(
            "In the paper's open-domain case study, retrieving 50 documents instead of 20 "
            "raised GPT-3.5-Turbo's accuracy by about…",
            ["1.5 points", "15 points", "25 points"],
            answer=0,
            explanation="more context costs more tokens and buys little: retrieval quality "
            "matters more than quantity.",
            hint="More documents means more tokens: the paper found the gain was small.",
        ),
        Question(
            "Offline, the stand-in found the value at every position of the key-value prompt. "
            "This shows that…",
            [
                "position does not matter for current models",
                "nothing about real models' position bias: the stand-in looks the key up exactly",
                "the paper's results no longer hold",
            ],
            answer=1,
            explanation="the stand-in reads no attention; run the same cell with a real key "
            "to measure a real model, and cite the paper for what was published.",
            hint="How does the stand-in answer a key-value question? The lesson says it "
            "plainly under the placement demo.",
        ),
    ],
    title="Quiz: Context Engineering Q&A (lesson 7.30)",
)


@never_raises
def check_quiz_7_30(answers: Any) -> Verdict:
    """Grade the lesson 7.30 quiz: one option letter ("b") or index (1) per question."""
    return grade_quiz(QUIZ_7_30, answers)
