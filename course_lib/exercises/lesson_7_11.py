"""Lesson 7.11 — Parameters deep dive: several alternatives in one request, a reply's probability.

Checks look at the response object the student got back, from any provider.

    >>> verdict = check_three_alternatives("a cat, a dog, a bird")
    ❌ NOT YET: Expected the response object returned by the API, got str. Pass `response` itself (not its text).
"""

from __future__ import annotations

import math
from typing import Any

from course_lib._fields import field
from course_lib.exercises._replies import anthropic_text, choice_text, is_anthropic_message
from course_lib.exercises._report import NOT_ANSWERED, Verdict, never_raises, report

__all__ = ["check_reply_probability", "check_three_alternatives"]


def _count_tokens(text: str) -> int:
    from course_lib.tokens import count  # lazy: tiktoken loads only when a check runs

    return count(text)


def _alternatives(answer: Any) -> list[tuple[str, int]] | str:
    """(text, output tokens) per alternative, or a hint saying why ``answer`` can't be read.

    Accepts one OpenAI ChatCompletion (one alternative per choice) or a list of responses
    (OpenAI ChatCompletions with one choice each, or Anthropic Messages).
    """
    if field(answer, "choices") is not None:
        out = []
        for choice in field(answer, "choices"):
            text = choice_text(choice) or ""
            logprobs = field(field(choice, "logprobs"), "content")
            out.append((text, len(logprobs) if logprobs else _count_tokens(text)))
        return out
    if isinstance(answer, list | tuple):
        out = []
        for item in answer:
            if field(item, "choices") is not None:
                parts = _alternatives(item)
                if isinstance(parts, str):
                    return parts
                out += parts
            elif is_anthropic_message(item):
                text = anthropic_text(item)
                used = field(field(item, "usage"), "output_tokens")
                out.append((text, used if isinstance(used, int) else _count_tokens(text)))
            else:
                return f"Item {type(item).__name__} is not a response object."
        return out
    return (
        f"Expected the response object returned by the API, got {type(answer).__name__}. "
        "Pass `response` itself (not its text)."
    )


@never_raises
def check_three_alternatives(answer: Any, *, k: int = 3, max_tokens: int = 10) -> Verdict:
    """Does ``answer`` hold exactly ``k`` different alternatives of at most ``max_tokens`` each?

    ``answer`` is one response with ``k`` choices, or a list of ``k`` responses (any provider).
    """
    if answer is None:
        return report(False, "", NOT_ANSWERED)
    alternatives = _alternatives(answer)
    if isinstance(alternatives, str):
        return report(False, "", alternatives)
    if len(alternatives) != k:
        return report(
            False,
            "",
            f"Found {len(alternatives)} alternative(s); the task asks for exactly {k}. One "
            f"request can return several: the parameter `n` sets how many choices you get.",
        )
    too_long = [n for _, n in alternatives if n > max_tokens]
    if too_long:
        return report(
            False,
            "",
            f"An alternative used {max(too_long)} tokens; the limit is {max_tokens}. Cap the "
            "reply length with `max_completion_tokens` (older name: `max_tokens`).",
        )
    if any(not text.strip() for text, _ in alternatives):
        return report(False, "", "An alternative is empty: ask for text, not only a tool call.")
    if len({text for text, _ in alternatives}) < k:
        return report(
            False,
            "",
            "Some alternatives are identical. Sample more freely (temperature around 1, "
            "top_p 1) or change the seed.",
        )
    sizes = ", ".join(str(n) for _, n in alternatives)
    return report(True, f"{k} different alternatives of {sizes} tokens.", "")


def _reply_logprobs(response: Any) -> list[float] | None:
    choices = field(response, "choices") or []
    content = field(field(choices[0], "logprobs"), "content") if choices else None
    return [float(field(t, "logprob")) for t in content] if content else None


@never_raises
def check_reply_probability(probability: Any, response: Any) -> Verdict:
    """Is ``probability`` the chance of the whole first choice of ``response`` (from logprobs)?"""
    if probability is None:
        return report(False, "", NOT_ANSWERED)
    logprobs = _reply_logprobs(response)
    if logprobs is None:
        return report(
            False,
            "",
            "This response has no logprobs: request it with logprobs=True (OpenAI models "
            "that accept logprobs; see the table in this lesson).",
        )
    if isinstance(probability, bool) or not isinstance(probability, int | float):
        return report(False, "", f"Give a number, not {type(probability).__name__}.")
    total = sum(logprobs)
    expected = math.exp(total)

    def near(value: float) -> bool:
        return math.isclose(probability, value, rel_tol=1e-6, abs_tol=1e-300)

    if near(expected):
        return report(
            True,
            f"p(reply) = exp({total:.3f}) = {expected:.3g}: the product of the "
            f"{len(logprobs)} token probabilities.",
            "",
        )
    if near(total):
        return report(False, "", "That is the log-probability; exponentiate it (math.exp).")
    if near(math.exp(total / len(logprobs))):
        return report(
            False,
            "",
            "That is the geometric-mean probability per token; the whole reply needs the "
            "SUM of the logprobs (the product of the probabilities).",
        )
    if near(sum(math.exp(lp) for lp in logprobs)):
        return report(False, "", "Probabilities of a sequence multiply, they don't add.")
    return report(
        False,
        "",
        "Not quite: use every token of the first choice, and remember that each logprob is "
        "the natural logarithm of that token's probability.",
    )
