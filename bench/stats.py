"""The bench scripts' shared arithmetic and bookkeeping: summaries, the machine, result files.

Pure logic (no timing, no servers), so tests/test_bench_stats.py can check it:

    >>> summary([3.0, 1.0, 2.0, 10.0])["median"]
    2.5
    >>> percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 90)
    9.1
    >>> difference(summary([5.0, 6.0]), summary([2.0, 2.5]))["p50"]
    3.25

Every result file is ``bench/results/<name>.json`` (git-ignored): the figures plus where and
when they were measured (machine, load average, Python, date), so a figure never travels
without its conditions.
"""

from __future__ import annotations

import json
import math
import os
import platform
import statistics
import sys
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "results"


def percentile(values: Sequence[float], q: float) -> float:
    """The q-th percentile (0–100), linear between closest ranks (numpy's default method)."""
    if not values:
        raise ValueError("percentile of no values")
    if not 0 <= q <= 100:
        raise ValueError(f"q must be between 0 and 100, not {q}")
    ordered = sorted(values)
    position = (len(ordered) - 1) * q / 100
    low, high = math.floor(position), math.ceil(position)
    value = ordered[low] + (ordered[high] - ordered[low]) * (position - low)
    return round(value, 12)  # no 9.099999999999 from the interpolation


def summary(values: Iterable[float]) -> dict[str, float | int]:
    """Median and spread of repeated measurements: n, median, p50, p90, p99, min, max, IQR, and
    the spread as a share of the median (``rel_spread`` = IQR / median; 0 for one run)."""
    data = [float(v) for v in values]
    if not data:
        raise ValueError("summary of no values")
    median = statistics.median(data)
    iqr = percentile(data, 75) - percentile(data, 25)
    return {
        "n": len(data),
        "median": median,
        "p50": percentile(data, 50),
        "p90": percentile(data, 90),
        "p99": percentile(data, 99),
        "min": min(data),
        "max": max(data),
        "iqr": iqr,
        "rel_spread": iqr / median if median else 0.0,
    }


def difference(through: dict, direct: dict, keys: Sequence[str] = ("p50", "p90", "p99")) -> dict:
    """Added latency: each percentile of ``through`` (a gateway) minus the same one of ``direct``.

    Percentiles of two runs in the same process, not per-request pairs: a request through the
    gateway and one straight to the provider are different requests.
    """
    return {k: through[k] - direct[k] for k in keys}


def scaled(stats: dict, factor: float) -> dict:
    """A summary with every time field multiplied (seconds to ms: factor 1000)."""
    untouched = {"n", "rel_spread"}
    return {k: (v if k in untouched else v * factor) for k, v in stats.items()}


def machine() -> dict[str, object]:
    """Where a figure was measured: cores, load, Python, platform, and when (UTC)."""
    try:
        load = [round(x, 2) for x in os.getloadavg()]
    except OSError:  # not on every platform
        load = None
    return {
        "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "cpus": os.cpu_count(),
        "load_average_1_5_15": load,
        "python": platform.python_version(),
        "platform": platform.platform(terse=True),
        "processor": platform.machine(),
    }


def rounded(value: object, digits: int = 4) -> object:
    """Floats rounded (recursively through dicts and lists) so result files diff readably."""
    if isinstance(value, float):
        return round(value, digits)
    if isinstance(value, dict):
        return {k: rounded(v, digits) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [rounded(v, digits) for v in value]
    return value


def write_result(name: str, figures: dict, *, quick: bool = False, folder: Path | None = None) -> Path:
    """Write ``<folder>/<name>.json``: ``figures`` with the machine and whether it was a quick run.

    The file is replaced atomically (written beside it as .tmp, then renamed), so an
    interrupted bench never leaves half a file for the summary to read.
    """
    if not name or "/" in name or name.startswith("."):
        raise ValueError(f"a result name is one plain word, not {name!r}")
    folder = RESULTS if folder is None else folder
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.json"
    document = {"name": name, "quick": quick, "machine": machine(), "figures": rounded(figures)}
    tmp = path.with_suffix(".json.tmp")
    tmp.write_text(json.dumps(document, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    tmp.replace(path)
    return path


def read_result(name: str, folder: Path | None = None) -> dict | None:
    """The document ``write_result`` wrote, or None if that bench has not run."""
    path = (RESULTS if folder is None else folder) / f"{name}.json"
    if not path.exists():
        return None
    return json.loads(path.read_text(encoding="utf-8"))


def ms(seconds: float | None, digits: int = 1) -> str:
    """0.01234 -> '12.3 ms'; None -> '—'."""
    return "—" if seconds is None else f"{seconds * 1000:.{digits}f} ms"


def quick_requested(argv: Sequence[str] | None = None) -> bool:
    """``--quick`` on the command line or QUICK=1 in the environment (``make bench QUICK=1``)."""
    argv = sys.argv[1:] if argv is None else argv
    return "--quick" in argv or os.environ.get("QUICK", "") not in ("", "0")
