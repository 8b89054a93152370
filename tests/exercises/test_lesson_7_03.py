"""Lesson 7.3's checks: each rejects wrong answers, accepts any right one, never raises, and
the lesson's own solutions pass them."""

import contextlib
import io
import itertools
import json
import re
import warnings
from pathlib import Path

import pytest

from course_lib import models
from course_lib.exercises import check_bpe_encode, check_dense_text, check_prompt_cost
from course_lib.tokens import count_chat_tokens, encoding

ROOT = Path(__file__).resolve().parents[2]
LESSON_7_3 = ROOT / "notebooks" / "a-what-is-an-llm" / "7.03-tokens-under-the-hood.ipynb"
MODEL = "gpt-5.4-mini"


# ---------------------------------------------------------------------------------------
# check_dense_text


@pytest.mark.parametrize(
    "answer, hint",
    [
        (None, "Not answered yet"),
        (42, "should be a string"),
        ("", "only 0 tokens"),
        ("hello", "only 1 token;"),
        ("🦜" * 21, "limit is 20"),
        ("👩‍👩‍👧‍👦" * 3, "code points"),  # 3 visible emoji, 21 code points
    ],
)
def test_dense_text_rejects(run, answer, hint):
    ok, line = run(check_dense_text, answer)
    assert not ok and hint in line


@pytest.mark.parametrize("answer", ["🦜🦩🦚🦤🦭", "𓀀𓀁𓀂𓀃𓀄", "ꙮꙮꙮꙮꙮ", "👩‍👩‍👧‍👦👋🏽"])
def test_dense_text_accepts_any_short_expensive_string(run, answer):
    assert len(answer) <= 20 and len(encoding().encode(answer)) >= 10
    assert run(check_dense_text, answer)[0]


def test_dense_text_treats_special_token_text_as_text(run):
    run(check_dense_text, "<|endoftext|>")  # no ValueError from tiktoken


def test_dense_text_limits_are_parameters(run):
    assert run(check_dense_text, "hello", max_chars=5, min_tokens=1)[0]


# ---------------------------------------------------------------------------------------
# check_bpe_encode


def merge(ids, pair, new_id):
    out, i = [], 0
    while i < len(ids):
        if i < len(ids) - 1 and (ids[i], ids[i + 1]) == pair:
            out.append(new_id)
            i += 2
        else:
            out.append(ids[i])
            i += 1
    return out


def encode_in_learned_order(text, merges):
    ids = list(text.encode("utf-8"))
    for pair, new_id in merges.items():
        ids = merge(ids, pair, new_id)
    return ids


def encode_lowest_rank_first(text, merges):
    """minbpe's formulation: repeatedly merge the present pair that was learned first."""
    ids = list(text.encode("utf-8"))
    while len(ids) >= 2:
        pairs = set(itertools.pairwise(ids))
        pair = min(pairs, key=lambda p: merges.get(p, float("inf")))
        if pair not in merges:
            break
        ids = merge(ids, pair, merges[pair])
    return tuple(ids)  # any sequence of ints is fine


def encode_in_reverse_order(text, merges):
    ids = list(text.encode("utf-8"))
    for pair, new_id in reversed(merges.items()):
        ids = merge(ids, pair, new_id)
    return ids


def encode_without_overlap_rule(text, merges):
    """Wrong on "aaaa" with merge (a, a): str.replace-style, but right-to-left."""
    ids = list(text.encode("utf-8"))
    for pair, new_id in merges.items():
        ids = merge(ids[::-1], pair[::-1], new_id)[::-1]
    return ids


def raises(text, merges):
    raise KeyError("oops")


@pytest.mark.parametrize(
    "answer, hint",
    [
        (None, "Not answered yet"),
        ("encode", "should be a function"),
        (lambda text, merges: None, "returned None"),
        (raises, "raised KeyError"),
        (lambda text, merges: list(text), "Tokens are integers"),
        (lambda text, merges: list(text.encode("utf-8")), "raw bytes"),
        (encode_in_reverse_order, "order they were learned"),
        (encode_without_overlap_rule, "left to right"),
    ],
)
def test_bpe_encode_rejects(run, answer, hint):
    ok, line = run(check_bpe_encode, answer)
    assert not ok and hint in line


@pytest.mark.parametrize("answer", [encode_in_learned_order, encode_lowest_rank_first])
def test_bpe_encode_accepts_any_correct_formulation(run, answer):
    assert run(check_bpe_encode, answer)[0]


