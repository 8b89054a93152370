"""Lesson 7.30's quiz: right answers pass, wrong and missing ones do not."""

import pytest

from course_lib.exercises import QUIZ_7_30, check_quiz_7_30

LINES = len(QUIZ_7_30) + 1  # one per question, then the verdict


def test_quiz(verdict):
    assert "Not answered" in verdict(check_quiz_7_30(None), False)
    assert "⬜ unanswered 2. " in verdict(check_quiz_7_30("b"), False, lines=LINES)
    wrong = ["c" if s != "c" else "a" for s in QUIZ_7_30.solution]
    assert verdict(check_quiz_7_30(wrong), False, lines=LINES).count("❌ wrong ") == 6
    out = verdict(check_quiz_7_30(QUIZ_7_30.solution), True, lines=LINES)
    assert out.splitlines()[-1] == "✅ PASS: 6/6 correct."
    verdict(check_quiz_7_30([ord(s) - ord("a") for s in QUIZ_7_30.solution]), True, lines=LINES)


def test_a_wrong_answer_shows_a_hint_not_the_answer(verdict):
    wrong = ["a" if s != "a" else "b" for s in QUIZ_7_30.solution]
    out = verdict(check_quiz_7_30(wrong), False, lines=LINES)
    for question in QUIZ_7_30:
        assert question.explanation not in out
        assert question.hint in out


def test_the_answers_are_not_all_in_one_position():
    assert len(set(QUIZ_7_30.solution)) == 3


def test_the_notebook_solution_is_the_quiz_solution():
    assert QUIZ_7_30.solution == ["b", "c", "a", "b", "a", "b"]


@pytest.mark.parametrize("question", QUIZ_7_30.questions, ids=lambda q: q.text[:30])
def test_quiz_questions_are_well_formed(question):
    assert 0 <= question.answer < len(question.options) and question.explanation
