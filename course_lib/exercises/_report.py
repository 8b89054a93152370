"""What every check shares: how it reports its verdict, and how it runs a student's code.

A check prints one line that reads right as plain text, ``✅ PASS: ...`` or
``❌ NOT YET: ...``, and returns a :class:`Verdict`: truthy when the answer passed, and
silent as a cell's last expression (no stray ``True`` under the message).

Solution cells end with ``verify_solution(check, *args)`` instead of calling the check: it
runs the check with its message hidden, prints nothing when the solution passes and raises
when it does not. So "Run All" executes (and CI verifies) every solution without printing
an answer or a pass the student did not earn.
"""

from __future__ import annotations

import contextlib
import functools
import io
from collections.abc import Callable
from typing import Any, TypeVar

NOT_ANSWERED = "Not answered yet: replace the None in the cell above with your answer, then re-run."

F = TypeVar("F", bound=Callable[..., bool])


PASS = "✅ PASS"
NOT_YET = "❌ NOT YET"


class Verdict:
    """A check's result: ``bool(verdict)`` is whether it passed; it displays as nothing.

    The check has already printed its message; echoing ``True`` under it in a notebook
    would be noise, so IPython shows nothing for a Verdict (``_ipython_display_``), while
    ``repr`` still says what it is, for tests and plain Python.

    >>> Verdict(True, "Right.")
    Verdict(PASS: Right.)
    """

    __slots__ = ("ok", "message")

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
    without printing its result, so the notebook never shows a pass nobody earned.

    >>> verify_solution(lambda x: report(x == 2, "two", "not two"), 2)
    >>> verify_solution(lambda x: report(x == 2, "two", "not two"), 3)
    Traceback (most recent call last):
    ...
    course_lib.exercises._report.SolutionFailed: the solution does not pass its check: ❌ NOT YET: not two
    """
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        ok = check(*args, **kwargs)
    if not ok:
        raise SolutionFailed(f"the solution does not pass its check: {out.getvalue().strip()}")


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


def never_raises(check: F) -> F:
    """Make ``check`` keep its promise: whatever it is given, it reports and returns a bool.

    Checks test the usual mistakes themselves, with specific hints; this catches what they
    did not foresee (an answer of an unexpected type, an object whose ``==`` raises...).
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


def check_quiz(quiz: Any, answers: Any) -> bool:
    """Grade ``answers`` to a :class:`course_lib.quiz.Quiz` (one verdict, printed by the quiz)."""
    if answers is None:
        return report(False, "", NOT_ANSWERED)
    return quiz.check(answers)
