"""Lesson 7.7's quiz: the right letters pass, wrong and missing ones do not."""

from course_lib.exercises import QUIZ_7_07, check_quiz_7_07

LINES = len(QUIZ_7_07) + 1  # one per question, then the verdict


def test_quiz(verdict):
    out = verdict(check_quiz_7_07(QUIZ_7_07.solution), True, lines=LINES)
    assert out.splitlines()[-1] == "✅ PASS: 3/3 correct."
    out = verdict(check_quiz_7_07(["a", "a", "a"]), False, lines=LINES)
    assert out.splitlines()[-1] == f"❌ NOT YET: {QUIZ_7_07.solution.count('a')}/3 correct."
    verdict(check_quiz_7_07(None), False)


def test_the_lessons_blank_answers_are_unanswered_not_wrong(verdict):
    # The 7.7 notebook starts from answers = [None, None, None].
    out = verdict(check_quiz_7_07([None, None, None]), False, lines=LINES)
    assert out.count("⬜ unanswered ") == 3 and "wrong" not in out


def test_quiz_answers_are_not_all_the_same_letter():
    assert len(set(QUIZ_7_07.solution)) == 3
