"""What a language model predicts, as tables and bar charts (lessons 7.0–7.2 and later).

A *predictor* is any function from context token ids to next-token candidates, given as
``[(token id, probability), ...]`` or ``{token id: probability}``: the counting model of
lesson 7.1, ``NGramModel.next_token_distribution`` of the offline stand-in, or your own.

    >>> next_token_table([(261, 0.25), (290, 0.5)])      # doctest: +NORMALIZE_WHITESPACE
           token   id  probability
    rank
    1     ' the'  290         0.50
    2       ' a'  261         0.25

Tokens are shown as Python string literals (``' the'``), so a leading space or a line break
is visible. A token that holds only part of a UTF-8 character is shown as its bytes.
Simplification: a real API gives you at most ~20 candidates per step (``top_logprobs``);
these helpers show whatever the predictor returns.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from course_lib._fields import field
from course_lib.tokens import encoding  # cheap: tiktoken loads on the first encoding() call

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd
    from matplotlib.axes import Axes

__all__ = [
    "Generation",
    "continuation_probabilities",
    "copied_pieces",
    "generation_steps",
    "logprob_steps",
    "longest_verbatim_span",
    "next_token_table",
    "plot_next_tokens",
    "snippet",
    "token_label",
    "token_probabilities",
]

Candidates = Mapping[int, float] | Iterable[tuple[int | str, float]]
Predictor = Callable[[list[int]], Candidates]


def token_label(token: int | str | bytes, encoding_name: str = "o200k_base") -> str:
    """A token as a readable literal: ``279 -> "' the'"``, ``"\\n" -> "'\\\\n'"``."""
    if isinstance(token, int):
        token = encoding(encoding_name).decode_single_token_bytes(token)
    if isinstance(token, bytes):
        try:
            token = token.decode("utf-8")
        except UnicodeDecodeError:
            return repr(token)  # part of a character: b'\xf0\x9f'
    return repr(token)


def _ranked(candidates: Candidates) -> list[tuple[Any, float]]:
    """Candidates as a list, most likely first (ties keep their order)."""
    pairs = candidates.items() if isinstance(candidates, Mapping) else candidates
    return sorted(((t, float(p)) for t, p in pairs), key=lambda pair: -pair[1])


def next_token_table(
    candidates: Candidates, k: int | None = None, encoding_name: str = "o200k_base"
) -> pd.DataFrame:
    """The top ``k`` candidates (all when None) as a table: token, id (for ids), probability."""
    import pandas as pd

    ranked = _ranked(candidates)[:k]
    table = pd.DataFrame(
        {
            "token": [token_label(t, encoding_name) for t, _ in ranked],
            "id": [t for t, _ in ranked],
            "probability": [round(p, 4) for _, p in ranked],
        },
        index=pd.RangeIndex(1, len(ranked) + 1, name="rank"),
    )
    return table if all(isinstance(t, int) for t, _ in ranked) else table.drop(columns="id")


# ------------------------------------------------------------------------------------------
# One token at a time


@dataclass
class Generation:
    """A continuation and how it was made: ``steps`` has one row per generated token.

    ``steps`` rounds probabilities for display; ``probabilities`` holds each pick's exact one.
    """

    prompt: str
    ids: list[int]
    text: str
    steps: pd.DataFrame
    probabilities: list[float] = dataclasses.field(default_factory=list)


def _row(step: int, context: str, ranked: Sequence, k: int, pick: str, p: float) -> dict:
    row: dict[str, Any] = {"step": step, "context ends": context}
    for i in range(k):
        row[f"#{i + 1}"] = f"{ranked[i][0]} {ranked[i][1]:.2f}" if i < len(ranked) else ""
    return row | {"pick": pick, "p(pick)": round(p, 3)}


def generation_steps(
    predict: Predictor,
    prompt: str,
    max_tokens: int = 10,
    *,
    k: int = 3,
    rng: np.random.Generator | None = None,
    tail: int = 3,
    encoding_name: str = "o200k_base",
) -> Generation:
    """Generate up to ``max_tokens`` tokens with ``predict``, recording every step.

    With ``rng=None`` each pick is the most likely token (greedy); with a numpy Generator the
    pick is drawn in proportion to the probabilities (seeded: reproducible). Generation stops
    early at a context the predictor has no candidates for.
    """
    import numpy as np
    import pandas as pd

    enc = encoding(encoding_name)
    ids, new, rows, picked = enc.encode_ordinary(prompt), [], [], []
    for step in range(1, max_tokens + 1):
        ranked = _ranked(predict(list(ids)))
        if not ranked:
            break  # a dead end: this context was never seen
        if rng is None:
            choice = 0
        else:
            probs = np.array([p for _, p in ranked])
            choice = int(rng.choice(len(ranked), p=probs / probs.sum()))
        labels = [(token_label(t, encoding_name), p) for t, p in ranked[:k]]
        context = "…" + token_label(enc.decode(ids[-tail:]))
        pick, p = ranked[choice]
        rows.append(_row(step, context, labels, k, token_label(pick, encoding_name), p))
        ids.append(pick)
        new.append(pick)
        picked.append(p)
    steps = pd.DataFrame(rows, columns=list(_row(0, "", [], k, "", 0))).set_index("step")
    return Generation(prompt, new, enc.decode(new), steps, picked)


def logprob_steps(content: Sequence[Any], k: int = 3, tail: int = 3) -> pd.DataFrame:
    """The same step table from an OpenAI response's ``choices[0].logprobs.content``.

    Works with the SDK's objects and with the raw JSON (dicts). Probabilities are
    ``exp(logprob)``; ask for ``logprobs=True, top_logprobs=k`` in the request.
    """
    import pandas as pd

    rows, previous = [], []
    for step, item in enumerate(content, start=1):
        top = [(repr(field(t, "token")), math.exp(field(t, "logprob")))
               for t in field(item, "top_logprobs") or []]
        context = "…" + repr("".join(previous[-tail:])) if previous else "(the prompt)"
        token = field(item, "token")
        rows.append(_row(step, context, top, k, repr(token), math.exp(field(item, "logprob"))))
        previous.append(token)
    return pd.DataFrame(rows, columns=list(_row(0, "", [], k, "", 0))).set_index("step")


def _continuation(
    predict: Predictor, prompt: str, continuation: str, encoding_name: str
) -> list[tuple[int, float, int | None]]:
    """(token, exact probability, rank or None) for each token of ``continuation``."""
    enc = encoding(encoding_name)
    ids, out = enc.encode_ordinary(prompt), []
    # Tokenize the two together, as the model would see them ("says" + ' "bring' may split
    # differently from ' "bring' alone), unless that would change the prompt's own tokens.
    joint = enc.encode_ordinary(prompt + continuation)
    stable = joint[: len(ids)] == ids
    tokens = joint[len(ids) :] if stable else enc.encode_ordinary(continuation)
    for token in tokens:
        ranked = _ranked(predict(list(ids)))
        probabilities = dict(ranked)
        rank = [t for t, _ in ranked].index(token) + 1 if token in probabilities else None
        out.append((token, probabilities.get(token, 0.0), rank))
        ids.append(token)
    return out


def continuation_probabilities(
    predict: Predictor, prompt: str, continuation: str, encoding_name: str = "o200k_base"
) -> list[float]:
    """The exact probability of each token of ``continuation`` after ``prompt`` (0 for a token
    the predictor never offered): the numbers :func:`token_probabilities` shows rounded."""
    return [p for _, p, _ in _continuation(predict, prompt, continuation, encoding_name)]


def token_probabilities(
    predict: Predictor, prompt: str, continuation: str, encoding_name: str = "o200k_base"
) -> pd.DataFrame:
    """How likely the predictor found each token of ``continuation`` after ``prompt``.

    ``rank`` 1 means the token was the predictor's top choice; a token it never offered gets
    probability 0 and no rank. Probabilities are rounded to 4 digits for display
    (:func:`continuation_probabilities` gives them exactly).
    """
    import pandas as pd

    rows = [{"token": token_label(token, encoding_name), "probability": round(p, 4), "rank": rank}
            for token, p, rank in _continuation(predict, prompt, continuation, encoding_name)]
    table = pd.DataFrame(rows, index=pd.RangeIndex(1, len(rows) + 1, name="position"))
    return table.astype({"rank": "Int64"})  # integers, with <NA> for a token never offered


# ------------------------------------------------------------------------------------------
# Pictures and corpus look-ups


def plot_next_tokens(
    candidates: Candidates | pd.DataFrame,
    k: int = 10,
    *,
    ax: Axes | None = None,
    title: str | None = None,
    encoding_name: str = "o200k_base",
) -> Axes:
    """Horizontal bars of the top ``k`` next-token probabilities, most likely on top."""
    import matplotlib.pyplot as plt

    table = candidates if hasattr(candidates, "columns") else next_token_table(
        candidates, k, encoding_name)
    table = table.head(k)
    if ax is None:
        _, ax = plt.subplots(figsize=(6, 0.35 * len(table) + 1))
    bars = ax.barh(range(len(table)), table["probability"], color="#2E7D32")
    ax.set_yticks(range(len(table)), table["token"], family="monospace")
    ax.invert_yaxis()
    ax.bar_label(bars, fmt="%.2f", padding=2)
    ax.set_xlim(0, min(1.15, table["probability"].max() * 1.25 + 0.02))  # room for labels
    ax.set_xlabel("probability of being the next token")
    ax.spines[["top", "right"]].set_visible(False)
    if title:
        ax.set_title(title)
    return ax


def longest_verbatim_span(text: str, corpus: str) -> tuple[str, int]:
    """The longest piece of ``text`` found word for word in ``corpus``, and where it starts.

    ``("the cat sat", "a cat sat down") -> (" cat sat", 1)``; ``("", -1)`` when no character
    matches. Sliding window: if text[i:j] is in the corpus, so is text[i+1:j].
    """
    best, j = (0, 0), 0
    for i in range(len(text)):
        j = max(j, i)
        while j < len(text) and text[i : j + 1] in corpus:
            j += 1
        if j - i > best[1] - best[0]:
            best = (i, j)
    span = text[best[0] : best[1]]
    return span, corpus.find(span) if span else -1


def snippet(corpus: str, start: int, length: int, width: int = 60) -> str:
    """``corpus[start:start+length]`` in ⟦brackets⟧ with ``width`` characters around it,
    line breaks shown as ⏎, and the line number: ``line 12: …before⟦span⟧after…``."""
    before = corpus[max(0, start - width) : start]
    span = corpus[start : start + length]
    after = corpus[start + length : start + length + width]
    shown = f"…{before}⟦{span}⟧{after}…".replace("\n", "⏎")
    return f"line {corpus.count(chr(10), 0, start) + 1}: {shown}"


def copied_pieces(text: str, corpus: str) -> list[tuple[str, int]]:
    """Cut ``text`` into the fewest pieces that each occur in ``corpus``: [(piece, start)].

    Greedy longest match, which is optimal here because every part of a piece found in the
    corpus is also in the corpus. A character the corpus never contains is its own piece,
    with start -1. ``("the cat ate", "the cat sat. we ate") -> [("the cat ", 0), ("ate", 16)]``
    """
    pieces, i = [], 0
    while i < len(text):
        j = i
        while j < len(text) and text[i : j + 1] in corpus:
            j += 1
        j = max(j, i + 1)
        piece = text[i:j]
        pieces.append((piece, corpus.find(piece)))
        i = j
    return pieces
