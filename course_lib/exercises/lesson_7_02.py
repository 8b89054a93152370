"""Lesson 7.2 — Training data: what a model knows is what its corpus contains.

    >>> verdict = check_taught_fact(None)
    ❌ NOT YET: Not answered yet: replace the None in the cell above with your answer, then re-run.
"""

from __future__ import annotations

import math
from typing import Any

from course_lib.exercises._report import NOT_ANSWERED, Verdict, never_raises, report

__all__ = ["check_confident_nonsense", "check_taught_fact"]


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
) -> Verdict:
    """Trained on the ``corpus_name`` corpus plus ``extra_text``, does a trigram model's
    greedy next token after ``prompt`` become ``target``?"""
    from course_lib.model.ngram import NGramModel, corpus

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
                  "The model sees only the last two tokens of the prompt: in your text, "
                  f"{target!r} must follow them more often than any continuation the "
                  "corpus already has.")


@never_raises
def check_confident_nonsense(
    prompt: Any, truth: Any, corpus_name: str = "python_docs", margin: float = 10.0
) -> Verdict:
    """Is the model trained on ``corpus_name`` far surer of its own continuation of
    ``prompt`` than of the true one? Compares the average probability per token (geometric
    mean) of the greedy continuation and of ``truth``, over the same number of tokens; passes
    when the model's own is at least ``margin`` times higher."""
    from course_lib.model.ngram import NGramModel, corpus, default_model
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
