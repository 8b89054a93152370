"""The bench helpers' pure logic: statistics, result files, SSE parsing, importtime parsing, the
README tables, the LiteLLM pin guard. Nothing here times anything or starts a server."""

from __future__ import annotations

import doctest
import json
import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parent.parent / "bench"
sys.path.insert(0, str(BENCH))

import bench_course  # noqa: E402
import bench_import  # noqa: E402
import load  # noqa: E402
import setup_gateway  # noqa: E402
import stats  # noqa: E402
import summary  # noqa: E402


@pytest.mark.parametrize("module", [stats, load, bench_import, summary, setup_gateway])
def test_docstring_examples(module):
    result = doctest.testmod(module)
    assert result.failed == 0 and result.attempted > 0


def test_percentile_interpolates_like_numpy():
    values = [10, 1, 7, 3]
    assert stats.percentile(values, 0) == 1
    assert stats.percentile(values, 100) == 10
    assert stats.percentile(values, 50) == 5  # between 3 and 7
    assert stats.percentile(values, 25) == pytest.approx(2.5)
    assert stats.percentile([4.0], 99) == 4.0


@pytest.mark.parametrize("q", [-1, 101])
def test_percentile_rejects_q_outside_0_100(q):
    with pytest.raises(ValueError):
        stats.percentile([1, 2], q)


def test_percentile_and_summary_reject_no_values():
    with pytest.raises(ValueError):
        stats.percentile([], 50)
    with pytest.raises(ValueError):
        stats.summary([])


def test_summary_median_spread_and_extremes():
    s = stats.summary([2.0, 4.0, 6.0, 8.0, 100.0])
    assert s["n"] == 5 and s["median"] == 6.0 == s["p50"]
    assert s["min"] == 2.0 and s["max"] == 100.0
    assert s["iqr"] == 4.0  # p75 8 - p25 4: an outlier does not widen it
    assert s["rel_spread"] == pytest.approx(4 / 6)
    one = stats.summary([3.0])
    assert one["iqr"] == 0 and one["rel_spread"] == 0 and one["p99"] == 3.0


def test_summary_accepts_a_generator():
    assert stats.summary(x / 10 for x in range(1, 4))["median"] == pytest.approx(0.2)


def test_difference_subtracts_percentile_by_percentile():
    through = stats.summary([10.0, 12.0, 30.0])
    direct = stats.summary([8.0, 9.0, 10.0])
    added = stats.difference(through, direct)
    assert added == {k: through[k] - direct[k] for k in ("p50", "p90", "p99")}
    assert added["p50"] == 3.0


def test_scaled_converts_times_but_not_counts():
    s = stats.scaled(stats.summary([0.001, 0.003]), 1000)
    assert s["median"] == pytest.approx(2.0) and s["max"] == pytest.approx(3.0)
    assert s["n"] == 2 and s["rel_spread"] == pytest.approx(stats.summary([1, 3])["rel_spread"])


def test_rounded_goes_through_nested_values():
    assert stats.rounded({"a": [1.234567, {"b": 2.000049}], "c": "x", "d": 3}, 3) == {
        "a": [1.235, {"b": 2.0}], "c": "x", "d": 3,
    }


def test_write_result_then_read_it_back(tmp_path):
    path = stats.write_result("standin", {"ttft_ms": 1.23456789}, quick=True, folder=tmp_path)
    assert path == tmp_path / "standin.json"
    assert not list(tmp_path.glob("*.tmp"))  # written beside, then renamed
    doc = stats.read_result("standin", tmp_path)
    assert doc["name"] == "standin" and doc["quick"] is True
    assert doc["figures"] == {"ttft_ms": 1.2346}
    for key in ("date", "cpus", "python", "platform", "load_average_1_5_15"):
        assert key in doc["machine"]
    assert json.loads(path.read_text())["figures"]["ttft_ms"] == 1.2346


def test_write_result_replaces_an_older_result(tmp_path):
    stats.write_result("course", {"total": 1.0}, folder=tmp_path)
    stats.write_result("course", {"total": 2.0}, folder=tmp_path)
    assert stats.read_result("course", tmp_path)["figures"] == {"total": 2.0}


@pytest.mark.parametrize("name", ["", "../x", "a/b", ".hidden"])
def test_write_result_refuses_names_that_are_not_one_word(tmp_path, name):
    with pytest.raises(ValueError):
        stats.write_result(name, {}, folder=tmp_path)


def test_read_result_of_a_bench_that_has_not_run(tmp_path):
    assert stats.read_result("gateway", tmp_path) is None


