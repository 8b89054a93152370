"""Lesson 7.4 — The context window: will a request (prompt + reply) fit?

    >>> verdict = check_fits_window(None)
    ❌ NOT YET: Not answered yet: replace the None in the cell above with your answer, then re-run.
"""

from __future__ import annotations

from typing import Any

from course_lib.exercises._report import NOT_ANSWERED, Verdict, call_shown, never_raises, report

# numpy is imported inside the check: `import course_lib.exercises` stays light.

__all__ = ["check_fits_window"]


def _fit_cases() -> list[tuple[str, list[dict], int, int]]:
    """(what, messages, window, max_completion_tokens) around the boundary, from count_chat_tokens."""
    from course_lib.tokens import count_chat_tokens

    chat = [
        {"role": "system", "content": "You summarise documentation in one line."},
        {"role": "user", "content": "Part 1 of the docs: the assert statement. Summarise it."},
        {"role": "assistant", "content": "Assert checks a condition while debugging."},
        {"role": "user", "content": "Part 2: assignment statements bind names to values."},
    ]
    n = count_chat_tokens(chat)
    one = chat[1:2]
    m = count_chat_tokens(one)
    return [
        ("a chat with room to spare", chat, n + 500, 100),
        ("a chat that fills the window exactly", chat, n + 100, 100),
        ("a chat one token too long", chat, n + 99, 100),
        ("a prompt that fits only without its reply", chat, n + 10, 200),
        ("one message and no reply budget", one, m, 0),
        ("one message, one token over", one, m - 1, 0),
    ]


@never_raises
def check_fits_window(fits: Any) -> Verdict:
    """Does ``fits(messages, window, max_completion_tokens)`` say whether prompt + reply fit the window?

    The prompt is counted with ``count_chat_tokens`` (framing included); the reply needs
    ``max_completion_tokens`` more; exactly full still fits.
    """
    import numpy as np

    from course_lib.tokens import count, count_chat_tokens, text_of

    if fits is None:
        return report(False, "", NOT_ANSWERED)
    if not callable(fits):
        return report(False, "", "Give a function: fits(messages, window, max_completion_tokens) -> True/False.")
    cases = _fit_cases()
    answers = []
    for _, messages, window, max_completion_tokens in cases:
        got, error = call_shown(fits, [dict(m) for m in messages], window, max_completion_tokens)
        if error:
            return report(False, "", error)
        if got is None:
            return report(False, "", "Not answered yet: fits() returned None. Write its body and "
                          "`return` True or False.")
        if not isinstance(got, bool | np.bool_):
            return report(False, "", f"Return True or False, not {type(got).__name__}.")
        answers.append(bool(got))

    def rule(fn: Any) -> list[bool]:
        return [fn(count_chat_tokens(m), sum(count(text_of(x["content"])) for x in m), w, r)
                for _, m, w, r in cases]

    expected = rule(lambda prompt, content, window, reply: prompt + reply <= window)
    if answers != expected:
        mistakes = [
            (lambda prompt, content, window, reply: prompt <= window,
             "The reply shares the window: add max_completion_tokens to the prompt's tokens."),
            (lambda prompt, content, window, reply: prompt + reply < window,
             "A window filled exactly still fits: use <=, not <."),
            (lambda prompt, content, window, reply: content + reply <= window,
             "Count the whole request with count_chat_tokens(messages): each message adds "
             "framing tokens besides its content."),
        ]
        hint = next((h for fn, h in mistakes if rule(fn) == answers),
                    "Two things share the window: the whole prompt (framing included) and "
                    "the reply you ask for. Compare what they need together with the window.")
        i = next(i for i, (a, e) in enumerate(zip(answers, expected, strict=True)) if a != e)
        what, messages, window, max_completion_tokens = cases[i]
        return report(False, "", f"On {what} ({count_chat_tokens(messages)} prompt tokens + "
                      f"{max_completion_tokens} for the reply, window {window}) you said {answers[i]}. {hint}")
    return report(True, "fits() gets every hidden case right, including a window filled exactly.", "")
