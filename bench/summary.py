"""Render bench/results/*.json as the Markdown tables README.md's "Performance" section shows.

    .venv/bin/python bench/summary.py             # print the tables
    .venv/bin/python bench/summary.py --readme    # also replace them in README.md

README.md holds the tables between ``<!-- bench:start -->`` and ``<!-- bench:end -->``; only
that block is rewritten. A bench that has not run shows "not measured".
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import stats

ROOT = Path(__file__).resolve().parent.parent
START, END = "<!-- bench:start -->", "<!-- bench:end -->"
NAMES = ("course", "import", "standin", "tokenizer", "gateway")
NOT_MEASURED = "not measured"


def _f(value: float | None, fmt: str = "{:.1f}") -> str:
    return NOT_MEASURED if value is None else fmt.format(value)


def _spread(s: dict, unit: str = "s", factor: float = 1.0, fmt: str = "{:.1f}") -> str:
    """'37.4 s (36.9–38.2, 3 runs)' from a stats.summary()."""
    if s["n"] == 1:
        return f"{fmt.format(s['median'] * factor)} {unit} (1 run)"
    return (f"{fmt.format(s['median'] * factor)} {unit} ({fmt.format(s['min'] * factor)}–"
            f"{fmt.format(s['max'] * factor)}, {s['n']} runs)")


def short(notebook: str) -> str:
    """'7.22-error-handling-and-retries' -> '7.22'; 'chat-api' stays 'chat-api'.

    >>> short("7.22-error-handling-and-retries"), short("chat-api")
    ('7.22', 'chat-api')
    """
    head = notebook.split("-")[0]
    return head if head.replace(".", "").isdigit() else notebook


def conditions(results: dict[str, dict | None]) -> str:
    """One line: where and when, from the first result present."""
    docs = [d for d in results.values() if d]
    if not docs:
        return "No bench has run yet: `make bench` writes bench/results/ and these tables."
    m = docs[0]["machine"]
    quick = any(d.get("quick") for d in docs)
    load = m.get("load_average_1_5_15")
    return (f"Measured {m['date']} on {m['cpus']} cores ({m['platform']}, Python {m['python']}), "
            f"load average at the end {load}" + ("; QUICK run (few requests, one round): not for "
                                                 "quoting" if quick else "") + ".")


def summary_rows(results: dict[str, dict | None]) -> list[tuple[str, str, str]]:
    """(what, target, measured) rows of the main table."""
    rows: list[tuple[str, str, str]] = []
    course = (results.get("course") or {}).get("figures")
    if course:
        n = course["notebooks_count"]
        rows.append((f"whole course, {n} notebooks, {course.get('workers', 2)} workers",
                     "< 60 s (ceiling 90 s)", _spread(course["total_wall"])))
        slowest = course["notebooks"][0]
        rows.append(("slowest notebook", "< 10 s",
                     f"{slowest['wall']['median']:.1f} s ({slowest['notebook']})"))
        over = [short(r["notebook"]) for r in course["notebooks"]
                if r["wall"]["median"] > course["targets"]["notebook_s"]]
        rows.append(("notebooks over 10 s", "none", ", ".join(over) or "none"))
        per = {p: course["phase_totals_worker_s"][p] / n for p in course["phase_totals_worker_s"]}
        rows.append(("a notebook's time, mean: kernel start / setup cell (imports) / other "
                     "cells / shutdown", "—",
                     f"{per['kernel_start']:.2f} / {per['setup_cell']:.2f} / "
                     f"{per['other_cells']:.2f} / {per['shutdown']:.2f} s"))
    else:
        rows.append(("whole course", "< 60 s (ceiling 90 s)", NOT_MEASURED))
    imp = (results.get("import") or {}).get("figures")
    if imp:
        st = imp["statements_s"]
        rows.append(("`import course_lib`", "< 0.5 s",
                     _spread(st["import course_lib"], "ms", 1000)))
        for label, s in st.items():
            if label != "import course_lib":
                rows.append((f"`{label}`" if label.startswith("import") else label, "—",
                             _spread(s, "ms", 1000, "{:.0f}")))
        k = imp["kernel_s"]
        rows.append(("kernel: start → ready / ready → first cell done / `import course_lib` "
                     "as a cell", "—",
                     f"{k['start_to_ready']['median']:.2f} s / "
                     f"{k['first_cell']['median'] * 1000:.0f} ms / "
                     f"{k['import_cell']['median'] * 1000:.0f} ms"))
    else:
        rows.append(("`import course_lib`", "< 0.5 s", NOT_MEASURED))
    sd = (results.get("standin") or {}).get("figures")
    if sd:
        o, a = sd["openai_first_token_ms"], sd["anthropic_first_token_ms"]
        rows.append(("stand-in: first streamed token, p50 / p99", "< 20 ms",
                     f"OpenAI {o['p50']:.1f} / {o['p99']:.1f} ms; "
                     f"Anthropic {a['p50']:.1f} / {a['p99']:.1f} ms"))
        for level, row in sd["load"].items():
            t = row["ttft_ms"] or {}
            rows.append((f"stand-in at {level} concurrent: requests/s, output tokens/s, TTFT p50",
                         "all complete" if level == "50" else "—",
                         f"{row['requests_per_s']['median']:.0f} req/s, "
                         f"{row['tokens_per_s']['median']:,.0f} tok/s, "
                         f"{_f(t.get('p50'))} ms; {row['completed']}/"
                         f"{row['requests'] * row['rounds']} done"))
    else:
        rows.append(("stand-in: first streamed token", "< 20 ms", NOT_MEASURED))
    tok = (results.get("tokenizer") or {}).get("figures")
    if tok:
        t, toy = tok["tiktoken_o200k_base"], tok["toy_bpe_lesson_7_3"]
        rows.append(("tokenizer: tiktoken o200k_base vs lesson 7.3's toy BPE "
                     f"({toy['merges']} merges)", "teaching figure",
                     f"{t['mb_per_s']:.1f} vs {toy['mb_per_s']:.3f} MB/s "
                     f"({tok['tiktoken_over_toy_bytes_per_s']:,.0f}×)"))
    gw = (results.get("gateway") or {}).get("figures")
    if gw:
        runs = [("", gw)]
        if gw.get("paced"):
            paced = gw["paced"]
            runs.append((f", stand-in paced ({paced['latency_s'] * 1000:.0f} ms to the first "
                         f"event, {paced['token_delay_s'] * 1000:.0f} ms between events)", paced))
        for suffix, run in runs:
            for name in ("litellm", "capstone"):
                levels = run["targets"].get(name)
                label = (f"LiteLLM {gw.get('litellm_version')} proxy" if name == "litellm"
                         else "capstone chat API")
                target = "< 5 ms p50 / 20 ms p99 at 50" if name == "capstone" else "—"
                if not levels:
                    rows.append((f"{label}: added TTFT over the stand-in{suffix}", target,
                                 f"{NOT_MEASURED}: {run['skipped'].get(name, '')}"))
                    continue
                parts = []
                for level, row in levels.items():
                    added = row.get("added_ms")
                    parts.append(f"{level}: {added['p50']:+.1f} / {added['p99']:+.1f} ms, "
                                 f"{row['throughput_ratio']:.2f}× req/s" if added
                                 else f"{level}: {NOT_MEASURED}")
                rows.append((f"{label}: added TTFT p50 / p99 and throughput vs direct, "
                             f"at 1 / 10 / 50 concurrent{suffix}", target, "; ".join(parts)))
    else:
        rows.append(("LiteLLM proxy / capstone: added TTFT", "capstone < 5 ms p50 / 20 ms p99",
                     NOT_MEASURED))
    return rows


def notebook_rows(results: dict[str, dict | None]) -> list[tuple[str, ...]]:
    course = (results.get("course") or {}).get("figures")
    if not course:
        return []
    return [
        (r["notebook"], f"{r['wall']['median']:.2f}", f"{r['kernel_start']:.2f}",
         f"{r['setup_cell']:.2f}", f"{r['other_cells']:.2f}", f"{r['shutdown']:.2f}")
        for r in course["notebooks"]
    ]


def table(header: tuple[str, ...], rows: list[tuple[str, ...]]) -> str:
    """A Markdown table.

    >>> print(table(("a", "b"), [("1", "2")]))
    | a | b |
    |---|---|
    | 1 | 2 |
    """
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)


def render(results: dict[str, dict | None]) -> str:
    parts = [conditions(results), "", table(("what", "target", "measured"), summary_rows(results))]
    rows = notebook_rows(results)
    if rows:
        parts += ["", "Each notebook (median of the runs, slowest first; seconds):", "",
                  table(("notebook", "wall", "kernel start", "setup cell", "other cells",
                         "shutdown"), rows)]
    return "\n".join(parts)


def replace_block(text: str, block: str) -> str:
    """``text`` with the part between the bench markers replaced by ``block``.

    >>> replace_block("a\\n<!-- bench:start -->\\nold\\n<!-- bench:end -->\\nz", "new")
    'a\\n<!-- bench:start -->\\nnew\\n<!-- bench:end -->\\nz'
    """
    if START not in text or END not in text:
        raise ValueError(f"README.md has no {START} … {END} block")
    head, rest = text.split(START, 1)
    _, tail = rest.split(END, 1)
    return f"{head}{START}\n{block}\n{END}{tail}"


def load_all(folder: Path | None = None) -> dict[str, dict | None]:
    return {name: stats.read_result(name, folder) for name in NAMES}


def main(argv: list[str] | None = None) -> str:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--readme", action="store_true", help="rewrite README.md's tables")
    args = parser.parse_args(argv)
    block = render(load_all())
    (stats.RESULTS).mkdir(exist_ok=True)
    (stats.RESULTS / "summary.md").write_text(block + "\n", encoding="utf-8")
    print(block)
    if args.readme:
        readme = ROOT / "README.md"
        readme.write_text(replace_block(readme.read_text(encoding="utf-8"), block),
                          encoding="utf-8")
        print("README.md: Performance tables replaced")
    return block


if __name__ == "__main__":
    main()
