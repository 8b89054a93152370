"""The one exception the calculator raises.

It subclasses ``ValueError`` (the input was a bad value) so that code which already handles
``ValueError`` handles it too. Its message is written for the model, not for a stack trace:
the tool loop sends it back verbatim as the tool result, e.g.
``CalculatorError("division by zero in 1 / 0")``.
"""


class CalculatorError(ValueError):
    """A bad expression; ``str(error)`` tells the model how to fix its call."""
