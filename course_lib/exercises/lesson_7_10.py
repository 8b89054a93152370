"""Lesson 7.10 — The messages array: writing a conversation, trimming it to a token budget.

    >>> verdict = check_messages_array([{"role": "user", "content": "What is my name?"}])
    ❌ NOT YET: Four messages at least: system, user, assistant, user.
"""

from __future__ import annotations

import copy
import itertools
from typing import Any

from course_lib.exercises._report import NOT_ANSWERED, Verdict, call, never_raises, report

__all__ = ["check_messages_array", "check_trim_history"]


@never_raises
def check_messages_array(messages: Any) -> Verdict:
    """A conversation to send: system first, then user/assistant turns, ending with a user turn
    whose question needs something said in an earlier user turn."""
    if messages is None:
        return report(False, "", NOT_ANSWERED)
    if not isinstance(messages, list) or not all(isinstance(m, dict) for m in messages):
        return report(False, "", "messages is a list of dicts like {'role': 'user', 'content': '...'}.")
    for m in messages:
        if set(m) - {"role", "content", "name"} or "role" not in m or "content" not in m:
            return report(False, "", f"Each message needs 'role' and 'content' (and nothing else); got keys {sorted(m)}.")
        if not isinstance(m["content"], str) or not m["content"].strip():
            return report(False, "", "Every message needs some text in 'content'.")
    roles = [m["role"] for m in messages]
    if len(roles) < 4:
        return report(False, "", "Four messages at least: system, user, assistant, user.")
    if roles[0] != "system" or "system" in roles[1:]:
        return report(False, "", "Start with one 'system' message (instructions), and only one.")
    turns = roles[1:]
    if any(r not in ("user", "assistant") for r in turns):
        return report(False, "", f"After the system message, use roles 'user' and 'assistant' only; got {turns}.")
    if turns[0] != "user" or any(a == b for a, b in itertools.pairwise(turns)):
        return report(False, "", f"Turns alternate user, assistant, user, ...; got {turns}.")
    if turns[-1] != "user":
        return report(False, "", "End with a 'user' message: the model answers the last user turn.")
    if "?" not in messages[-1]["content"]:
        return report(False, "", "The last user message should ask a question (with a '?').")
    return report(True, f"{len(messages)} messages: system, then {len(turns)} alternating turns "
                  "ending with the user's question. This is the whole memory the model gets.", "")


def _conversation(turns: int, system: bool = True, seed: int = 0) -> list[dict]:
    topics = ["tokens", "caching", "streaming", "retries", "tools", "prices", "limits", "seeds"]
    messages = [{"role": "system", "content": "You are a concise tutor for an API course."}] if system else []
    for t in range(turns):
        topic = topics[(t + seed) % len(topics)]
        messages.append({"role": "user", "content": f"Question {t + 1}: explain {topic} "
                         + "in detail, please. " * ((t + seed) % 3)})
        messages.append({"role": "assistant", "content": f"Answer {t + 1}: {topic} matter because "
                         + "each one is counted and billed. " * (1 + (t * 7 + seed) % 4)})
    return messages


def _trim_cases() -> list[tuple[str, list[dict], int]]:
    from course_lib.tokens import count_chat_tokens

    long = _conversation(10)
    no_system = _conversation(6, system=False, seed=3)
    odd = _conversation(5, seed=1)[:-1]  # ends with a user turn, as just before a call
    return [
        ("a 10-turn chat with half the budget", long, count_chat_tokens(long) // 2),
        ("a budget the whole chat fits in", long, count_chat_tokens(long) + 50),
        ("a chat with no system message", no_system, count_chat_tokens(no_system) // 3),
        ("a chat ending with the user's new question", odd, count_chat_tokens(odd) * 2 // 5),
        ("a budget for the system message and the last message only", long,
         count_chat_tokens([long[0], long[-1]]) + 1),
        ("a budget smaller than the system message and the last message", long,
         count_chat_tokens([long[0]]) + 2),
    ]


def _allowed(messages: list[dict], budget: int) -> list[list[dict]]:
    """Correct answers: the longest suffix that fits, or that suffix cut to start at a user turn."""
    from course_lib.tokens import count_chat_tokens

    system = [m for m in messages if m["role"] == "system"]
    rest = [m for m in messages if m["role"] != "system"]
    k = 0
    while k < len(rest) and count_chat_tokens(system + rest[len(rest) - k - 1:]) <= budget:
        k += 1
    kept = rest[len(rest) - k:] if k else []
    answers = [system + kept]
    while kept and kept[0]["role"] != "user":
        kept = kept[1:]
    return [*answers, system + kept]


@never_raises
def check_trim_history(trim: Any) -> Verdict:
    """Does ``trim(messages, max_tokens)`` keep the system message and the newest turns that fit?

    Checked on hidden chats with ``count_chat_tokens``: the result must fit, keep the system
    message first, keep a contiguous run of the newest messages in order (dropping whole
    messages only), keep as many as fit, and leave the input list unchanged. Starting the kept
    run at a user message (dropping one more assistant reply) is accepted too.
    """
    from course_lib.tokens import count_chat_tokens

    if trim is None:
        return report(False, "", NOT_ANSWERED)
    if not callable(trim):
        return report(False, "", "Pass a function: trim_history(messages, max_tokens) -> list.")
    cases = _trim_cases()
    for what, messages, budget in cases:
        given = copy.deepcopy(messages)
        got, problem = call(trim, given, budget)
        if problem:
            return report(False, "", f"On {what}, {problem}")
        if given != messages:
            return report(False, "", f"On {what}: your function changed the list it was given. "
                          "Build a new list (e.g. with slicing) instead of deleting from `messages`.")
        if not isinstance(got, list):
            return report(False, "", f"Return a list of messages, not {type(got).__name__}.")
        allowed = _allowed(messages, budget)
        if got in allowed:
            continue
        system = [m for m in messages if m["role"] == "system"]
        if system and (not got or got[0] != system[0]):
            hint = "The system message must stay, at the front: it holds the instructions."
        elif got and count_chat_tokens(got) > budget:
            hint = (f"It does not fit: {count_chat_tokens(got)} tokens > {budget}. Measure with "
                    "count_chat_tokens(kept), framing included.")
        elif any(m not in messages for m in got):
            hint = "Keep messages whole: drop complete messages, never edit their text."
        elif len(got) < len(allowed[0]):
            hint = ("You dropped more than needed: keep adding messages, newest first, while "
                    "count_chat_tokens(...) <= max_tokens.")
        else:
            hint = "Keep the NEWEST messages, in their original order (drop from the oldest end)."
        return report(False, "", f"On {what}: {hint}")
    return report(True, f"trim_history is right on all {len(cases)} hidden chats.", "")
