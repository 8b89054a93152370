"""Lesson 7.18's quiz: right answers pass, wrong and missing ones do not."""

import pytest

from course_lib.exercises import QUIZ_7_18, check_quiz_7_18

LINES = len(QUIZ_7_18) + 1  # one per question, then the verdict


def test_quiz(verdict):
    assert "Not answered" in verdict(check_quiz_7_18(None), False)
    assert "⬜ unanswered 2. " in verdict(check_quiz_7_18("a"), False, lines=LINES)
    wrong = ["c" if s != "c" else "a" for s in QUIZ_7_18.solution]
    assert verdict(check_quiz_7_18(wrong), False, lines=LINES).count("❌ wrong ") == 6
    out = verdict(check_quiz_7_18(QUIZ_7_18.solution), True, lines=LINES)
    assert out.splitlines()[-1] == "✅ PASS: 6/6 correct."
    verdict(check_quiz_7_18([ord(s) - ord("a") for s in QUIZ_7_18.solution]), True, lines=LINES)


def test_the_answers_are_not_all_in_one_position():
    assert len(set(QUIZ_7_18.solution)) == 3


@pytest.mark.parametrize("question", QUIZ_7_18.questions, ids=lambda q: q.text[:30])
def test_quiz_questions_are_well_formed(question):
    assert 0 <= question.answer < len(question.options) and question.explanation
