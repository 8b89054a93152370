"""Lesson 7.6's quiz: right answers in any spelling pass, wrong and missing ones do not."""

from course_lib.exercises import QUIZ_7_06, check_quiz_7_06
from course_lib.quiz import Quiz

LINES = len(QUIZ_7_06) + 1  # one per question, then the verdict


def test_quiz_accepts_the_right_answers_in_any_spelling(verdict):
    solution = QUIZ_7_06.solution
    for answers in (solution, [s.upper() for s in solution], ["abcd".index(s) for s in solution],
                    "".join(solution)):
        out = verdict(check_quiz_7_06(answers), True, lines=LINES)
        assert out.splitlines()[-1] == "✅ PASS: 6/6 correct."


def test_quiz_prints_one_verdict(verdict):
    # One line per question, then exactly one verdict (the score), as every course quiz.
    solution = QUIZ_7_06.solution
    all_a = ["a"] * len(solution)
    for answers, ok, last in ((solution, True, "✅ PASS: 6/6 correct."),
                              (all_a, False, f"❌ NOT YET: {solution.count('a')}/6 correct.")):
        lines = verdict(check_quiz_7_06(answers), ok, lines=LINES).splitlines()
        assert lines[-1] == last


def test_quiz_rejects_wrong_and_missing_answers(verdict):
    solution = QUIZ_7_06.solution
    wrong = ["a" if s != "a" else "b" for s in solution]
    assert verdict(check_quiz_7_06(wrong), False, lines=LINES).count("❌ wrong ") == 6
    assert "⬜ unanswered 6. " in verdict(check_quiz_7_06(solution[:-1]), False, lines=LINES)
    assert "Not answered yet" in verdict(check_quiz_7_06(None), False)
    verdict(check_quiz_7_06("abc"), False, lines=LINES)


def test_quiz_answers_are_not_all_the_same_letter():
    assert isinstance(QUIZ_7_06, Quiz) and len(QUIZ_7_06) == 6
    assert len(set(QUIZ_7_06.solution)) >= 3
