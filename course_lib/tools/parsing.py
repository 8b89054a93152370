"""Untrusted text -> a small, bounded ``ast`` tree, or a CalculatorError a model can act on.

    >>> ast.dump(parse("1 + 2").body)
    'BinOp(left=Constant(value=1), op=Add(), right=Constant(value=2))'
    >>> parse("3 × 4")                                    # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    course_lib.tools.errors.CalculatorError: could not parse the expression (invalid character '×' ...). use * to multiply; ...

Parsing only builds a tree; nothing is run. The tree is checked for size here and for
content (the whitelist) by the calculator's walker. Python's parser is itself code that can
be attacked (a 100,000-character input, a tower of 10,000 brackets), so the text is bounded
before it is parsed, and the parser's own failures are caught too.
"""

from __future__ import annotations

import ast

from course_lib.tools.errors import CalculatorError
from course_lib.tools.mathfunctions import ALLOWED

MAX_LENGTH = 500  # characters; real calculations are a few dozen. This also bounds node count.
MAX_DEPTH = 100  # AST levels: a sum of ~95 terms fits; a "- - - ... 1" tower does not

# Characters models (and people) write that Python does not read as arithmetic.
_HINTS = {
    "×": "use * to multiply",
    "÷": "use / to divide",
    "−": "use the ASCII minus -",
    "!": "use factorial(n) instead of n!",
    "=": "send only the expression, without '='",
    "√": "use sqrt(x)",
    "²": "use x ** 2",
    "π": "use pi",
    "$": "leave out units",
}


def parse(expression: str) -> ast.Expression:
    """Parse one expression (already stripped); check its length and nesting depth."""
    if not expression:
        raise CalculatorError("the expression is empty; send arithmetic such as 2 * (3 + 4)")
    if len(expression) > MAX_LENGTH:
        raise CalculatorError(
            f"the expression is longer than {MAX_LENGTH} characters; "
            "split the calculation into several calls"
        )
    try:
        tree = ast.parse(expression, mode="eval")
    except SyntaxError as error:
        hints = [hint for char, hint in _HINTS.items() if char in expression]
        where = f" at column {error.offset}" if error.offset else ""
        raise CalculatorError(
            f"could not parse the expression ({error.msg}{where}). "
            + "; ".join(hints + [f"Allowed: {ALLOWED}"])
        ) from None
    except (ValueError, RecursionError, MemoryError):  # null bytes, lone surrogates, ...
        raise CalculatorError(
            "could not parse the expression; send plain arithmetic, e.g. 2 * (3 + 4)"
        ) from None
    # Measure depth without recursion, so a hostile tower cannot blow the Python stack; the
    # walker that evaluates the tree recurses, and relies on this bound.
    stack = [(tree.body, 1)]
    while stack:
        node, depth = stack.pop()
        if depth > MAX_DEPTH:
            raise CalculatorError(
                f"the expression is nested more than {MAX_DEPTH} levels deep; "
                "simplify it or split it into several calls"
            )
        stack.extend((child, depth + 1) for child in ast.iter_child_nodes(node))
    return tree
