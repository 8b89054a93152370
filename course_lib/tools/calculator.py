"""A calculator a language model may call, which never trusts what the model wrote.

    >>> evaluate("2 * (3 + 4) ** 2")
    98
    >>> evaluate("1 / 3")             # floats are rounded to 12 significant digits
    0.333333333333
    >>> evaluate("2 ^ 10")
    Traceback (most recent call last):
    ...
    course_lib.tools.errors.CalculatorError: '^' is not a power operator here: write 2 ** 10

The text is parsed with ``ast`` and only a whitelist is walked: int/float literals,
``+ - * / // % **``, unary ``+ -``, parentheses and the functions and constants of
:mod:`course_lib.tools.mathfunctions`. Nothing is ever passed to ``eval``. Each bad input raises
:class:`CalculatorError` whose message is written to be sent back to the model as the tool
result, so the model can fix its call. Choices (and simplifications):

- Integers stay exact (``2 ** 100`` is an int); ``/`` returns a float, as in Python (``6 / 3``
  is ``2.0``). Float results are rounded to 12 significant digits, which hides binary noise
  (``0.1 + 0.2`` gives ``0.3``) and keeps more precision than any answer needs.
- Bounds keep every call well under a second: input length and nesting depth are checked
  in :mod:`course_lib.tools.parsing`, number sizes here (``MAX_INT_BITS``), function
  arguments in :mod:`course_lib.tools.mathfunctions`.
"""

from __future__ import annotations

import ast
import math
import operator

from course_lib.tools.errors import CalculatorError
from course_lib.tools.mathfunctions import ALLOWED, CONSTANTS, FUNCTIONS, Number, call_function
from course_lib.tools.parsing import parse
from course_lib.tools.schema import ToolSpec, to_anthropic, to_openai

__all__ = ["ANTHROPIC_TOOL", "CALCULATOR", "OPENAI_TOOL", "CalculatorError", "evaluate"]

MAX_INT_BITS = 3322  # integers below 2**3322 (about 1e1000): about 1000 decimal digits
SIGNIFICANT_DIGITS = 12
_TOO_MANY_DIGITS = (
    "the result has over 1000 digits, too large to be useful; check the "
    "expression, or use floats (e.g. 2.0 ** 500) for an approximate answer"
)


def _check(value: object) -> Number:
    """Refuse anything that is not a finite, reasonably sized real number."""
    if isinstance(value, complex):
        raise CalculatorError(
            "the result is not a real number (e.g. a negative number to a "
            "fractional power); rewrite the expression"
        )
    if isinstance(value, float) and not math.isfinite(value):
        raise CalculatorError(
            "the result is too large for a float (or undefined); "
            "check the expression or scale the numbers down"
        )
    if isinstance(value, int) and value.bit_length() > MAX_INT_BITS:
        raise CalculatorError(_TOO_MANY_DIGITS)
    return value  # type: ignore[return-value]


def _power(base: Number, exp: Number) -> Number:
    # Estimate the size before computing: 9 ** 9 ** 9 would take minutes and gigabytes.
    # With |base| >= 2 the result has more than exp * log2|base| bits; the + 1 absorbs float
    # rounding, so only results that surely exceed MAX_INT_BITS are refused here.
    big_int_power = isinstance(base, int) and isinstance(exp, int) and exp > 0 and abs(base) > 1
    if big_int_power and (exp > MAX_INT_BITS or exp * math.log2(abs(base)) > MAX_INT_BITS + 1):
        raise CalculatorError(_TOO_MANY_DIGITS)
    return base**exp


_BINARY = {
    ast.Add: operator.add,
    ast.Sub: operator.sub,
    ast.Mult: operator.mul,
    ast.Div: operator.truediv,
    ast.FloorDiv: operator.floordiv,
    ast.Mod: operator.mod,
    ast.Pow: _power,
}
_UNARY = {ast.UAdd: operator.pos, ast.USub: operator.neg}


def _snippet(node: ast.AST, source: str) -> str:
    text = ast.get_source_segment(source, node) or type(node).__name__
    return text if len(text) <= 40 else text[:37] + "..."


