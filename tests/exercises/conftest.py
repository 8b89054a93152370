"""What every exercise test asserts about a check's output: a Verdict, and a last line that
reads right as plain text (``✅ PASS: ...`` or ``❌ NOT YET: ...``)."""

import pytest

from course_lib.exercises import Verdict

PASS, NOT_YET = "✅ PASS: ", "❌ NOT YET: "


@pytest.fixture
def verdict(capsys):
    """``verdict(result, ok, lines=1)``: assert what a check returned and printed; the output.

    ``result`` must be a Verdict (never a bare bool) whose truth is ``ok``; the check printed
    ``lines`` lines (None: any number, as a quiz prints one per question), the last one the
    verdict.
    """

    def read(result, ok, *, lines=1):
        out = capsys.readouterr().out
        assert isinstance(result, Verdict), f"a check returns a Verdict, not {type(result)}"
        assert bool(result) is ok, out
        printed = out.splitlines()
        assert printed, "a check prints its verdict"
        if lines is not None:
            assert len(printed) == lines, printed
        assert printed[-1].startswith(PASS if ok else NOT_YET), out
        return out

    return read


@pytest.fixture
def run(verdict):
    """``run(check, *args, **kwargs) -> (passed, output)``, asserting one consistent line."""

    def call(check, *args, **kwargs):
        result = check(*args, **kwargs)
        return bool(result), verdict(result, bool(result))

    return call
