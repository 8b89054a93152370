"""Checks for lessons 7.0–7.2: the quiz of 7.0, counting predictors (7.1), corpora (7.2).

Every check prints one line (✅ or ❌ with a hint), returns True/False and never raises on a
wrong answer. Function exercises run on hidden cases, so any correct implementation passes.
"""

from __future__ import annotations

import math
from collections import Counter
from typing import Any

from course_lib.exercises._report import NOT_ANSWERED, call, check_quiz, never_raises, report
from course_lib.quiz import Question, Quiz

__all__ = [
    "MAGIC_QUIZ",
    "check_confident_nonsense",
    "check_greedy_next",
    "check_magic_quiz",
    "check_sequence_probability",
    "check_taught_fact",
]


# ---------------------------------------------------------------------------------------
# Lesson 7.0 — the quiz


MAGIC_QUIZ = Quiz(
    [
        Question(
            "While a chat model writes its reply, what does it compute at each step?",
            ["The whole answer, which it then prints slowly for effect.",
             "A probability for every token it knows; then one token is picked.",
             "The best-matching answer stored in a database of answers."],
            answer=1,
            explanation="one step, one token: the model scores every candidate, one is picked.",
            hint="Look at the step table again: one row per token, each with candidates and "
            "their probabilities.",
        ),
        Question(
            "In the sampled step table, the pick was not always candidate #1. Why?",
            ["The model made a mistake at those steps.",
             "The server lost some of the probabilities on the way.",
             "The pick is drawn at random in proportion to the probabilities, so a less "
             "likely token is sometimes chosen."],
            answer=2,
            explanation="that is sampling; lesson 7.5 shows how temperature changes the odds.",
            hint="Sampling: a token with probability 0.2 is picked about one time in five.",
        ),
        Question(
            "The model wrote fluent text about Python. Where did that fluency come from?",
            ["Patterns in the text it was trained on: which tokens tend to follow which.",
             "It looked the answer up on the internet during the call.",
             "It reasoned it out from first principles while you waited."],
            answer=0,
            explanation="no magic, just next-token picks learned from a corpus.",
            hint="The tiny model in this lesson was built from nothing but counts over a corpus "
            "of Python's documentation (lessons 7.1 and 7.2 build it).",
        ),
    ],
    title="Quiz: the AI magic problem (lesson 7.0)",
)


@never_raises
def check_magic_quiz(answers: Any) -> bool:
    """Grade lesson 7.0's quiz: ``answers`` like ``["a", "b", "c"]`` or ``"abc"`` (letters,
    or option indices like every quiz of the course)."""
    return check_quiz(MAGIC_QUIZ, answers)


# ---------------------------------------------------------------------------------------
# Lesson 7.1 — a predictor from counts. Hidden cases use small integer "token ids".

_SEQUENCES = [
    [1, 2, 3, 1, 2, 4, 1, 2, 3, 5, 2, 3, 6, 6, 6, 6],
    [7, 8, 7, 9, 7, 8, 8, 7, 8, 9, 9, 7, 8],
    [10, 11, 12, 10, 11, 13, 10, 11, 12, 11, 12, 14, 12, 10],
]


def _counts(ids: list[int], n: int) -> Counter:
    return Counter(zip(*(ids[i:] for i in range(n)), strict=False))  # shortest wins


def _following(counts: Counter, context: tuple) -> Counter:
    return Counter({g[-1]: c for g, c in counts.items() if tuple(g[:-1]) == tuple(context)})


def _overall_favourite(counts: Counter) -> Any:
    overall = Counter()
    for gram, c in counts.items():
        overall[gram[-1]] += c
    return overall.most_common(1)[0][0]


def _cases():
    """(counts, context, following counts) for bigrams and trigrams, seen and unseen."""
    for ids in _SEQUENCES:
        for n in (2, 3):
            counts = _counts(ids, n)
            contexts = sorted({g[:-1] for g in counts}) + [(99,) * (n - 1)]
            for context in contexts:
                yield counts, context, _following(counts, context)


