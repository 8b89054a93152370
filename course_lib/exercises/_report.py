"""What every check shares: how it reports its verdict, and how it runs a student's code."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, TypeVar

NOT_ANSWERED = "Not answered yet: replace the None in the cell above with your answer, then re-run."

F = TypeVar("F", bound=Callable[..., bool])


def report(ok: bool, success: str, hint: str) -> bool:
    """Print ``✅ success`` or ``❌ hint`` and return ``ok``.

    >>> report(1 + 1 == 2, "Right: 2.", "Try adding again.")
    ✅ Right: 2.
    True
    """
    print(f"✅ {success}" if ok else f"❌ {hint}")
    return ok


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
    def safe(*args: Any, **kwargs: Any) -> bool:
        try:
            return bool(check(*args, **kwargs))
        except Exception as exc:
            return report(False, "", f"This answer could not be checked ({type(exc).__name__}: "
                          f"{exc}). Compare its type and shape with what the exercise asks for.")

    return safe  # type: ignore[return-value]


def check_quiz(quiz: Any, answers: Any) -> bool:
    """Grade ``answers`` to a :class:`course_lib.quiz.Quiz` (one verdict, printed by the quiz)."""
    if answers is None:
        return report(False, "", NOT_ANSWERED)
    return quiz.check(answers)
