"""A tiny language model: next-token probabilities from counts of real BPE tokens.

    >>> model = NGramModel.train("the cat sat on the mat. the cat ate.", n=3)
    >>> model.next_token_distribution(" the cat")   # token ids of " ate" and " sat"
    [(28397, 0.625), (10139, 0.375)]

" the cat" was followed once, by " ate"; " cat" once by " sat" and once by " ate". So
p(" ate") = (1 - 0.75) / 1 + 0.75 * 1/2 = 0.625 and p(" sat") = 0.75 * 1/2 = 0.375 (below).

How a probability is computed (interpolated absolute discounting, the core of Kneser-Ney).
For the context ``a b`` and a candidate next token ``c``:

    p2(c | b)   = count(b c) / count(b ·)                       the bigram estimate
    p3(c | a b) = max(count(a b c) - D, 0) / count(a b ·)       trigram counts, minus D = 0.75,
                  + D * distinct(a b ·) / count(a b ·) * p2(c | b)  the mass taken, given to p2

and so on up to ``n``. A context never seen is skipped (the model "backs off" to a shorter
one); with no usable context at all the unigram frequencies are used. Simplification: the
model can only predict a token that followed the previous token somewhere in its corpus
(``p2`` is not smoothed further) — a real LLM gives each of its 200k tokens some probability.
"""

from __future__ import annotations

import threading
from functools import lru_cache
from pathlib import Path

import numpy as np

from course_lib.tokens import encoding

DISCOUNT = 0.75
CORPORA = Path(__file__).resolve().parents[2] / "data" / "corpus"


class NGramModel:
    """Counts of every k-gram (k = 2..n) of a token sequence; read-only once trained."""

    def __init__(self, n: int, vocab: np.ndarray, unigrams: np.ndarray, grams: list) -> None:
        self.n, self.vocab, self.unigrams, self.grams = n, vocab, unigrams, grams
        self.bits = max(1, int(len(vocab) - 1).bit_length())  # bits per token in a packed key
        self.index = {int(token): i for i, token in enumerate(vocab)}  # token id -> row
        self.enc = encoding("o200k_base")
        # Cached per context (~4 KB each, so at most ~35 MB): generation revisits contexts,
        # and lru_cache is thread-safe.
        self._distribution = lru_cache(maxsize=8192)(self._compute)

    @classmethod
    def train(cls, corpus: str | list[int], n: int = 3) -> NGramModel:
        """Count the k-grams of ``corpus`` (text, or o200k_base token ids) for k = 2..n
        (n = 1: unigram frequencies only; n up to 4 for a vocabulary under 2**15 tokens).

        Each k-gram of vocabulary rows is packed into one int64 key, so counting is one
        ``np.unique``: [5, 9, 5, 9] with n=2 -> keys (5 9), (9 5), (5 9) -> {(5 9): 2, (9 5): 1}.
        """
        ids = encoding("o200k_base").encode_ordinary(corpus) if isinstance(corpus, str) else corpus
        vocab, rows = np.unique(np.asarray(ids, dtype=np.int64), return_inverse=True)
        bits = max(1, int(len(vocab) - 1).bit_length())
        if n < 1 or bits * n > 63:
            raise ValueError(f"n={n} is too large for a vocabulary of {len(vocab)} tokens")
        grams = []
        for k in range(2, n + 1):
            keys = np.zeros(max(len(rows) - k + 1, 0), dtype=np.int64)
            for j in range(k):
                keys = (keys << bits) | rows[j : len(rows) - k + 1 + j]
            grams.append(np.unique(keys, return_counts=True))
        return cls(n, vocab, np.bincount(rows, minlength=len(vocab)), grams)

    # --------------------------------------------------------------------------------------

    def _continuations(self, context: tuple[int, ...]) -> tuple[np.ndarray, np.ndarray]:
        """Rows that followed ``context`` (vocabulary rows) and how often, sorted by row."""
        keys, counts = self.grams[len(context) - 1]
        prefix = 0
        for row in context:
            prefix = (prefix << self.bits) | row
        lo = keys.searchsorted(prefix << self.bits)  # keys sort by context, then next token
        hi = keys.searchsorted((prefix + 1) << self.bits)
        return keys[lo:hi] & ((1 << self.bits) - 1), counts[lo:hi]

    def _compute(self, context: tuple[int, ...]) -> tuple[np.ndarray, np.ndarray]:
        rows = [self.index.get(token, -1) for token in context]
        candidates = probs = None
        for k in range(1, len(rows) + 1):  # use 1, 2, ... tokens of context while seen
            if rows[-k] < 0:
                break
            following, counts = self._continuations(tuple(rows[-k:]))
            if len(following) == 0:
                break
            total = counts.sum()
            if probs is None:  # the bigram estimate: the support from here on
                candidates, probs = following, counts / total
            else:  # discount the longer context's counts, give the mass to the shorter one
                probs = probs * (DISCOUNT * len(following) / total)
                discounted = np.maximum(counts - DISCOUNT, 0) / total
                probs[np.searchsorted(candidates, following)] += discounted
        if probs is None:  # no usable context: how often each token occurs at all
            candidates, probs = np.arange(len(self.vocab)), self.unigrams / self.unigrams.sum()
        order = np.argsort(-probs, kind="stable")  # most likely first; ties: lowest id first
        tokens, probs = self.vocab[candidates[order]], probs[order]
        tokens.flags.writeable = probs.flags.writeable = False  # shared by every caller
        return tokens, probs

    def distribution(self, context: str | list[int]) -> tuple[np.ndarray, np.ndarray]:
        """(token ids, probabilities) for the next token, most likely first; sums to 1."""
        ids = self.enc.encode_ordinary(context) if isinstance(context, str) else context
        return self._distribution(tuple(int(t) for t in ids[len(ids) - self.n + 1 :]))

    def next_token_distribution(self, context: str | list[int],
                                k: int | None = None) -> list[tuple[int, float]]:
        """[(token id, probability), ...] most likely first: all of them, or the top ``k``."""
        tokens, probs = self.distribution(context)
        return [(int(t), float(p)) for t, p in zip(tokens[:k], probs[:k], strict=True)]

    def logits(self, context: str | list[int]) -> tuple[np.ndarray, np.ndarray]:
        """(token ids, log-probabilities): logits up to a constant, so softmax(logits) == probs.

        For the temperature lesson: softmax(logits / T) is what ``sample`` draws from.
        """
        tokens, probs = self.distribution(context)
        return tokens, np.log(probs)

    def sample(self, context: str | list[int], temperature: float = 1.0, top_p: float = 1.0,
               rng: np.random.Generator | None = None) -> int:
        """Draw the next token (see :func:`sample_index`)."""
        tokens, probs = self.distribution(context)
        return int(tokens[sample_index(probs, temperature, top_p, rng)])

    def generate(self, prompt: str, max_tokens: int = 40, temperature: float = 1.0,
                 top_p: float = 1.0, seed: int = 0) -> str:
        """The continuation of ``prompt``, one sampled token at a time (seeded: reproducible)."""
        rng, ids = np.random.default_rng(seed), self.enc.encode_ordinary(prompt)
        for _ in range(max_tokens):
            ids.append(self.sample(ids, temperature, top_p, rng))
        return self.enc.decode(ids[len(ids) - max_tokens :])