@never_raises
def check_greedy_next(greedy_next: Any) -> bool:
    """Does ``greedy_next(counts, context)`` return the most frequent next token id?

    ``counts`` is a Counter of n-gram tuples, ``context`` a tuple of n-1 ids; an unseen
    context gives None. On a tie any of the tied tokens is right.
    """
    if greedy_next is None:
        return report(False, "", NOT_ANSWERED)
    if not callable(greedy_next):
        return report(False, "", "`greedy_next` should be a function: greedy_next(counts, context).")
    for counts, context, following in _cases():
        got, error = call(greedy_next, Counter(counts), context,
                          shown=f"greedy_next(counts, {context})")
        if error:
            unseen = "" if following else " This context never occurs: return None."
            return report(False, "", error + unseen)
        if not following:
            if got is not None:
                return report(False, "", f"Context {context} never occurs in the counts, so "
                              f"there is no prediction: return None (you returned {got!r}).")
            continue
        best = max(following.values())
        if got in following and following[got] == best:
            continue
        if isinstance(got, float):
            hint = "You returned a probability: return the token id that has it."
        elif isinstance(got, tuple):
            hint = "Return just the next token id, not a tuple."
        elif got == _overall_favourite(counts):
            hint = ("That is the most frequent next token overall. Only n-grams that START "
                    "with the context count: filter on gram[:-1] == context first.")
        else:
            hint = "Return the id that most often followed the context."
        return report(False, "", f"For context {context} the counts of what followed are "
                      f"{dict(following)}, so the answer is one with count {best}; you "
                      f"returned {got!r}. {hint}")
    return report(True, "greedy_next picks the most frequent continuation on every hidden case.", "")


def _sequence_probability(counts: Counter, ids: list[int]) -> float:
    n = len(next(iter(counts)))
    p = 1.0
    for i in range(n - 1, len(ids)):
        following = _following(counts, tuple(ids[i - n + 1 : i]))
        total = sum(following.values())
        p *= following[ids[i]] / total if total else 0.0
    return p


@never_raises
def check_sequence_probability(sequence_probability: Any) -> bool:
    """Does ``sequence_probability(counts, ids)`` multiply P(next | context) along ``ids``?

    The first n-1 ids are the given start; each later id contributes P(id | the n-1 before
    it) computed from ``counts``. A step never seen makes the whole sequence impossible (0).
    """
    if sequence_probability is None:
        return report(False, "", NOT_ANSWERED)
    if not callable(sequence_probability):
        return report(False, "", "`sequence_probability` should be a function: "
                      "sequence_probability(counts, ids).")
    trials = [
        (_counts(_SEQUENCES[0], 2), [1, 2, 3, 1]),
        (_counts(_SEQUENCES[0], 2), [2, 3, 6, 6, 6]),
        (_counts(_SEQUENCES[0], 3), [1, 2, 3, 5, 2]),
        (_counts(_SEQUENCES[1], 2), [7, 8, 9, 9, 7]),
        (_counts(_SEQUENCES[1], 3), [7, 8, 7, 9, 7, 8]),
        (_counts(_SEQUENCES[2], 2), [10, 11, 12, 10]),
        (_counts(_SEQUENCES[2], 2), [10, 12, 11]),  # 10 -> 12 never happens: 0
        (_counts(_SEQUENCES[2], 3), [12, 10, 11, 13]),
    ]
    for counts, ids in trials:
        expected = _sequence_probability(counts, ids)
        got, error = call(sequence_probability, Counter(counts), list(ids),
                          shown=f"sequence_probability(counts, {ids})")
        if error:
            return report(False, "", error)
        if got is None:
            return report(False, "", "sequence_probability returned None: `return` the product.")
        try:
            got = float(got)
        except (TypeError, ValueError):
            return report(False, "", f"Return a number, not {type(got).__name__}.")
        if math.isclose(got, expected, rel_tol=1e-9, abs_tol=1e-12):
            continue
        n = len(next(iter(counts)))
        steps = [(_following(counts, tuple(ids[i - n + 1 : i])), ids[i])
                 for i in range(n - 1, len(ids))]
        probs = [f[t] / sum(f.values()) if f else 0.0 for f, t in steps]
        if math.isclose(got, sum(probs), rel_tol=1e-9):
            hint = "You added the probabilities: multiply them (the chain rule)."
        elif math.isclose(got, math.prod(f[t] for f, t in steps), rel_tol=1e-9):
            hint = "You multiplied counts: divide each by the total count after its context first."
        else:
            hint = (f"With {n}-grams, each id from position {n - 1} on contributes "
                    f"P(id | the {n - 1} id(s) before it); multiply those.")
        return report(False, "", f"For ids {ids} ({n}-gram counts) the probability is "
                      f"{expected:.6g}; you returned {got:.6g}. {hint}")
    return report(True, "sequence_probability multiplies P(next | context) correctly on every "
                  "hidden case, including an impossible step (probability 0).", "")


