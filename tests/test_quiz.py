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


def test_check_accepts_one_string_and_rejects_junk_without_raising(capsys):
    assert QUIZ.check("ba") and QUIZ.check("b, a") and QUIZ.check("B) A)")
    assert capsys.readouterr().out.count("✅ 2/2 correct.") == 3
    for junk in (1, 2.5, {"a": 1}, lambda: None):
        assert QUIZ.check(junk) is False
        assert capsys.readouterr().out.startswith("❌ Give a list")
    assert QUIZ.check(["b", "a", "a"]) is False  # one answer too many
    assert "3 answers for 2 questions" in capsys.readouterr().out


def test_one_verdict_line_after_the_questions(capsys):
    QUIZ.check(["c", "a"])
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 3 and lines[-1] == "❌ 1/2 correct."


def test_a_wrong_answer_shows_the_questions_hint(capsys):
    hinted = Quiz([Question("Pick b.", ["a", "b"], 1, hint="Look at the second.")])
    assert not hinted.check(["a"])
    assert "❌ 1. Not a) a. Look at the second." in capsys.readouterr().out


def test_quiz_is_a_sequence_of_questions_with_lettered_options():
    assert len(QUIZ) == 2 and list(QUIZ) == QUIZ.questions and QUIZ[1].text == "Pick a."
    assert QUIZ[0].options.items() == [("a", "a"), ("b", "b"), ("c", "c")]
    assert QUIZ[0].options[1] == "b"
