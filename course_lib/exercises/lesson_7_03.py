"""Lesson 7.3 — Tokens under the hood: dense text, encoding with BPE merges, prompt cost.

    >>> verdict = check_dense_text("hello")
    ❌ NOT YET: 5 characters → only 1 token; you need 10. Common words are one token each: try characters the tokenizer rarely saw (emoji, ancient scripts, unusual symbols) and look at them with show_tokens().
"""

from __future__ import annotations

import itertools
import math
from typing import Any

from course_lib.exercises._report import NOT_ANSWERED, Verdict, call, never_raises, report

__all__ = ["check_bpe_encode", "check_dense_text", "check_prompt_cost"]


@never_raises
def check_dense_text(
    text: Any, *, max_chars: int = 20, min_tokens: int = 10, encoding_name: str = "o200k_base"
) -> Verdict:
    """Is ``text`` at most ``max_chars`` characters long yet at least ``min_tokens`` tokens?"""
    from course_lib.tokens import count  # lazy: tiktoken loads only when a check runs

    if text is None:
        return report(False, "", NOT_ANSWERED)
    if not isinstance(text, str):
        return report(False, "", f"`text` should be a string, not {type(text).__name__}.")
    n_chars, n_tokens = len(text), count(text, encoding_name=encoding_name)
    if n_chars > max_chars:
        return report(
            False,
            "",
            f"len(text) is {n_chars} (Python counts code points, and one visible emoji can be "
            f"several); the limit is {max_chars}. Shorten it.",
        )
    if n_tokens < min_tokens:
        return report(
            False,
            "",
            f"{n_chars} characters → only {n_tokens} token{'s' * (n_tokens != 1)}; you need "
            f"{min_tokens}. Common words are one token each: try characters the tokenizer "
            "rarely saw (emoji, ancient scripts, unusual symbols) and look at them with "
            "show_tokens().",
        )
    return report(
        True,
        f"{n_chars} characters → {n_tokens} tokens in {encoding_name}: "
        f"{n_tokens / n_chars:.1f} tokens per character.",
        "",
    )


def _merge(ids: list[int], pair: tuple[int, int], new_id: int) -> list[int]:
    out, i = [], 0
    while i < len(ids):
        if i < len(ids) - 1 and (ids[i], ids[i + 1]) == pair:
            out.append(new_id)
            i += 2
        else:
            out.append(ids[i])
            i += 1
    return out


def _train(text: str, n_merges: int) -> dict[tuple[int, int], int]:
    """The lesson's toy byte-pair trainer: merge the most frequent pair, n_merges times."""
    ids, merges = list(text.encode("utf-8")), {}
    for _ in range(n_merges):
        counts: dict[tuple[int, int], int] = {}
        for pair in itertools.pairwise(ids):
            counts[pair] = counts.get(pair, 0) + 1
        if not counts or max(counts.values()) < 2:
            break
        pair = max(counts, key=counts.get)
        merges[pair] = 256 + len(merges)
        ids = _merge(ids, pair, merges[pair])
    return merges


def _encode(text: str, merges: dict[tuple[int, int], int]) -> list[int]:
    ids = list(text.encode("utf-8"))
    for pair, new_id in merges.items():  # learned order: a later merge may use an earlier one
        ids = _merge(ids, pair, new_id)
    return ids


# (training text, merges to learn, texts to encode): overlapping runs, multi-byte characters,
# text the merges never saw, and the empty string.
_BPE_CASES = [
    ("aaabdaaabac", 3, ["aaabdaaabac", "aaaa", "abcd", ""]),
    (
        "the cat sat on the mat; the cat ate the hat",
        10,
        ["the cat sat", "that theme", "the hat and the cat"],
    ),
    ("naïve café, naïve résumé", 6, ["café naïve", "ïïï"]),
]