def test_quick_requested(monkeypatch):
    monkeypatch.delenv("QUICK", raising=False)
    assert not stats.quick_requested([])
    assert stats.quick_requested(["--quick"])
    monkeypatch.setenv("QUICK", "1")
    assert stats.quick_requested([])
    monkeypatch.setenv("QUICK", "0")
    assert not stats.quick_requested([])


def test_ms_formats_seconds():
    assert stats.ms(0.01234) == "12.3 ms" and stats.ms(None) == "—"


def test_sse_events_split_across_chunks():
    first, rest = load.sse_events(b'data: {"choices": [{"delta": {"role": "assistant"}}]}\n\nda')
    assert first == [{"choices": [{"delta": {"role": "assistant"}}]}] and rest == b"da"
    events, rest = load.sse_events(rest + b'ta: {"choices": [{"delta": {"content": "Hi"}}]}\r\n\r\n')
    assert events == [{"choices": [{"delta": {"content": "Hi"}}]}] and rest == b""


def test_sse_events_skip_done_and_comments():
    events, _ = load.sse_events(b": keep-alive\n\ndata: [DONE]\n\nevent: x\ndata: {\"type\": \"ping\"}\n\n")
    assert events == [{"type": "ping"}]


@pytest.mark.parametrize(
    ("event", "has_text"),
    [
        ({"choices": [{"delta": {"role": "assistant", "content": ""}}]}, False),
        ({"choices": [{"delta": {"content": "Hello"}}]}, True),
        ({"choices": [{"delta": {"tool_calls": [{"index": 0}]}}]}, True),
        ({"choices": [], "usage": {"completion_tokens": 3}}, False),
        ({"type": "message_start", "message": {}}, False),
        ({"type": "content_block_delta", "delta": {"text": "Hi"}}, True),
    ],
)
def test_text_frame(event, has_text):
    assert load.text_frame(event) is has_text


def test_load_rates():
    run = load.Load(10, [load.Sample(0.01, 0.1, 20), load.Sample(0.02, 0.2, 30)], wall=0.5)
    assert run.requests_per_s == 4.0 and run.tokens_per_s == 100.0
    assert load.Load(1).requests_per_s == 0.0


def test_parse_importtime_keeps_only_lines_after_the_mark():
    stderr = "\n".join([
        "import time: self [us] | cumulative | imported package",
        "import time:       100 |        100 | json",
        bench_import.MARK,
        "import time:       300 |        300 |     pandas._libs",
        "import time:      1200 |       1500 | pandas",
        "some warning",
    ])
    rows = bench_import.parse_importtime(stderr)
    assert rows == [("pandas._libs", 300, 300), ("pandas", 1200, 1500)]
    assert bench_import.by_package(rows) == {"pandas": 1500}
    assert len(bench_import.parse_importtime(stderr, after=None)) == 3


def test_setup_imports_takes_the_first_code_cells_imports(tmp_path):
    nb = {"cells": [
        {"cell_type": "markdown", "source": ["# Title"]},
        {"cell_type": "code", "source": ["import pandas as pd\n", "from course_lib import models\n",
                                         "print(pd.__version__)\n"]},
        {"cell_type": "code", "source": ["import numpy\n"]},
    ]}
    path = tmp_path / "x.ipynb"
    path.write_text(json.dumps(nb))
    assert bench_import.setup_imports(path) == "import pandas as pd\nfrom course_lib import models"


def _timing(name: str, wall: float, cells: list[tuple[int, float]]) -> dict:
    return {"notebook": f"/tmp/.bench-notebooks/a/{name}.ipynb", "wall": wall,
            "kernel_start": 0.5, "ready_to_first_cell": 0.01, "setup_cell": cells[0][1],
            "other_cells": sum(t for _, t in cells[1:]), "shutdown": 0.1, "cells": cells}


def test_course_aggregate_medians_and_slowest_first():
    runs = [
        (10.0, [_timing("7.01-a", 3.0, [(1, 1.0), (3, 0.5)]), _timing("7.02-b", 6.0, [(1, 2.0)])]),
        (12.0, [_timing("7.01-a", 5.0, [(1, 1.2), (3, 0.7)]), _timing("7.02-b", 4.0, [(1, 2.2)])]),
        (11.0, [_timing("7.01-a", 4.0, [(1, 1.1), (3, 0.6)]), _timing("7.02-b", 5.0, [(1, 2.4)])]),
    ]
    result = bench_course.aggregate(runs)
    assert result["total_wall"]["median"] == 11.0 and result["total_wall"]["n"] == 3
    assert [r["notebook"] for r in result["notebooks"]] == ["7.02-b", "7.01-a"]  # 5.0 > 4.0
    first = result["notebooks"][1]
    assert first["wall"]["median"] == 4.0 and first["setup_cell"] == 1.1
    assert first["other_cells"] == 0.6
    assert result["slowest_cells"][0] == {"notebook": "7.02-b", "cell": 1, "seconds": 2.2}
    assert result["phase_totals_worker_s"]["kernel_start"] == 1.0  # 0.5 per notebook


