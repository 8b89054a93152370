"""The named functions and constants the calculator offers, each guarding its own domain.

    >>> call_function("sqrt", [16])
    4.0
    >>> call_function("log", [8, 2])
    3.0

Each entry says how many arguments it takes; a bad call raises :class:`CalculatorError`
saying what would work (``sqrt(-1)`` -> "sqrt() needs a number >= 0 ..."). To offer another
function, add a line to ``_TABLE``: ``ALLOWED``, which error messages and the tool
description quote, lists the names automatically.
"""

from __future__ import annotations

import math
from collections.abc import Callable

from course_lib.tools.errors import CalculatorError

Number = int | float
MAX_FACTORIAL = 449  # 449! has 998 digits, just inside the calculator's 1000-digit limit
MAX_ROUND_DIGITS = 1000  # round(5, -10**100) would compute 10 ** 10**100 first


def _sqrt(x: Number) -> float:
    if x < 0:
        raise CalculatorError(
            "sqrt() needs a number >= 0 (the square root of a negative number is not a real number)"
        )
    return math.sqrt(x)


def _log(x: Number, base: Number | None = None) -> float:
    if x <= 0:
        raise CalculatorError("log() needs a number > 0")
    if base is None:
        return math.log(x)
    if base <= 0 or base == 1:
        raise CalculatorError("the base of log(x, base) must be > 0 and not 1")
    return math.log(x, base)


def _positive(name: str, function: Callable[[Number], float]) -> Callable[[Number], float]:
    def guarded(x: Number) -> float:
        if x <= 0:
            raise CalculatorError(f"{name}() needs a number > 0")
        return function(x)

    return guarded


def _factorial(n: Number) -> int:
    # Accept 5.0 as well as 5: models often pass the result of a division.
    if isinstance(n, float) and n.is_integer():
        n = int(n)
    if not isinstance(n, int) or n < 0:
        raise CalculatorError("factorial() needs a whole number >= 0, e.g. factorial(5)")
    if n > MAX_FACTORIAL:  # checked before computing: factorial(10**10) would never finish
        raise CalculatorError(
            f"factorial() is limited to n <= {MAX_FACTORIAL} (larger results have over 1000 digits)"
        )
    return math.factorial(n)


def _round(x: Number, ndigits: Number | None = None) -> Number:
    if ndigits is None:
        return round(x)
    if not isinstance(ndigits, int) or abs(ndigits) > MAX_ROUND_DIGITS:
        raise CalculatorError("round(x, n) needs a whole number n of digits, e.g. round(x, 2)")
    return round(x, ndigits)


# name -> (function, fewest arguments, most arguments)
_TABLE: dict[str, tuple[Callable[..., Number], int, int]] = {
    "abs": (abs, 1, 1),
    "round": (_round, 1, 2),
    "floor": (math.floor, 1, 1),
    "ceil": (math.ceil, 1, 1),
    "sqrt": (_sqrt, 1, 1),
    "exp": (math.exp, 1, 1),
    "log": (_log, 1, 2),
    "log2": (_positive("log2", math.log2), 1, 1),
    "log10": (_positive("log10", math.log10), 1, 1),
    "sin": (math.sin, 1, 1),
    "cos": (math.cos, 1, 1),
    "tan": (math.tan, 1, 1),
    "asin": (math.asin, 1, 1),
    "acos": (math.acos, 1, 1),
    "atan": (math.atan, 1, 1),
    "degrees": (math.degrees, 1, 1),
    "radians": (math.radians, 1, 1),
    "factorial": (_factorial, 1, 1),
    "min": (min, 2, 100),
    "max": (max, 2, 100),
}
FUNCTIONS = tuple(_TABLE)
CONSTANTS: dict[str, float] = {"pi": math.pi, "e": math.e, "tau": math.tau}
# Everything the calculator accepts, in one line: error messages and the tool description use it.
ALLOWED = "numbers, + - * / // % ** (power), parentheses, " + ", ".join(
    [f"{name}()" for name in FUNCTIONS] + list(CONSTANTS)
)


def call_function(name: str, args: list[Number]) -> Number:
    """Call the whitelisted function ``name``; every failure becomes a CalculatorError."""
    function, fewest, most = _TABLE[name]
    if not fewest <= len(args) <= most:
        count = str(fewest) if fewest == most else f"{fewest} to {most}"
        raise CalculatorError(f"{name}() takes {count} argument(s), got {len(args)}")
    try:
        return function(*args)
    except CalculatorError:
        raise
    except ValueError:  # math's "math domain error", e.g. asin(2)
        raise CalculatorError(f"{name}() is not defined for these arguments") from None
    except OverflowError:  # exp(1000), or an int too large to convert to a float
        raise CalculatorError(
            f"{name}() of these arguments is too large to compute; scale the numbers down"
        ) from None
    except ZeroDivisionError:
        raise CalculatorError(f"division by zero in {name}()") from None