def test_bpe_encode_survives_a_function_that_mutates_merges(run):
    def greedy(text, merges):
        result = encode_in_learned_order(text, merges)
        merges.clear()
        return result

    assert run(check_bpe_encode, greedy)[0]


# ---------------------------------------------------------------------------------------
# check_prompt_cost

PROMPT = "You are a helpful assistant. Answer briefly."


def dollars_for(tokens, price, requests=100):
    return tokens * requests * price / 1_000_000


@pytest.fixture
def priced():
    info = models.get(MODEL)
    tokens = len(encoding().encode(PROMPT))
    return info, tokens


def test_prompt_cost_accepts_the_answer_and_the_framed_answer(run, priced):
    info, tokens = priced
    ok, line = run(check_prompt_cost, dollars_for(tokens, info.input), PROMPT, MODEL, requests=100)
    assert ok and f"{tokens} tokens" in line
    framed = count_chat_tokens([{"role": "user", "content": PROMPT}])
    ok, line = run(check_prompt_cost, dollars_for(framed, info.input), PROMPT, MODEL, requests=100)
    assert ok and "framing" in line


def test_prompt_cost_rejects_with_targeted_hints(run, priced):
    info, tokens = priced
    cases = [
        (None, "Not answered yet"),
        ("0.01", "Give a number"),
        (True, "Give a number"),
        (dollars_for(tokens, info.input) * 1_000_000, "MILLION"),
        (dollars_for(tokens, info.output), "output price"),
        (dollars_for(tokens, info.input, requests=1), "one request"),
        (dollars_for(len(PROMPT), info.input), "counted characters"),
        (dollars_for(len(PROMPT.split()), info.input), "counted words"),
        (123.0, "Not quite"),
    ]
    right = f"{dollars_for(tokens, info.input):,.4f}"
    for answer, hint in cases:
        ok, line = run(check_prompt_cost, answer, PROMPT, MODEL, requests=100)
        assert not ok and hint in line, (answer, line)
        assert right not in line, "a hint must not give the answer away"


# ---------------------------------------------------------------------------------------
# The lesson's own solutions: verified when run, never printed


def solution_cells(path):
    nb = json.loads(path.read_text(encoding="utf-8"))
    cells = [c for c in nb["cells"] if c["cell_type"] == "code"]
    return cells, [c for c in cells if "solution" in c["metadata"].get("tags", [])]


def printed(cell):
    return "".join(
        "".join(o.get("text", "")) for o in cell["outputs"] if o["output_type"] == "stream"
    )


def calls_a_check(cell):
    return re.search(r"\bcheck_\w+\(", "".join(cell["source"])) is not None


def test_lesson_7_03_stores_no_solution_result():
    """Stored outputs show the student's NOT YET, never a solution's result or a pass."""
    cells, solutions = solution_cells(LESSON_7_3)
    assert len(solutions) >= 3
    for cell in solutions:
        assert cell["outputs"] == [], printed(cell)
    exercises = [c for c in cells if calls_a_check(c) and c not in solutions]
    assert len(exercises) >= len(solutions)
    for cell in exercises:
        out = printed(cell)
        assert "❌ NOT YET: " in out and "✅" not in out, out


def test_lesson_7_03_solutions_pass_when_run(monkeypatch):
    """Run the lesson's code cells in order (no kernel): every solution verifies silently
    (verify_solution raises if it does not pass), every exercise cell says NOT YET."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import pandas as pd
    from IPython.display import display

    monkeypatch.setenv("COURSE_OFFLINE", "1")
    monkeypatch.chdir(LESSON_7_3.parent)
    cells, solutions = solution_cells(LESSON_7_3)
    namespace = {"display": display, "__name__": "__lesson__"}
    outputs = {}
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # Agg's "cannot show the figure" from plt.show()
            for n, cell in enumerate(cells):
                buffer = io.StringIO()
                with contextlib.redirect_stdout(buffer):
                    exec(compile("".join(cell["source"]), f"<lesson 7.3 cell {n}>", "exec"),
                         namespace)
                outputs[n] = buffer.getvalue()
    finally:
        plt.close("all")
        pd.reset_option("display.max_colwidth")
    for n, cell in enumerate(cells):
        if cell in solutions:
            assert "verify_solution(" in "".join(cell["source"])
            assert outputs[n] == "", outputs[n]
        elif calls_a_check(cell):
            assert "❌ NOT YET: " in outputs[n] and "✅" not in outputs[n], outputs[n]