@never_raises
def check_bpe_encode(encode: Any) -> Verdict:
    """Does ``encode(text, merges)`` apply learned merges exactly like the lesson's tokenizer?

    ``merges`` maps a pair of ids to the new id, in the order the pairs were learned.
    """
    if encode is None:
        return report(False, "", NOT_ANSWERED)
    if not callable(encode):
        return report(False, "", "`encode` should be a function: encode(text, merges) -> ids.")
    for training_text, n_merges, texts in _BPE_CASES:
        merges = _train(training_text, n_merges)
        for text in texts:
            expected = _encode(text, merges)
            got, error = call(encode, text, dict(merges), shown=f"encode({text!r}, merges)")
            if error:
                return report(False, "", error)
            if got is None:
                return report(
                    False, "", "encode() returned None: finish it and `return` the list of ids."
                )
            if isinstance(got, str | bytes) or not hasattr(got, "__iter__"):
                return report(False, "", f"Return a list of ids, not {type(got).__name__}.")
            got = list(got)
            if got == expected:
                continue
            if any(isinstance(i, str) for i in got):
                hint = "Tokens are integers: start from list(text.encode('utf-8')), not the characters."
            elif got == list(text.encode("utf-8")):
                hint = "You returned the raw bytes: apply every merge, in the order learned."
            else:
                hint = (
                    "Apply the merges one after another in the order they were learned "
                    "(a dict keeps that order), each over the whole list, left to right."
                )
            return report(False, "", f"encode({text!r}) gave {got}, expected {expected}. {hint}")
    return report(True, "encode() matches the reference tokenizer on every hidden case.", "")


@never_raises
def check_prompt_cost(
    dollars: Any,
    prompt: str,
    model: str,
    *,
    requests: int = 1,
    encoding_name: str = "o200k_base",
) -> Verdict:
    """Is ``dollars`` the input cost of sending ``prompt`` ``requests`` times to ``model``?

    The expected answer ignores chat framing (tokens of ``prompt`` only); an answer that adds
    the framing tokens of one user message is accepted too. Prices come from the model table
    (``course_lib.models.cost``).
    """
    from course_lib import models
    from course_lib.tokens import count, count_chat_tokens

    if dollars is None:
        return report(False, "", NOT_ANSWERED)
    if isinstance(dollars, bool) or not isinstance(dollars, int | float):
        return report(False, "", f"Give a number of dollars, not {type(dollars).__name__}.")
    if not isinstance(prompt, str):
        return report(False, "", f"The prompt should be a string, not {type(prompt).__name__}.")
    info = models.find(model) if isinstance(model, str) else None
    if info is None:
        shown = repr(model) if isinstance(model, str) else f"A {type(model).__name__}"
        return report(False, "", f"{shown} is not a model id from data/models.csv: pass "
                      "`model` as the lesson's first cell defines it.")
    tokens = count(prompt, encoding_name=encoding_name)
    framed = count_chat_tokens([{"role": "user", "content": prompt}], encoding_name=encoding_name)

    def price(n: int, times: int = requests, kind: str = "prompt_tokens") -> float:
        return models.cost({kind: n * times}, model)

    def near(value: float) -> bool:
        return math.isclose(dollars, value, rel_tol=1e-6, abs_tol=1e-12)

    for counted, note in ((tokens, ""), (framed, " (chat framing tokens included)")):
        if near(price(counted)):
            return report(
                True,
                f"{counted} tokens × {requests:,} requests × ${info.input} per 1M tokens = "
                f"${dollars:,.4f}{note}.",
                "",
            )
    mistakes = [
        (price(tokens) * 1_000_000, "Prices are per 1 MILLION tokens: divide by 1,000,000."),
        (price(tokens, kind="completion_tokens"),
         "That is the output price; a prompt is billed as input."),
        (price(tokens, times=1), f"That is one request; there are {requests:,}."),
        (price(len(prompt)), "You counted characters; count tokens with enc.encode(prompt)."),
        (price(len(prompt.split())), "You counted words; count tokens with enc.encode(prompt)."),
    ]
    for value, hint in mistakes:
        if near(value):
            return report(False, "", hint)
    return report(
        False,
        "",
        "Not quite. Check each factor: the prompt's tokens (not its characters or words), "
        "the number of requests, the price of INPUT tokens, and the price's unit.",
    )
