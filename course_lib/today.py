"""What "today" is when deciding whether a model is current, deprecated or shut down.

By default the real date, so a student sees the model table as it stands on the day they run
it. ``COURSE_TODAY=YYYY-MM-DD`` pins it: ``make test`` and ``make notebooks`` pin it to the
day the table was last checked (``data/models_checked.txt``), so stored outputs stay the same
whatever day CI runs.

    COURSE_TODAY=2026-12-03 python -c "from course_lib.today import today; print(today())"
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

CHECKED = Path(__file__).resolve().parent.parent / "data" / "models_checked.txt"


def today() -> dt.date:
    """COURSE_TODAY when set (ISO date), otherwise the real date."""
    pinned = os.environ.get("COURSE_TODAY", "").strip()
    if not pinned:
        return dt.date.today()
    try:
        return dt.date.fromisoformat(pinned)
    except ValueError:
        raise ValueError(
            f"COURSE_TODAY={pinned!r} is not a date: write it as YYYY-MM-DD, or unset it to use "
            "the real date."
        ) from None


def checked_on() -> dt.date:
    """The day data/models.csv was last checked against the providers' model lists."""
    return dt.date.fromisoformat(CHECKED.read_text(encoding="utf-8").strip())
