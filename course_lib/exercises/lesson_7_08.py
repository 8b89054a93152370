"""Lesson 7.8 — OpenAI setup: a first call, and describing a key without revealing it.

    >>> verdict = check_first_call("Packets fly at dawn")
    ❌ NOT YET: That is a string. Store the whole object that create() returns (response = client.chat.completions.create(...)), not its text.
"""

from __future__ import annotations

import re
from typing import Any

from course_lib.exercises._replies import reply_text
from course_lib.exercises._report import NOT_ANSWERED, Verdict, call, never_raises, report

__all__ = ["check_describe_key", "check_first_call"]


@never_raises
def check_first_call(response: Any) -> Verdict:
    """Is ``response`` a chat response (OpenAI or Anthropic) with some assistant text?"""
    if response is None:
        return report(False, "", NOT_ANSWERED)
    if isinstance(response, str):
        return report(False, "", "That is a string. Store the whole object that create() returns "
                      "(response = client.chat.completions.create(...)), not its text.")
    text = reply_text(response)
    if text is None:
        return report(False, "", f"A {type(response).__name__} is not a chat response: call "
                      "client.chat.completions.create(model=..., messages=[...]).")
    if not text.strip():
        return report(False, "", "The reply has no text: ask a question the model can answer "
                      "in words (and don't set max_completion_tokens too low).")
    words = len(text.split())
    return report(True, f"Your first call worked: {words} words came back.", "")


def _hidden_keys() -> list[tuple[str, str]]:
    """(public prefix, key) pairs, built here so no file holds a key-shaped string.

    The prefix is everything a description may show: the kind of key and its version
    (``sk-ant-api03-``), which every key of that kind shares.
    """
    body = "Zq8" + "xT4mLw9RbN2vKe7HjP5cYa3GdF6sU1oI0nM" * 4
    return [("sk-proj-", "sk-" + "proj-" + body), ("sk-", "sk-" + body[:48]),
            ("sk-ant-api03-", "sk-" + "ant-api03-" + body[:90]), ("", body[:40])]


@never_raises
def check_describe_key(describe: Any) -> Verdict:
    """Does ``describe(key) -> str`` tell the key's length without revealing its secret part?

    Allowed to show: the public prefix (sk-, sk-proj-, sk-ant-api03-...) and the length.
    Rejected: any run of 5 or more characters from the rest of the key (even at its end).
    """
    if describe is None:
        return report(False, "", NOT_ANSWERED)
    if not callable(describe):
        return report(False, "", "Pass a function: describe(key) -> str.")
    for prefix, key in _hidden_keys():
        text, problem = call(describe, key)
        if problem:
            return report(False, "", f"On a hidden key, {problem}")
        if not isinstance(text, str):
            return report(False, "", f"Return a string, not {type(text).__name__}.")
        secret = key[len(prefix):]
        leaks = [secret[i:i + 5] for i in range(len(secret) - 4) if secret[i:i + 5] in text]
        if leaks:
            where = "end" if secret.endswith(leaks[-1]) else "middle"
            return report(False, "", f"Your text shows {len(leaks) + 4}+ characters of the secret "
                          f"part (from its {where}). Show only the prefix (e.g. 'sk-proj-') and the "
                          "length: even the last few characters help an attacker confirm a guess.")
        if str(len(key)) not in re.findall(r"\d+", text):
            return report(False, "", f"Include the length ({len(key)} for one hidden key) so a "
                          "truncated copy can be spotted: str(len(key)).")
    return report(True, "Your description tells the length and never the secret.", "")
