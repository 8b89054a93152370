"""course_lib.exercises._report: the Verdict every check returns, and verify_solution."""

import pytest
from IPython.core.formatters import DisplayFormatter

from course_lib.exercises import (
    QUIZ_7_07,
    SolutionFailed,
    Verdict,
    check_fits_window,
    check_quiz_7_07,
    report,
    verify_solution,
)
from course_lib.exercises._report import NOT_YET, PASS, never_raises
from course_lib.tokens import count_chat_tokens


def fits(messages, window, max_tokens):
    return count_chat_tokens(messages) + max_tokens <= window


# ---------------------------------------------------------------------------------------
# Verdict


def test_a_verdict_shows_nothing_in_a_notebook():
    # IPython asks the object to display itself; a Verdict draws nothing, so a cell ending in
    # a check stores no execute_result ("True" / "False") under the check's own message.
    assert DisplayFormatter().format(Verdict(True, "Right.")) == ({}, {})
    assert DisplayFormatter().format(Verdict(False, "Not yet.")) == ({}, {})


def test_a_verdict_is_truthy_when_passed_and_says_what_it_is():
    passed, failed = Verdict(True, "Right."), Verdict(False, "Try again.")
    assert bool(passed) is True and bool(failed) is False
    assert passed == True and failed == False and passed != failed  # noqa: E712
    assert repr(passed) == "Verdict(PASS: Right.)" and repr(failed) == "Verdict(NOT YET: Try again.)"
    with pytest.raises(TypeError):
        hash(passed)  # equal to True yet not True: keep it out of sets and dict keys


def test_report_prints_one_plain_text_line(capsys):
    assert report(True, "Right.", "Try again.").message == "Right."
    assert report(False, "Right.", "Try again.").message == "Try again."
    assert capsys.readouterr().out == f"{PASS}: Right.\n{NOT_YET}: Try again.\n"
    assert PASS == "✅ PASS" and NOT_YET == "❌ NOT YET"


def test_never_raises_turns_an_unforeseen_error_into_not_yet(capsys):
    @never_raises
    def check_upper(text):
        return report(text.isupper(), "Shouting.", "Use capitals.")

    result = check_upper(42)
    assert isinstance(result, Verdict) and not result
    out = capsys.readouterr().out
    assert out.startswith(f"{NOT_YET}: This answer could not be checked (AttributeError")


# ---------------------------------------------------------------------------------------
# verify_solution


def test_verify_solution_is_silent_when_the_solution_passes(capsys):
    assert verify_solution(check_fits_window, fits) is None
    assert verify_solution(check_quiz_7_07, QUIZ_7_07.solution) is None  # several lines, all hidden
    assert capsys.readouterr() == ("", "")


def test_verify_solution_raises_with_the_checks_message_when_it_fails(capsys):
    with pytest.raises(SolutionFailed) as failed:
        verify_solution(check_fits_window, lambda m, w, r: count_chat_tokens(m) <= w)
    message = str(failed.value)
    assert message.startswith("check_fits_window: the solution cell's answer does not pass")
    assert f"{NOT_YET}: " in message and "The reply shares the window" in message
    assert capsys.readouterr() == ("", ""), "the failing check's output is in the error only"


def test_verify_solution_raises_on_an_unanswered_quiz(capsys):
    with pytest.raises(SolutionFailed, match=r"(?s)check_quiz_7_07: .*NOT YET: 0/3 correct"):
        verify_solution(check_quiz_7_07, [None, None, None])
    with pytest.raises(SolutionFailed, match="Not answered yet"):
        verify_solution(check_quiz_7_07, None)
    assert capsys.readouterr() == ("", "")


def test_verify_solution_is_an_assertion_error_so_ci_fails():
    assert issubclass(SolutionFailed, AssertionError)


def test_verify_solution_wants_the_check_first():
    with pytest.raises(TypeError, match="verify_solution\\(check_x, answer\\)"):
        verify_solution("check_fits_window", fits)
