"""Tokenizer throughput: tiktoken (Rust) against lesson 7.3's from-scratch BPE (pure Python).

    .venv/bin/python bench/bench_tokenizer.py          # writes bench/results/tokenizer.json
    .venv/bin/python bench/bench_tokenizer.py --quick

A teaching figure, not a target: the toy trainer/encoder the lesson builds (its reference
copy is ``course_lib.exercises.lesson_7_03._train`` / ``_encode``, which the exercise checks
against) applies each learned merge in a full pass over the text, so its cost grows with
merges × length; tiktoken's encoder works on pre-split chunks with a merge-rank lookup in
Rust. Both encode the same English text from data/corpus/python_docs.txt (one thread).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import stats

from course_lib.exercises.lesson_7_03 import _encode, _train
from course_lib.tokens import encoding

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "data" / "corpus" / "python_docs.txt"


def timed(fn, repeats: int) -> list[float]:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return times


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args(argv)
    quick = args.quick or stats.quick_requested([])
    corpus = CORPUS.read_text(encoding="utf-8")
    big = corpus[: 200_000 if quick else 1_000_000]
    small = corpus[:5_000 if quick else 20_000]
    merges_n = 100 if quick else 300
    repeats = 3 if quick else 7

    figures: dict = {"corpus": CORPUS.name}
    for name in ("o200k_base", "cl100k_base"):
        enc = encoding(name)
        enc.encode_ordinary(small)  # load the vocabulary before timing
        n_tokens = len(enc.encode_ordinary(big))
        times = timed(lambda enc=enc: enc.encode_ordinary(big), repeats)
        median = stats.summary(times)["median"]
        figures[f"tiktoken_{name}"] = {
            "bytes": len(big.encode("utf-8")),
            "tokens": n_tokens,
            "seconds": stats.summary(times),
            "mb_per_s": len(big.encode("utf-8")) / median / 1e6,
            "tokens_per_s": n_tokens / median,
        }

    train_times = timed(lambda: _train(small, merges_n), 1 if quick else 3)
    merges = _train(small, merges_n)
    n_toy = len(_encode(small, merges))
    encode_times = timed(lambda: _encode(small, merges), repeats)
    median = stats.summary(encode_times)["median"]
    figures["toy_bpe_lesson_7_3"] = {
        "merges": len(merges),
        "bytes": len(small.encode("utf-8")),
        "tokens": n_toy,
        "train_seconds": stats.summary(train_times),
        "encode_seconds": stats.summary(encode_times),
        "mb_per_s": len(small.encode("utf-8")) / median / 1e6,
        "tokens_per_s": n_toy / median,
    }
    tik = figures["tiktoken_o200k_base"]
    figures["tiktoken_over_toy_bytes_per_s"] = tik["mb_per_s"] / figures["toy_bpe_lesson_7_3"]["mb_per_s"]

    for name in ("tiktoken_o200k_base", "tiktoken_cl100k_base", "toy_bpe_lesson_7_3"):
        row = figures[name]
        print(f"{name:<22}{row['mb_per_s']:10.3f} MB/s{row['tokens_per_s']:14,.0f} tokens/s"
              f"  ({row['bytes']:,} bytes → {row['tokens']:,} tokens)")
    toy = figures["toy_bpe_lesson_7_3"]
    print(f"toy BPE: {toy['merges']} merges learned in {toy['train_seconds']['median']:.2f} s; "
          f"tiktoken encodes {figures['tiktoken_over_toy_bytes_per_s']:,.0f}× more bytes per second")
    print(f"wrote {stats.write_result('tokenizer', figures, quick=quick)}")
    return figures


if __name__ == "__main__":
    main()
