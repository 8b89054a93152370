"""Warn about models in data/models.csv that shut down within 60 days (or already have).

    make check-dates            # from today
    COURSE_TODAY=2027-01-01 make check-dates

Exit status 1 when a model a lesson or default depends on (tests/test_model_dates.py's list)
is retired or within the warning window, so a maintainer can run it in a scheduled job.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from course_lib.doctor import retiring
from course_lib.today import checked_on, today

WINDOW = 60  # days


def main() -> int:
    day = today()
    print(f"today: {day}; data/models.csv last checked on {checked_on()}")
    if (day - checked_on()).days > 90:
        print(f"  the table was checked {(day - checked_on()).days} days ago: re-check it against "
              "the providers' model lists and deprecation pages, then update models_checked.txt")
    from tests.test_model_dates import depended_on  # the ids lessons and defaults use

    needed = depended_on()
    worst = 0
    for m, left in retiring(day, WINDOW):  # shared with `make doctor`
        used = m.model in needed
        state = "shut down" if left <= 0 else f"shuts down in {left} days"
        print(f"  {'USED ' if used else '     '}{m.provider:9} {m.model:20} {state} ({m.shutdown})")
        worst = max(worst, int(used))
    if worst:
        print("A model the course depends on is retiring: change the default in course_lib/config.py "
              "or the lesson that names it, then re-run `make notebooks`.")
    return worst


if __name__ == "__main__":
    sys.exit(main())
