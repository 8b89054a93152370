"""Lesson 7.0's quiz: accepts every spelling of the right letters, rejects with a hint, and
never reveals an answer it was not given."""

from course_lib.exercises import QUIZ_7_00, check_quiz_7_00
from course_lib.quiz import Quiz


def test_quiz_accepts_letters_as_the_lesson_documents(verdict):
    # The 7.0 notebook asks for answers like ["a", "c", "b"]; any spelling of a letter works.
    right = QUIZ_7_00.solution
    for answers in (right, [a.upper() + ")" for a in right], "".join(right), ", ".join(right)):
        out = verdict(check_quiz_7_00(answers), True, lines=4)
        assert out.splitlines()[-1] == "✅ PASS: 3/3 correct.", out
        assert out.count("✅ right ") == 3, out
    verdict(check_quiz_7_00(["abc".index(a) for a in right]), True, lines=4)  # indices too


def test_quiz_rejects_with_the_questions_hint(verdict):
    right = QUIZ_7_00.solution
    wrong = ["c" if a != "c" else "a" for a in right]
    out = verdict(check_quiz_7_00(wrong), False, lines=4)
    assert QUIZ_7_00[0].hint in out and out.splitlines()[-1] == "❌ NOT YET: 0/3 correct."
    assert out.count("❌ wrong ") == 3, out
    assert "Not answered" in verdict(check_quiz_7_00(None), False)
    assert "⬜ unanswered 2. " in verdict(check_quiz_7_00(["a"]), False, lines=4)
    assert "4 answers for 3 questions" in verdict(check_quiz_7_00([*right, "a"]), False)


def test_quiz_is_a_course_quiz_the_lesson_can_list():
    # The lesson shows it with QUIZ_7_00.show(); its questions can also be listed by letter.
    assert isinstance(QUIZ_7_00, Quiz) and len(QUIZ_7_00) == 3
    for q in QUIZ_7_00:
        assert [letter for letter, _ in q.options.items()] == ["a", "b", "c"]
        assert q.hint and q.explanation


def test_quiz_answers_are_not_all_the_same_letter():
    assert len(set(QUIZ_7_00.solution)) == 3
