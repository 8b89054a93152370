"""Section A exercise checks: each rejects wrong answers, accepts any right one, never raises,
and the lessons' own solutions pass them."""

import contextlib
import io
import itertools
import json
import warnings
from pathlib import Path

import pytest

from course_lib import models
from course_lib.exercises import check_bpe_encode, check_dense_text, check_prompt_cost
from course_lib.tokens import count_chat_tokens, encoding

ROOT = Path(__file__).resolve().parent.parent
LESSON_7_3 = ROOT / "notebooks" / "a-what-is-an-llm" / "7.03-tokens-under-the-hood.ipynb"
MODEL = "gpt-5.4-mini"


def verdict(capsys, check, *args, **kwargs):
    """Run a check; return (result, the one line it printed)."""
    result = check(*args, **kwargs)
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 1, lines
    assert lines[0][0] == ("✅" if result else "❌"), lines[0]
    assert isinstance(result, bool)
    return result, lines[0]


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
    ],
)
def test_dense_text_rejects(capsys, answer, hint):
    ok, line = verdict(capsys, check_dense_text, answer)
    assert not ok and hint in line


@pytest.mark.parametrize("answer", ["🦜🦩🦚🦤🦭", "𓀀𓀁𓀂𓀃𓀄", "ꙮꙮꙮꙮꙮ", "👩‍👩‍👧‍👦👋🏽"])
def test_dense_text_accepts_any_short_expensive_string(capsys, answer):
    assert len(answer) <= 20 and len(encoding().encode(answer)) >= 10
    assert verdict(capsys, check_dense_text, answer)[0]


def test_dense_text_treats_special_token_text_as_text(capsys):
    verdict(capsys, check_dense_text, "<|endoftext|>")  # no ValueError from tiktoken


def test_dense_text_limits_are_parameters(capsys):
    assert verdict(capsys, check_dense_text, "hello", max_chars=5, min_tokens=1)[0]


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
def test_bpe_encode_rejects(capsys, answer, hint):
    ok, line = verdict(capsys, check_bpe_encode, answer)
    assert not ok and hint in line


@pytest.mark.parametrize("answer", [encode_in_learned_order, encode_lowest_rank_first])
def test_bpe_encode_accepts_any_correct_formulation(capsys, answer):
    assert verdict(capsys, check_bpe_encode, answer)[0]


def test_bpe_encode_survives_a_function_that_mutates_merges(capsys):
    def greedy(text, merges):
        result = encode_in_learned_order(text, merges)
        merges.clear()
        return result

    assert verdict(capsys, check_bpe_encode, greedy)[0]


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


def test_prompt_cost_accepts_the_answer_and_the_framed_answer(capsys, priced):
    info, tokens = priced
    ok, line = verdict(
        capsys, check_prompt_cost, dollars_for(tokens, info.input), PROMPT, MODEL, requests=100
    )
    assert ok and f"{tokens} tokens" in line
    framed = count_chat_tokens([{"role": "user", "content": PROMPT}])
    ok, line = verdict(
        capsys, check_prompt_cost, dollars_for(framed, info.input), PROMPT, MODEL, requests=100
    )
    assert ok and "framing" in line


def test_prompt_cost_rejects_with_targeted_hints(capsys, priced):
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
    for answer, hint in cases:
        ok, line = verdict(capsys, check_prompt_cost, answer, PROMPT, MODEL, requests=100)
        assert not ok and hint in line, (answer, line)


# ---------------------------------------------------------------------------------------
# The lesson's own solutions


def solution_cells(path):
    nb = json.loads(path.read_text(encoding="utf-8"))
    cells = [c for c in nb["cells"] if c["cell_type"] == "code"]
    return cells, [c for c in cells if "solution" in c["metadata"].get("tags", [])]


def printed(cell):
    return "".join(
        "".join(o.get("text", "")) for o in cell["outputs"] if o["output_type"] == "stream"
    )


def test_lesson_7_3_has_stored_passing_solutions():
    _, solutions = solution_cells(LESSON_7_3)
    assert len(solutions) >= 2
    for cell in solutions:
        out = printed(cell)
        assert "✅" in out and "❌" not in out, out


def test_lesson_7_3_solutions_pass_when_run(monkeypatch, capsys):
    """Run the lesson's code cells in order (no kernel) and check what each solution prints."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import pandas as pd
    from IPython.display import display

    monkeypatch.setenv("COURSE_OFFLINE", "1")
    monkeypatch.chdir(LESSON_7_3.parent)
    cells, solutions = solution_cells(LESSON_7_3)
    namespace = {"display": display, "__name__": "__lesson__"}
    verdicts = []
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # Agg's "cannot show the figure" from plt.show()
            for cell in cells:
                buffer = io.StringIO()
                with contextlib.redirect_stdout(buffer):
                    exec(compile("".join(cell["source"]), "<lesson 7.3>", "exec"), namespace)
                if cell in solutions:
                    verdicts.append(buffer.getvalue())
    finally:
        plt.close("all")
        pd.reset_option("display.max_colwidth")
    assert len(verdicts) == len(solutions)
    for out in verdicts:
        assert "✅" in out and "❌" not in out, out
