"""What every check shares: how it reports its verdict, and how it runs a student's code.

A check prints lines that read right as plain text, ending with ``✅ PASS: ...`` or
``❌ NOT YET: ...``, and returns a :class:`Verdict`: truthy when the answer passed, and
silent as a cell's last expression (no stray ``True`` under the message).

Solution cells end with ``verify_solution(check, *args)`` instead of calling the check: it
runs the check with its message hidden, prints nothing when the solution passes and raises
when it does not. So "Run All" executes (and CI verifies) every solution without printing
an answer or a pass the student did not earn.

    >>> verdict = report(False, "Right: 4.", "Not 5: count again.")
    ❌ NOT YET: Not 5: count again.
    >>> bool(verdict), verdict
    (False, Verdict(NOT YET: Not 5: count again.))
"""

from __future__ import annotations

import contextlib
import functools
import io
from collections.abc import Callable
from typing import Any, TypeVar

__all__ = ["SolutionFailed", "Verdict", "report", "verify_solution"]

NOT_ANSWERED = "Not answered yet: replace the None in the cell above with your answer, then re-run."

PASS = "✅ PASS"
NOT_YET = "❌ NOT YET"

F = TypeVar("F", bound=Callable[..., Any])


class Verdict:
    """A check's result: ``bool(verdict)`` is whether it passed; it displays as nothing.

    The check has already printed its message; echoing ``True`` under it in a notebook
    would be noise, so IPython shows nothing for a Verdict (``_ipython_display_``), while
    ``repr`` still says what it is, for tests and plain Python.

    >>> Verdict(True, "Right.")
    Verdict(PASS: Right.)
    >>> Verdict(False) == False
    True
    """

    __slots__ = ("message", "ok")

    def __init__(self, ok: bool, message: str = "") -> None:
        self.ok, self.message = bool(ok), message

    def __bool__(self) -> bool:
        return self.ok

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Verdict):
            return self.ok == other.ok
        if isinstance(other, bool):
            return self.ok == other
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"Verdict({'PASS' if self.ok else 'NOT YET'}: {self.message})"

    def _ipython_display_(self) -> None:
        """Show nothing: the check printed its message already."""


def report(ok: bool, success: str, hint: str) -> Verdict:
    """Print ``✅ PASS: success`` or ``❌ NOT YET: hint`` and return the :class:`Verdict`.

    ``hint`` is shown for a wrong or missing answer: it says what to look at, never what
    the answer is.

    >>> bool(report(1 + 1 == 2, "Right: 2.", "Try adding again."))
    ✅ PASS: Right: 2.
    True
    """
    message = success if ok else hint
    print(f"{PASS if ok else NOT_YET}: {message}")
    return Verdict(ok, message)


class SolutionFailed(AssertionError):
    """A solution cell's answer did not pass its own check (a bug in the lesson)."""


def verify_solution(check: Callable[..., Any], *args: Any, **kwargs: Any) -> None:
    """Run ``check(*args, **kwargs)`` silently; raise :class:`SolutionFailed` unless it passes.

    For solution cells: the solution is executed and verified (by "Run All" and by CI)
    without printing its result, so the notebook never shows a pass nobody earned. The
    error carries what the check printed, so a broken solution says why.

    >>> def check_two(x):
    ...     return report(x == 2, "two", "not two")
    >>> verify_solution(check_two, 2)
    >>> verify_solution(check_two, 3)
    Traceback (most recent call last):
    ...
    course_lib.exercises._report.SolutionFailed: check_two: the solution cell's answer does not pass its check (fix the solution): ❌ NOT YET: not two
    """
    if not callable(check):
        raise TypeError(f"verify_solution(check, ...) needs the check function first, not "
                        f"{type(check).__name__}: write verify_solution(check_x, answer).")
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        ok = check(*args, **kwargs)
    if not ok:
        name = getattr(check, "__name__", "the check")
        raise SolutionFailed(f"{name}: the solution cell's answer does not pass its check "
                             f"(fix the solution): {out.getvalue().strip()}")


def call(fn: Callable, *args: Any, shown: str = "your function") -> tuple[Any, str | None]:
    """``(fn(*args), None)``, or ``(None, message)`` when the student's code raises.

    ``shown`` names the call in the message; keep hidden inputs (a key!) out of it.

    >>> call(lambda x: 1 / x, 0)
    (None, 'your function raised ZeroDivisionError: division by zero')
    """
    try:
        return fn(*args), None
    except Exception as exc:  # a student's bug must not stop the notebook
        return None, f"{shown} raised {type(exc).__name__}: {exc}"


def call_shown(fn: Any, *args: Any) -> tuple[Any, str | None]:
    """Like :func:`call`, naming the call with its (short) arguments in the message.

    >>> def first(items, n):
    ...     raise ValueError("no items")
    >>> call_shown(first, [], 2)[1]
    'first([], 2) raised ValueError: no items'
    """
    shown = ", ".join(repr(a) if not isinstance(a, list) or len(a) < 6 else "[…]" for a in args)
    return call(fn, *args, shown=f"{getattr(fn, '__name__', 'your function')}({shown})")


def never_raises(check: F) -> F:
    """Make ``check`` keep its promise: whatever it is given, it reports and returns a Verdict.

    Checks test the usual mistakes themselves, with specific hints; this catches what they
    did not foresee (an answer of an unexpected type, an object whose ``==`` raises...).

    >>> @never_raises
    ... def check_upper(text):
    ...     return report(text.isupper(), "Shouting.", "Use capitals.")
    >>> verdict = check_upper(42)
    ❌ NOT YET: This answer could not be checked (AttributeError: 'int' object has no attribute 'isupper'). Compare its type and shape with what the exercise asks for.
    """

    @functools.wraps(check)
    def safe(*args: Any, **kwargs: Any) -> Verdict:
        try:
            result = check(*args, **kwargs)
            return result if isinstance(result, Verdict) else Verdict(bool(result))
        except Exception as exc:
            return report(False, "", f"This answer could not be checked ({type(exc).__name__}: "
                          f"{exc}). Compare its type and shape with what the exercise asks for.")

    return safe  # type: ignore[return-value]


def grade_quiz(quiz: Any, answers: Any) -> Verdict:
    """Grade ``answers`` to a :class:`course_lib.quiz.Quiz`: one line per question, then the
    verdict (printed by the quiz). No answers at all gives the one "not answered" line."""
    if answers is None:
        return report(False, "", NOT_ANSWERED)
    return quiz.check(answers)
