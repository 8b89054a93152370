"""Lesson 7.31 — Module 7 review: the pipeline by hand.

``check_greedy_generate`` runs the student's ``generate_greedy(model, prompt, n_tokens)`` on
hidden prompts and compares it with the n-gram model's own greedy generation, so any loop of
tokenize → predict → pick the most likely → repeat passes. (The lesson's self-assessment, the
Independence Check, is not graded: it is :data:`course_lib.selfcheck.INDEPENDENCE_CHECK`.)

    >>> verdict = check_greedy_generate(None)
    ❌ NOT YET: Not answered yet: replace the None in the cell above with your answer, then re-run.
"""

from __future__ import annotations

from typing import Any

from course_lib.exercises._report import NOT_ANSWERED, Verdict, call, never_raises, report

__all__ = ["check_greedy_generate"]

# Hidden prompts: code-like and prose-like text from the n-gram model's corpus (Python docs).
_PROMPTS = ["The list", "def f(x):\n    return", "If the argument is", " import"]
_LENGTHS = (1, 6)


def _reference(model: Any, prompt: str, n_tokens: int) -> str:
    """Greedy generation by the book: the most likely next token, n_tokens times."""
    ids = model.enc.encode_ordinary(prompt)
    for _ in range(n_tokens):
        tokens, _probs = model.distribution(ids)
        ids.append(int(tokens[0]))
    return model.enc.decode(ids[len(ids) - n_tokens:])


@never_raises
def check_greedy_generate(generate_greedy: Any) -> Verdict:
    """Does ``generate_greedy(model, prompt, n_tokens)`` return the greedy continuation text?

    It must tokenize ``prompt``, ask ``model`` for the next-token distribution, append the
    most likely token, and repeat ``n_tokens`` times, returning only the new text.
    """
    if generate_greedy is None:
        return report(False, "", NOT_ANSWERED)
    if not callable(generate_greedy):
        return report(False, "", "`generate_greedy` should be a function: "
                      "generate_greedy(model, prompt, n_tokens) -> str.")
    from course_lib.model import ngram

    model = ngram.default_model()
    for prompt in _PROMPTS:
        for n in _LENGTHS:
            got, error = call(generate_greedy, model, prompt, n,
                              shown=f"generate_greedy(model, {prompt!r}, {n})")
            if error:
                return report(False, "", error)
            want = _reference(model, prompt, n)
            if not isinstance(got, str):
                return report(False, "", f"generate_greedy(model, {prompt!r}, {n}) returned a "
                              f"{type(got).__name__}: decode the new token ids into a str.")
            if got == prompt + want:
                return report(False, "", "You returned the prompt as well: return only the "
                              "new text (decode the ids after the prompt's).")
            if got != want:
                n_got = len(model.enc.encode_ordinary(got))
                hint = (f" It has {n_got} tokens, not {n}." if n_got != n else
                        " Pick the most likely token (temperature 0), not a sampled one, and "
                        "feed each pick back in before predicting the next.")
                return report(False, "", f"generate_greedy(model, {prompt!r}, {n}) returned "
                              f"{got!r}, not the greedy continuation.{hint}")
    return report(True, f"{len(_PROMPTS) * len(_LENGTHS)} greedy continuations match the "
                  "model's own, token for token.", "")