# ---------------------------------------------------------------------------------------
# Lesson 7.2 — what a model knows is what its corpus contains


def _greedy_table(model, prompt: str, k: int = 3) -> str:
    from course_lib.prediction import token_label

    shown = [f"{token_label(t)} {p:.2f}" for t, p in model.next_token_distribution(prompt, k)]
    return ", ".join(shown)


@never_raises
def check_taught_fact(
    extra_text: Any,
    prompt: str = "To sort a list, use",
    target: str = " sorted",
    corpus_name: str = "kitchen",
) -> bool:
    """Trained on the ``corpus_name`` corpus plus ``extra_text``, does a trigram model's
    greedy next token after ``prompt`` become ``target``?"""
    from course_lib.offline.ngram import NGramModel, corpus

    if extra_text is None:
        return report(False, "", NOT_ANSWERED)
    if not isinstance(extra_text, str):
        return report(False, "", f"`extra_text` should be a string, not {type(extra_text).__name__}.")
    model = NGramModel.train(corpus(corpus_name) + "\n\n" + extra_text, n=3)
    (token, p), *_ = model.next_token_distribution(prompt, 1)
    wanted = model.enc.encode_ordinary(target)[0]
    if token == wanted:
        return report(True, f"The model now continues {prompt!r} with {target!r} "
                      f"(probability {p:.2f}). It 'knows' it because the corpus says so.", "")
    probability = dict(model.next_token_distribution(prompt)).get(wanted, 0.0)
    return report(False, "", f"After {prompt!r} the model's top candidates are "
                  f"{_greedy_table(model, prompt)}; {target!r} has {probability:.2f}. "
                  "The model only sees the last two tokens: write the exact phrase "
                  f"{(prompt + target)!r} into your text, often enough to beat the "
                  "continuations the corpus already has.")


@never_raises
def check_confident_nonsense(
    prompt: Any, truth: Any, corpus_name: str = "python_docs", margin: float = 10.0
) -> bool:
    """Is the model trained on ``corpus_name`` far surer of its own continuation of
    ``prompt`` than of the true one? Compares the average probability per token (geometric
    mean) of the greedy continuation and of ``truth``, over the same number of tokens; passes
    when the model's own is at least ``margin`` times higher."""
    from course_lib.offline.ngram import NGramModel, corpus, default_model
    from course_lib.prediction import continuation_probabilities, generation_steps
    from course_lib.tokens import count

    if prompt is None or truth is None:
        return report(False, "", NOT_ANSWERED)
    if not isinstance(prompt, str) or not isinstance(truth, str) or not truth.strip():
        return report(False, "", "Give two non-empty strings: a prompt and its true continuation.")
    if count(prompt) < 3:
        return report(False, "", "Start a sentence whose true ending you know, in a few words "
                      "(e.g. \"The capital of France is\"), and give that ending as `truth`.")
    model = default_model() if corpus_name == "python_docs" else NGramModel.train(
        corpus(corpus_name), n=3)
    # Decide on the raw probabilities (the tables round them for display).
    true_probs = continuation_probabilities(model.next_token_distribution, prompt, truth)
    own = generation_steps(model.next_token_distribution, prompt, len(true_probs))
    if own.text.strip() == truth.strip():
        return report(False, "", f"The model already says {truth!r}: that is memory, not "
                      "nonsense. Ask about something its corpus never mentions.")

    def per_token(probs: list[float]) -> float:
        return math.prod(probs) ** (1 / len(probs)) if probs else 0.0

    mine, real = per_token(own.probabilities), per_token(true_probs)
    summary = (f"The model continues {prompt!r} with {own.text!r} ({mine:.3f} per token) and "
               f"gives the truth {truth!r} {real:.3f} per token.")
    if real * margin < mine:
        return report(True, summary + " It is sure of what its corpus makes likely, "
                      "not of what is true.", "")
    return report(False, "", summary + " The truth is not far behind: this corpus knows it. "
                  "Try a fact the corpus never states.")
