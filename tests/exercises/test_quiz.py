"""course_lib.quiz: multiple-choice quizzes with a widget and a text fallback."""

import dataclasses
import doctest

import pytest

from course_lib import quiz
from course_lib.exercises import LESSONS, Verdict
from course_lib.quiz import Question, Quiz

QUIZ = Quiz([
    Question("Pick b.", ["a", "b", "c"], 1, "b is right."),
    Question("Pick a.", ["x", "y"], 0),
])

# Every lesson quiz of the course, by name (QUIZ_7_NN).
LESSON_QUIZZES = {name: getattr(lesson, name) for lesson in LESSONS for name in lesson.__all__
                  if name.startswith("QUIZ_")}


def test_docstring_examples():
    result = doctest.testmod(quiz)
    assert result.attempted and result.failed == 0


def test_check_accepts_letters_and_indices(capsys):
    assert QUIZ.check(["b", 0])
    assert QUIZ.check(["B)", "a"])
    out = capsys.readouterr().out
    assert "✅ right 1. b) b: b is right." in out and "✅ PASS: 2/2 correct." in out


def test_check_returns_a_verdict_never_a_bool(capsys):
    for answers in (["b", "a"], ["c"], None, 1):
        result = QUIZ.check(answers)
        assert isinstance(result, Verdict) and result.ok is (answers == ["b", "a"])
    capsys.readouterr()


def test_check_reports_wrong_and_missing_answers_without_revealing(capsys):
    assert not QUIZ.check(["c"])
    out = capsys.readouterr().out
    assert "❌ wrong 1. Not c) c." in out and "⬜ unanswered 2. Choose one of a, b." in out
    assert "b is right" not in out and "b) b" not in out
    assert not QUIZ.check(None)
    assert not QUIZ.check(["z", 7])  # out of range counts as not answered
    assert capsys.readouterr().out.count("⬜ unanswered ") == 4


def test_solution_and_text():
    assert QUIZ.solution == ["b", "a"]
    assert QUIZ.text().splitlines()[:2] == ["1. Pick b.", "   a) a"]


def test_widget_checks_the_chosen_answers():
    box = QUIZ.widget()
    radios = [w for w in box.children if w.__class__.__name__ == "RadioButtons"]
    button = next(w for w in box.children if w.__class__.__name__ == "Button")
    radios[0].value, radios[1].value = 1, 0
    button.click()  # runs the check into the Output widget; must not raise


def test_show_prints_as_text_where_widgets_cannot_render():
    view = QUIZ.show()
    bundle = view._repr_mimebundle_()
    assert bundle["text/plain"].startswith("Quiz\n1. Pick b.")
    assert "application/vnd.jupyter.widget-view+json" in bundle
    assert repr(view) == bundle["text/plain"] == repr(QUIZ)


def test_check_accepts_one_string_and_rejects_junk_without_raising(capsys):
    assert QUIZ.check("ba") and QUIZ.check("b, a") and QUIZ.check("B) A)")
    assert capsys.readouterr().out.count("✅ PASS: 2/2 correct.") == 3
    for junk in (1, 2.5, {"a": 1}, lambda: None):
        assert QUIZ.check(junk) == False  # noqa: E712 (a Verdict compares with a bool)
        assert capsys.readouterr().out.startswith("❌ NOT YET: Give a list")
    assert not QUIZ.check(["b", "a", "a"])  # one answer too many
    assert "❌ NOT YET: 3 answers for 2 questions" in capsys.readouterr().out


def test_one_verdict_line_after_the_questions(capsys):
    QUIZ.check(["c", "a"])
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 3 and lines[-1] == "❌ NOT YET: 1/2 correct."


def test_every_line_reads_right_without_an_emoji_font(capsys):
    QUIZ.check(["b", None])
    QUIZ.check(["c", "a"])
    for line in capsys.readouterr().out.splitlines():
        words = line.split(" ", 2)[1]  # what remains if the mark renders as an empty box
        assert words in {"right", "wrong", "unanswered", "PASS:", "NOT"}, line


def test_a_wrong_answer_shows_the_questions_hint(capsys):
    hinted = Quiz([Question("Pick b.", ["a", "b"], 1, hint="Look at the second.")])
    assert not hinted.check(["a"])
    assert "❌ wrong 1. Not a) a. Look at the second." in capsys.readouterr().out


def test_quiz_is_a_sequence_of_questions_with_lettered_options():
    assert len(QUIZ) == 2 and list(QUIZ) == QUIZ.questions and QUIZ[1].text == "Pick a."
    assert QUIZ[0].options.items() == [("a", "a"), ("b", "b"), ("c", "c")]
    assert QUIZ[0].options[1] == "b"


# ---------------------------------------------------------------------------------------
# Nothing shown before a right answer gives it away, in any lesson's quiz


def test_the_lessons_quizzes_are_found():
    assert set(LESSON_QUIZZES) >= {"QUIZ_7_00", "QUIZ_7_06", "QUIZ_7_07", "QUIZ_7_13"}


@pytest.mark.parametrize("name", sorted(LESSON_QUIZZES))
def test_text_view_and_reprs_do_not_depend_on_the_answers(name):
    lesson_quiz = LESSON_QUIZZES[name]
    moved = Quiz([dataclasses.replace(q, answer=(q.answer + 1) % len(q.options),
                                      explanation="MOVED", hint="MOVED")
                  for q in lesson_quiz], title=lesson_quiz.title)
    assert moved.text() == lesson_quiz.text() and repr(moved) == repr(lesson_quiz)
    assert [repr(q) for q in moved] == [repr(q) for q in lesson_quiz]
    for q in lesson_quiz:
        assert q.explanation not in repr(lesson_quiz) and q.explanation not in repr(q)


@pytest.mark.parametrize("name", sorted(LESSON_QUIZZES))
def test_wrong_and_missing_answers_never_show_the_right_option(capsys, name):
    lesson_quiz = LESSON_QUIZZES[name]
    wrong = [(q.answer + 1) % len(q.options) for q in lesson_quiz]
    for answers in (wrong, [None] * len(lesson_quiz), []):
        lesson_quiz.check(answers)
        out = capsys.readouterr().out
        for q in lesson_quiz:
            right = f"{'abcdefgh'[q.answer]}) {q.options[q.answer].rstrip('.')}"
            assert right not in out and q.explanation not in out, (right, out)