def _doc(figures: dict, quick: bool = False) -> dict:
    return {"name": "x", "quick": quick, "figures": figures,
            "machine": {"date": "2026-12-03 17:00 UTC", "cpus": 2, "platform": "Linux",
                        "python": "3.11.7", "load_average_1_5_15": [0.1, 0.2, 0.3]}}


def test_summary_without_results_says_not_measured():
    text = summary.render({name: None for name in summary.NAMES})
    assert "No bench has run yet" in text
    assert text.count(summary.NOT_MEASURED) >= 4


def test_summary_renders_the_gateway_rows_and_a_missing_capstone():
    row = {"completed": 10, "sent": 10, "errors": [], "ttft_ms": stats.summary([2.0, 3.0]),
           "requests_per_s": stats.summary([50.0])}
    slow = dict(row, added_ms={"p50": 1.5, "p90": 2.0, "p99": 4.25}, throughput_ratio=0.5)
    gateway = {"litellm_version": "1.110.2", "skipped": {"capstone": "no hook"},
               "targets": {"direct": {"1": row}, "litellm": {"1": slow}}}
    text = summary.render({"gateway": _doc(gateway, quick=True)})
    assert "LiteLLM 1.110.2 proxy" in text and "1: +1.5 / +4.2 ms, 0.50× req/s" in text
    assert "capstone chat API" in text and "no hook" in text
    assert "QUICK run" in text and "load average at the end [0.1, 0.2, 0.3]" in text


def test_summary_renders_the_paced_run_beside_the_unpaced_one():
    row = {"completed": 10, "sent": 10, "errors": [], "ttft_ms": stats.summary([2.0, 3.0]),
           "requests_per_s": stats.summary([50.0])}
    fast = dict(row, added_ms={"p50": 3.0, "p90": 4.0, "p99": 6.0}, throughput_ratio=0.5)
    paced = dict(row, added_ms={"p50": 9.5, "p90": 9.0, "p99": 12.0}, throughput_ratio=0.9)
    gateway = {"litellm_version": "1.110.2", "skipped": {},
               "targets": {"direct": {"1": row}, "capstone": {"1": fast}},
               "paced": {"latency_s": 0.2, "token_delay_s": 0.01, "skipped": {"litellm": "off"},
                         "targets": {"direct": {"1": row}, "capstone": {"1": paced}}}}
    text = summary.render({"gateway": _doc(gateway, quick=True)})
    lines = [line for line in text.splitlines() if "capstone chat API" in line]
    assert len(lines) == 2 and "1: +3.0 / +6.0 ms" in lines[0]
    assert "paced (200 ms to the first event, 10 ms between events)" in lines[1]
    assert "1: +9.5 / +12.0 ms, 0.90× req/s" in lines[1]
    assert "LiteLLM 1.110.2 proxy: added TTFT over the stand-in, stand-in paced" in text


def test_replace_block_only_touches_the_marked_block():
    readme = f"intro\n{summary.START}\nold table\n{summary.END}\noutro\n"
    assert summary.replace_block(readme, "| new |") == (
        f"intro\n{summary.START}\n| new |\n{summary.END}\noutro\n"
    )
    with pytest.raises(ValueError):
        summary.replace_block("no markers", "x")


def test_readme_has_the_bench_block():
    text = (BENCH.parent / "README.md").read_text(encoding="utf-8")
    assert text.count(summary.START) == 1 and text.count(summary.END) == 1


def test_the_bench_extra_pins_a_safe_litellm_and_is_not_in_the_test_extra():
    import tomllib

    project = tomllib.loads((BENCH.parent / "pyproject.toml").read_text())["project"]
    extras = project["optional-dependencies"]
    version = setup_gateway.pinned_litellm(extras["bench"])
    assert version and version not in setup_gateway.COMPROMISED
    assert not any("litellm" in r for r in extras["test"] + project["dependencies"])
    pins = (BENCH / "constraints.txt").read_text().splitlines()
    assert setup_gateway.pinned_litellm(pins) == version


def test_pinned_litellm_reads_only_litellm():
    assert setup_gateway.pinned_litellm(["litellm-proxy==9", "litellm==1.2.3"]) == "1.2.3"
    assert setup_gateway.pinned_litellm(["litellm"]) is None
    assert setup_gateway.pinned_litellm([]) is None
