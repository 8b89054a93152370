"""Checks for lessons 7.4 (context window), 7.5 (temperature & sampling) and 7.6 (Q&A quiz).

Every check prints one line (✅ or ❌ with a hint), returns True/False and never raises on a
wrong answer. Hidden cases test properties, so any correct implementation passes.
"""

from __future__ import annotations

from typing import Any

from course_lib.exercises._report import NOT_ANSWERED, call, check_quiz, never_raises, report
from course_lib.quiz import Question, Quiz

# numpy (and course_lib.sampling, which needs it) is imported inside the checks that use it:
# `import course_lib.exercises` stays light.

__all__ = [
    "check_fits_window",
    "check_quiz_7_6",
    "check_softmax_with_temperature",
    "check_top_p_filter",
    "quiz_7_6",
]


def _call(fn: Any, *args: Any) -> tuple[Any, str | None]:
    """fn(*args), or the error message a student should see (naming the hidden case)."""
    shown = ", ".join(repr(a) if not isinstance(a, list) or len(a) < 6 else "[…]" for a in args)
    return call(fn, *args, shown=f"{getattr(fn, '__name__', 'your function')}({shown})")


# ---------------------------------------------------------------------------------------
# Lesson 7.4 — will the request fit the context window?


def _fit_cases() -> list[tuple[str, list[dict], int, int]]:
    """(what, messages, window, max_tokens) around the boundary, from count_chat_tokens."""
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
def check_fits_window(fits: Any) -> bool:
    """Does ``fits(messages, window, max_tokens)`` say whether prompt + reply fit the window?

    The prompt is counted with ``count_chat_tokens`` (framing included); the reply needs
    ``max_tokens`` more; exactly full still fits.
    """
    import numpy as np

    from course_lib.tokens import count, count_chat_tokens, text_of

    if fits is None:
        return report(False, "", NOT_ANSWERED)
    if not callable(fits):
        return report(False, "", "Give a function: fits(messages, window, max_tokens) -> True/False.")
    cases = _fit_cases()
    answers = []
    for _, messages, window, max_tokens in cases:
        got, error = _call(fits, [dict(m) for m in messages], window, max_tokens)
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
             "The reply shares the window: add max_tokens to the prompt's tokens."),
            (lambda prompt, content, window, reply: prompt + reply < window,
             "A window filled exactly still fits: use <=, not <."),
            (lambda prompt, content, window, reply: content + reply <= window,
             "Count the whole request with count_chat_tokens(messages): each message adds "
             "framing tokens besides its content."),
        ]
        hint = next((h for fn, h in mistakes if rule(fn) == answers),
                    "fits = count_chat_tokens(messages) + max_tokens <= window.")
        i = next(i for i, (a, e) in enumerate(zip(answers, expected, strict=True)) if a != e)
        what, messages, window, max_tokens = cases[i]
        return report(False, "", f"On {what} ({count_chat_tokens(messages)} prompt tokens + "
                      f"{max_tokens} for the reply, window {window}) you said {answers[i]}. {hint}")
    return report(True, "fits() gets every hidden case right, including a window filled exactly.", "")


# ---------------------------------------------------------------------------------------
# Lesson 7.5 — softmax with temperature, top-p


_SOFTMAX_CASES = [
    ([2.0, 1.0, 0.0], 1.0),
    ([2.0, 1.0, 0.0], 0.5),
    ([2.0, 1.0, 0.0], 2.0),
    ([-1.2, -0.4, -3.0, -2.2], 0.7),  # log-probabilities are negative
    ([5.0], 1.3),
    ([1000.0, 999.0, 990.0], 1.0),  # exp(1000) overflows unless you subtract the max
    ([0.3, 2.5, -1.0], 0.0),  # T = 0: greedy
]


