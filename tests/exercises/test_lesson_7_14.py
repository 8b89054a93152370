"""Lesson 7.14's quiz: the right letters pass, wrong and missing ones do not."""

from course_lib.exercises import QUIZ_7_14, check_quiz_7_14

LINES = len(QUIZ_7_14) + 1  # one per question, then the verdict


def test_quiz(verdict):
    out = verdict(check_quiz_7_14(QUIZ_7_14.solution), True, lines=LINES)
    assert out.splitlines()[-1] == "✅ PASS: 3/3 correct."
    verdict(check_quiz_7_14(["a", "a", "a"]), False, lines=LINES)
    verdict(check_quiz_7_14([None, None, None]), False, lines=LINES)
    verdict(check_quiz_7_14(None), False)


def test_the_notebooks_answers_are_the_solution():
    assert QUIZ_7_14.solution == ["c", "a", "b"]  # as in the 7.14 notebook's solution cell