def _eval(node: ast.AST, source: str) -> Number:
    """Walk the tree; depth is already bounded, so plain recursion is safe."""
    match node:
        case ast.Constant(value=bool() | str() | bytes() | complex() | None):
            raise CalculatorError(
                f"{_snippet(node, source)} is not a number; only {ALLOWED} are allowed"
            )
        case ast.Constant(value=int() | float() as value):
            return _check(value)
        case ast.UnaryOp(op=op, operand=operand) if type(op) in _UNARY:
            return _UNARY[type(op)](_eval(operand, source))
        case ast.BinOp(left=left, op=ast.BitXor(), right=right):
            raise CalculatorError(
                f"'^' is not a power operator here: write "
                f"{_snippet(left, source)} ** {_snippet(right, source)}"
            )
        case ast.BinOp(left=left, op=op, right=right) if type(op) in _BINARY:
            a, b = _eval(left, source), _eval(right, source)
            try:
                return _check(_BINARY[type(op)](a, b))
            except ZeroDivisionError:
                raise CalculatorError(f"division by zero in {_snippet(node, source)}") from None
            except OverflowError:
                raise CalculatorError(
                    f"{_snippet(node, source)} is too large to compute; scale the numbers down"
                ) from None
        case ast.Name(id=name) if name in CONSTANTS:
            return CONSTANTS[name]
        case ast.Name(id=name) if name in FUNCTIONS:
            raise CalculatorError(f"{name} is a function: call it, e.g. {name}(2)")
        case ast.Name(id=name):
            raise CalculatorError(
                f"unknown name {name!r}: the calculator has no variables; "
                f"write the number itself. Allowed: {ALLOWED}"
            )
        case ast.Call(func=ast.Name(id=name), args=args, keywords=[]) if name in FUNCTIONS:
            if any(isinstance(arg, ast.Starred) for arg in args):
                raise CalculatorError(f"write the arguments of {name}() out one by one")
            return _check(call_function(name, [_eval(arg, source) for arg in args]))
        case ast.Call(func=ast.Name(id=name), keywords=[]):
            raise CalculatorError(f"unknown function {name!r}. Allowed: {ALLOWED}")
        case ast.Call(func=ast.Name(id=name)):
            raise CalculatorError(f"pass the arguments of {name}() by position, without names")
        case ast.Call(func=ast.Constant() as func):
            raise CalculatorError(f"write * to multiply: {_snippet(func, source)} * (...)")
        case ast.Call(func=ast.Attribute(attr=attr)) if attr in FUNCTIONS:
            raise CalculatorError(f"write {attr}(...) without a module prefix")
        case ast.Attribute():
            raise CalculatorError(
                f"attribute access ({_snippet(node, source)}) is not allowed; only {ALLOWED}"
            )
        case ast.Tuple():
            raise CalculatorError(
                "send one expression; write numbers without thousands "
                "separators (1000 or 1_000, not 1,000)"
            )
        case ast.Compare() | ast.BoolOp():
            raise CalculatorError("comparisons and logic are not supported, only arithmetic")
    raise CalculatorError(f"{_snippet(node, source)} is not allowed; only {ALLOWED}")


def evaluate(expression: str) -> Number:
    """Evaluate one arithmetic expression safely; raise :class:`CalculatorError` otherwise.

    ``evaluate("7 // 2") -> 3``, ``evaluate("2 ** 0.5") -> 1.41421356237``,
    ``evaluate("sqrt(-1)")`` -> CalculatorError("sqrt() needs a number >= 0 ...").
    """
    if not isinstance(expression, str):
        raise CalculatorError('the expression must be a string, e.g. "2 * (3 + 4)"')
    expression = expression.strip()
    result = _eval(parse(expression).body, expression)
    if isinstance(result, float):
        return float(f"{result:.{SIGNIFICANT_DIGITS}g}") + 0.0  # + 0.0 turns -0.0 into 0.0
    return result


# ------------------------------------------------------------------------------------------
# The tool, described once and rendered for each provider. The description is a prompt:
# it tells the model when to call the tool and what it may write.

CALCULATOR = ToolSpec(
    name="calculator",
    description=(
        "Evaluate an arithmetic expression exactly and return the number. Use it for any "
        "arithmetic instead of calculating in your head. Allowed: " + ALLOWED + ". "
        "Angles are in radians; log(x) is the natural log, log(x, base) any base. "
        "No variables, units, percent signs or thousands separators."
    ),
    parameters={
        "type": "object",
        "properties": {
            "expression": {
                "type": "string",
                "description": "One arithmetic expression, e.g. '2 * (3 + 4) ** 2' or "
                "'sqrt(2) / 3'. Use ** for powers.",
            }
        },
        "required": ["expression"],
        "additionalProperties": False,
    },
    function=evaluate,
)
OPENAI_TOOL = to_openai(CALCULATOR, strict=True)
ANTHROPIC_TOOL = to_anthropic(CALCULATOR)
