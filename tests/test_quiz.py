"""course_lib.quiz: multiple-choice quizzes with a widget and a text fallback."""

import doctest

from course_lib import quiz
from course_lib.quiz import Question, Quiz

QUIZ = Quiz([
    Question("Pick b.", ["a", "b", "c"], 1, "b is right."),
    Question("Pick a.", ["x", "y"], 0),
])


def test_docstring_examples():
    assert doctest.testmod(quiz).failed == 0


def test_check_accepts_letters_and_indices(capsys):
    assert QUIZ.check(["b", 0])
    assert QUIZ.check(["B)", "a"])
    out = capsys.readouterr().out
    assert "✅ 1. b) b: b is right." in out and "2/2 correct." in out


def test_check_reports_wrong_and_missing_answers_without_revealing(capsys):
    assert not QUIZ.check(["c"])
    out = capsys.readouterr().out
    assert "❌ 1. Not c) c." in out and "⬜ 2. Not answered yet" in out
    assert "b is right" not in out
    assert not QUIZ.check(None)
    assert not QUIZ.check(["z", 7])  # out of range counts as not answered


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
    assert repr(view) == bundle["text/plain"]
