"""Lesson 7.25's quiz: the right letters pass, wrong and missing ones do not."""

from course_lib.exercises import QUIZ_7_25, check_quiz_7_25

LINES = len(QUIZ_7_25) + 1  # one per question, then the verdict


def test_quiz(verdict):
    out = verdict(check_quiz_7_25(QUIZ_7_25.solution), True, lines=LINES)
    assert out.splitlines()[-1] == "✅ PASS: 3/3 correct."
    verdict(check_quiz_7_25(["a", "a", "a"]), False, lines=LINES)
    verdict(check_quiz_7_25(None), False)


def test_blank_answers_are_unanswered_not_wrong(verdict):
    out = verdict(check_quiz_7_25([None, None, None]), False, lines=LINES)
    assert out.count("⬜ unanswered ") == 3 and "wrong" not in out


def test_quiz_answers_are_not_all_the_same_letter():
    assert len(set(QUIZ_7_25.solution)) == 3


def test_the_module_docstring_example_holds():
    import doctest

    from course_lib.exercises import lesson_7_25

    result = doctest.testmod(lesson_7_25)
    assert result.attempted and result.failed == 0
