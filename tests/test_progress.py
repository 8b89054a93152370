"""course_lib.progress: the ordinary tqdm bar outside Jupyter, with a format free of timings.
(The notebook path is exercised by lesson 7.23's nbval run, whose saved text must read 12/12.)"""

import io

from course_lib.progress import BAR_FORMAT, progress


def test_a_text_bar_outside_jupyter_ends_full_and_prints_no_timings():
    out = io.StringIO()
    with progress(total=3, desc="requests", file=out) as bar:
        for _ in range(3):
            bar.update()
    assert bar.n == 3
    final = out.getvalue().split("\r")[-1].strip()
    assert final.startswith("requests: 100%|") and final.endswith("3/3"), final
    assert "it/s" not in out.getvalue() and "{elapsed}" not in BAR_FORMAT


def test_the_bar_closes_when_the_block_raises():
    out = io.StringIO()
    try:
        with progress(total=2, desc="x", file=out) as bar:
            bar.update()
            raise KeyError("boom")
    except KeyError:
        pass
    assert bar.disable or bar.n == 1