@never_raises
def check_softmax_with_temperature(fn: Any) -> bool:
    """Does ``fn(logits, T)`` return softmax(logits / T) (and one-hot argmax for T = 0)?"""
    import numpy as np

    from course_lib.sampling import softmax_with_temperature as softmax

    if fn is None:
        return report(False, "", NOT_ANSWERED)
    if not callable(fn):
        return report(False, "", "Give a function: softmax_with_temperature(logits, T).")
    for logits, t in _SOFTMAX_CASES:
        z = np.array(logits)
        expected = softmax(z, t)
        got, error = _call(fn, list(logits), t)
        if error:
            hint = " T = 0 means greedy: put all probability on the largest logit." if t == 0 else ""
            return report(False, "", error + "." + hint)
        if got is None:
            return report(False, "", "Not answered yet: your function returned None. Finish it and "
                          "`return` the probabilities.")
        try:
            got = np.asarray(got, dtype=float).reshape(-1)
        except (TypeError, ValueError):
            return report(False, "", f"Return an array of probabilities, not {type(got).__name__}.")
        if got.shape != expected.shape:
            return report(False, "", f"For {len(logits)} logits return {len(logits)} probabilities, "
                          f"got {got.size}.")
        if np.allclose(got, expected, atol=1e-9):
            continue
        if not np.all(np.isfinite(got)):
            hint = "You got nan/inf: exp() overflowed. Subtract the largest logit before exp()."
        elif t == 0:
            hint = "T = 0 means greedy: probability 1 for the largest logit, 0 for the others."
        elif not np.isclose(got.sum(), 1):
            hint = f"Your probabilities add up to {got.sum():.3f}: divide by their sum."
        elif np.allclose(got, softmax(z, 1.0)):
            hint = "The temperature has no effect: divide the logits by T before exp()."
        elif np.allclose(got, softmax(z * t, 1.0)):
            hint = "You multiplied by T: DIVIDE the logits by T (small T must sharpen)."
        else:
            hint = "Compute exp((logits - max) / T) and divide by the sum."
        return report(False, "", f"softmax_with_temperature({logits}, {t}) gave {got.round(4)}, "
                      f"expected {expected.round(4)}. {hint}")
    return report(True, "softmax_with_temperature() matches on every hidden case, including "
                  "huge logits and T = 0.", "")


def _top_p_cases() -> list[tuple[list[float], float]]:
    import numpy as np

    rng = np.random.default_rng(7)
    logits = rng.normal(size=30) * 2
    random_probs = np.exp(logits) / np.exp(logits).sum()
    return [
        ([0.5, 0.3, 0.15, 0.05], 0.75),
        ([0.5, 0.3, 0.15, 0.05], 0.85),
        ([0.5, 0.3, 0.15, 0.05], 0.3),
        ([0.5, 0.3, 0.15, 0.05], 1.0),
        ([0.1, 0.6, 0.3], 0.7),  # not sorted: the answer must keep the input order
        (list(random_probs), 0.9),
    ]


@never_raises
def check_top_p_filter(fn: Any) -> bool:
    """Does ``fn(probs, p)`` keep the smallest most-likely set reaching ``p``, renormalised?"""
    import numpy as np

    from course_lib.sampling import top_p_filter

    if fn is None:
        return report(False, "", NOT_ANSWERED)
    if not callable(fn):
        return report(False, "", "Give a function: top_p_filter(probs, p).")
    for probs, p in _top_p_cases():
        expected = top_p_filter(probs, p)
        got, error = _call(fn, list(probs), p)
        if error:
            return report(False, "", error)
        if got is None:
            return report(False, "", "Not answered yet: your function returned None. Finish it and "
                          "`return` the filtered probabilities.")
        try:
            got = np.asarray(got, dtype=float).reshape(-1)
        except (TypeError, ValueError):
            return report(False, "", f"Return an array of probabilities, not {type(got).__name__}.")
        if got.shape != expected.shape:
            return report(False, "", f"Return one probability per token ({len(probs)}), got {got.size}.")
        if np.allclose(got, expected, atol=1e-9):
            continue
        shown = [round(x, 3) for x in probs] if len(probs) < 8 else f"[{len(probs)} probabilities]"
        n_got, n_exp = int((got > 1e-12).sum()), int((expected > 0).sum())
        if np.allclose(np.sort(got), np.sort(expected)) and n_got == n_exp:
            hint = "Right numbers, wrong places: return them in the ORDER of the input."
        elif n_got == n_exp and np.array_equal(got > 1e-12, expected > 0):
            hint = f"Right tokens kept, but they add up to {got.sum():.3f}: renormalise (divide by the sum)."
        elif n_got == n_exp - 1:
            hint = "One token too few: keep the token whose probability makes the running total REACH p."
        elif n_got > n_exp:
            hint = "Too many tokens kept: stop at the first token where the running total reaches p."
        else:
            hint = "Sort by probability (largest first), keep tokens until the running total reaches p."
        return report(False, "", f"top_p_filter({shown}, {p}) kept {n_got} tokens, expected {n_exp}. {hint}")
    return report(True, "top_p_filter() keeps exactly the right tokens, renormalised, on every "
                  "hidden case.", "")


