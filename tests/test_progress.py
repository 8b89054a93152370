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
    assert bar.n == 1 and bar.disable  # tqdm sets disable when a bar is closed


def test_lesson_7_23_stores_the_finished_bar_as_clean_text():
    # nbval cannot check this (it ignores update_display_data; sanitize.cfg keeps the total
    # only), so check the saved notebook itself: the bar as it finished, with no timings.
    import json
    from pathlib import Path

    path = (Path(__file__).resolve().parent.parent / "notebooks" / "d-claude-and-production"
            / "7.23-async-llm-calls.ipynb")
    nb = json.loads(path.read_text(encoding="utf-8"))
    bars = ["".join(o["data"]["text/plain"]) for c in nb["cells"] if c["cell_type"] == "code"
            for o in c["outputs"] if "application/vnd.jupyter.widget-view+json" in o.get("data", {})]
    assert bars == ["requests: 100%|##########| 12/12"], bars
