"""Lesson 7.13's quiz: right answers pass, wrong and missing ones do not."""

import pytest

from course_lib.exercises import QUIZ_7_13, check_quiz_7_13


LINES = len(QUIZ_7_13) + 1  # one per question, then the verdict


def test_quiz(verdict):
    assert "Not answered" in verdict(check_quiz_7_13(None), False)
    assert "⬜ unanswered 2. " in verdict(check_quiz_7_13("b"), False, lines=LINES)
    wrong = ["a" if s != "a" else "b" for s in QUIZ_7_13.solution]
    assert verdict(check_quiz_7_13(wrong), False, lines=LINES).count("❌ wrong ") == 6
    out = verdict(check_quiz_7_13(QUIZ_7_13.solution), True, lines=LINES)
    assert out.splitlines()[-1] == "✅ PASS: 6/6 correct."
    verdict(check_quiz_7_13([ord(s) - ord("a") for s in QUIZ_7_13.solution]), True, lines=LINES)


@pytest.mark.parametrize("question", QUIZ_7_13.questions, ids=lambda q: q.text[:30])
def test_quiz_questions_are_well_formed(question):
    assert 0 <= question.answer < len(question.options) and question.explanation
