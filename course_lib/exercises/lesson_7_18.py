"""Lesson 7.18 — Function calling Q&A: the lesson's quiz (tool_choice, bad calls, eval, loop guards).

The questions live here, not in the notebook, so the notebook's code does not show the
answers; :mod:`course_lib.quiz` draws the widget and grades.

    >>> len(QUIZ_7_18)
    6
    >>> verdict = check_quiz_7_18(None)
    ❌ NOT YET: Not answered yet: replace the None in the cell above with your answer, then re-run.
"""

from __future__ import annotations

from typing import Any

from course_lib.exercises._report import Verdict, grade_quiz, never_raises
from course_lib.quiz import Question, Quiz

__all__ = ["QUIZ_7_18", "check_quiz_7_18"]


QUIZ_7_18 = Quiz(
    [
        Question(
            'Tools are offered with tool_choice="none". The model…',
            [
                "answers in text and calls no tool",
                "calls a tool only if it is sure it needs one",
                "returns a 400: tools and none contradict each other",
            ],
            answer=0,
            explanation="none means no tool call in this response; the tools may still be "
            "listed (and still cost prompt tokens).",
        ),
        Question(
            'Your loop sends tool_choice="required" on every round. What happens?',
            [
                "the model answers in text once it has the results",
                "the model must call a tool on every response, so the loop never ends by itself",
                "the API rejects the second request",
            ],
            answer=1,
            explanation="required holds on every request: force the first round only, then "
            "switch to auto, and cap the rounds anyway.",
        ),
        Question(
            "The model calls calculate, a tool you never defined. Your code should…",
            [
                "raise an exception and end the conversation",
                "skip the call and send nothing back for it",
                "answer that call with an error result naming the tools that exist",
            ],
            answer=2,
            explanation="every call needs an answer with its id (else a 400); an error that "
            "lists the real tools lets the model correct itself.",
        ),
        Question(
            "Which is a safe way to evaluate the model's expression argument?",
            [
                "eval(expression) with {'__builtins__': {}} as globals",
                "parse it with ast and walk only whitelisted nodes, refusing the rest",
                "eval(expression) after checking it contains no 'import'",
            ],
            answer=1,
            explanation="emptied builtins and word filters are escapable; a whitelist walker "
            "never runs the text, it only reads it.",
        ),
        Question(
            "Your loop guard stops the loop after its maximum number of tool rounds. The user should see…",
            [
                "a plain message that the assistant stopped before finishing",
                "the raw JSON of the last tool result",
                "nothing: keep waiting until the model answers",
            ],
            answer=0,
            explanation="say what happened and what to try next; log the details for yourself.",
        ),
        Question(
            'With tool_choice={"type": "function", "function": {"name": "get_weather"}}, '
            "the user asks for 37 * 12. The model…",
            [
                "calls the calculator: the question is arithmetic",
                "calls get_weather, because it was told to",
                "answers 444 in text",
            ],
            answer=1,
            explanation="a named tool_choice forces that tool, whether or not it fits the question.",
        ),
    ],
    title="Quiz: Function Calling Q&A (lesson 7.18)",
)


@never_raises
def check_quiz_7_18(answers: Any) -> Verdict:
    """Grade the lesson 7.18 quiz: one option letter ("b") or index (1) per question."""
    return grade_quiz(QUIZ_7_18, answers)
