"""Every check keeps the promise of course_lib.exercises: whatever it is given, it prints a
``❌ NOT YET:`` verdict and returns a falsy Verdict, never raises (a wrong answer must not
stop a student's notebook)."""

import inspect
import subprocess
import sys

import pytest

from course_lib import exercises
from course_lib.config import default_model
from course_lib.exercises import Verdict

CHECKS = sorted(name for name in dir(exercises) if name.startswith("check_"))


def _required(check) -> list[str]:
    """The positional parameters a check needs (the answer, and e.g. the prompt it is about)."""
    return [p.name for p in inspect.signature(check).parameters.values()
            if p.default is inspect.Parameter.empty
            and p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]


def _raises(*args):
    return 1 / 0


JUNK = [None, 1, "x", [], _raises]
JUNK_IDS = ["None", "1", "str", "empty-list", "raising-function"]

# Right-looking values for the checks that take more than the answer, so each argument can be
# tested alone. Only the non-answer arguments matter; the answer is junk anyway.
RESPONSE = {"choices": [{"index": 0, "message": {"role": "assistant", "content": "Hi"},
                         "logprobs": {"content": [{"token": "Hi", "logprob": -0.5}]}}]}
PLAUSIBLE = {
    "check_prompt_cost": (0.0001, "Hello there", default_model("openai")),
    "check_prompt_tokens": (10, [{"role": "user", "content": "Hi"}]),
    "check_reply_probability": (0.5, RESPONSE),
    "check_confident_nonsense": ("Python was created by", " Guido van Rossum"),
}


def test_the_checks_are_all_found():
    assert len(CHECKS) >= 20
    multi = {name for name in CHECKS if len(_required(getattr(exercises, name))) > 1}
    assert multi == set(PLAUSIBLE), "list plausible arguments for every multi-argument check"


def _assert_rejected(capsys, check, *args):
    result = check(*args)
    out = capsys.readouterr().out
    assert isinstance(result, Verdict) and result.ok is False, out
    assert out.splitlines()[-1].startswith("❌ NOT YET: "), out


@pytest.mark.parametrize("junk", JUNK, ids=JUNK_IDS)
@pytest.mark.parametrize("name", CHECKS)
def test_check_rejects_junk_without_raising(capsys, name, junk):
    check = getattr(exercises, name)
    _assert_rejected(capsys, check, *[junk] * len(_required(check)))


# Strings are left out here: a string can be a right value for a string argument.
@pytest.mark.parametrize("junk", [None, 1, [], _raises], ids=["None", "1", "empty-list", "fn"])
@pytest.mark.parametrize(("name", "position"), [
    (name, i) for name, args in PLAUSIBLE.items() for i in range(len(args))
])
def test_multi_argument_check_rejects_one_junk_argument(capsys, name, position, junk):
    args = list(PLAUSIBLE[name])
    args[position] = junk
    _assert_rejected(capsys, getattr(exercises, name), *args)


def test_an_answer_whose_comparison_raises_is_rejected(capsys):
    import numpy as np

    # `got in following` on an array raises "truth value is ambiguous" inside the check.
    _assert_rejected(capsys, exercises.check_greedy_next, lambda counts, context: np.array([1, 2]))


def test_importing_the_checks_does_not_load_numpy():
    # Lessons import the checks in their first cell; numpy loads only when a check needs it.
    code = "import sys, course_lib.exercises; print('numpy' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_shared_helpers_docstring_examples():
    import doctest

    from course_lib import _fields
    from course_lib.exercises import _replies, _report

    for module in (_fields, _report, _replies):
        result = doctest.testmod(module)
        assert result.attempted and result.failed == 0, module.__name__


def test_every_lesson_shares_one_not_answered_message(capsys):
    from course_lib.exercises import LESSONS, _report

    for lesson in LESSONS:
        if hasattr(lesson, "NOT_ANSWERED"):
            assert lesson.NOT_ANSWERED is _report.NOT_ANSWERED, lesson.__name__
    # Every check answered with None says exactly that one line.
    for name in CHECKS:
        check = getattr(exercises, name)
        args = list(PLAUSIBLE.get(name, [None]))
        args[0] = None
        check(*args)
        assert capsys.readouterr().out == f"❌ NOT YET: {_report.NOT_ANSWERED}\n", name