# ---------------------------------------------------------------------------------------
# Lesson 7.6 — the quiz


def quiz_7_6() -> Quiz:
    """The end-of-section quiz (lesson 7.6)."""
    return Quiz(
        [
            Question(
                "You send the same prompt twice (temperature 1, no seed) and get two different "
                "answers. Why?",
                ["The model learned from your first request",
                 "Each token is sampled from a probability distribution; different picks early "
                 "on lead to different text",
                 "The server was overloaded the second time",
                 "The context window was full"],
                1,
                "generation samples one token at a time; an early different pick changes "
                "everything after it (lesson 7.5).",
            ),
            Question(
                "Which request makes repeated answers most alike?",
                ["temperature=1.5", "top_p=1.0", "temperature=0 (and a fixed seed)",
                 "a larger max_tokens"],
                2,
                "temperature 0 always picks the most likely token; a seed fixes the random "
                "draws. Real providers promise only best-effort determinism.",
            ),
            Question(
                "Why can a model state something false, fluently and confidently?",
                ["It is programmed to persuade",
                 "It writes likely-looking next tokens; nothing in that loop checks facts, and "
                 "'I don't know' comes out only when training made it likely",
                 "Its temperature was too low",
                 "Its context window was too small"],
                1,
                "fluency comes from patterns in the training data, not from a lookup of "
                "facts (lessons 7.2 and 7.6).",
            ),
            Question(
                "You tell a model your name in one request. A second request without the "
                "earlier messages does not know it. Why?",
                ["The API is stateless: the model sees only the messages in this request",
                 "Names are filtered out for privacy",
                 "The seed changed between the requests",
                 "The model's training was updated in between"],
                0,
                "memory in a chat app is the app re-sending the history (lesson 7.10).",
            ),
            Question(
                "A chat's history plus the reply no longer fit the model's context window. "
                "What does the API do?",
                ["Silently drops the oldest messages",
                 "Switches to a model with a larger window",
                 "Rejects the request with 400 context_length_exceeded: you must trim, "
                 "summarise or retrieve",
                 "Charges double and answers anyway"],
                2,
                "the request is refused (and not billed); trimming is your job (lesson 7.4).",
            ),
            Question(
                "A reasoning model answers temperature=0.2 with 400 unsupported_value. "
                "What should your code do?",
                ["Retry with exponential backoff",
                 "Send temperature=0 instead",
                 "Leave temperature out (or pick a model whose row in the model table accepts it)",
                 "Add a seed"],
                2,
                "a 400 is your request's fault: retrying repeats it. Newer reasoning models "
                "accept only the default temperature (lesson 7.5).",
            ),
        ],
        title="Quiz: LLM fundamentals (lessons 7.0–7.6)",
    )


@never_raises
def check_quiz_7_6(answers: Any) -> bool:
    """Grade the lesson 7.6 quiz: one option letter ("b") or index (1) per question."""
    return check_quiz(quiz_7_6(), answers)