# ------------------------------------------------------------------------------------------


def sample_index(probs: np.ndarray, temperature: float = 1.0, top_p: float = 1.0,
                 rng: np.random.Generator | None = None) -> int:
    """Pick an index of ``probs`` (sorted, most likely first), as LLM APIs sample.

    temperature 0 is greedy (index 0). Otherwise probabilities become p ** (1 / T), i.e.
    softmax(log p / T), renormalised: T < 1 sharpens, T > 1 flattens. top_p then keeps the
    smallest set of most likely tokens whose probability reaches top_p ("nucleus").
        [0.5, 0.3, 0.2], T=1, top_p=0.7 -> draws from [0.5, 0.3] renormalised: [0.625, 0.375]
    """
    if temperature <= 0:
        return 0
    if temperature != 1:
        probs = np.exp((np.log(probs) - np.log(probs[0])) / temperature)  # unnormalised
    cumulative = probs.cumsum()
    keep = len(probs)
    if top_p < 1:
        keep = min(int(cumulative.searchsorted(top_p * cumulative[-1] * (1 - 1e-9))) + 1, keep)
    u = (rng if rng is not None else np.random.default_rng()).random() * cumulative[keep - 1]
    return min(int(cumulative.searchsorted(u, side="right")), keep - 1)


# ------------------------------------------------------------------------------------------
# The corpora in data/corpus/, and the default model (training takes ~0.1 s, so no disk cache).

_lock = threading.Lock()
_default: NGramModel | None = None


def corpus(name: str = "python_docs") -> str:
    """The text of data/corpus/<name>.txt ("python_docs" or "kitchen")."""
    return (CORPORA / f"{name}.txt").read_text(encoding="utf-8")


def default_model() -> NGramModel:
    """The stand-in's model: a trigram model of the Python documentation (trained once)."""
    global _default
    with _lock:
        if _default is None:
            _default = NGramModel.train(corpus("python_docs"), n=3)
        return _default
