"""Lesson 7.26 — KV caching under the hood: the KV-cache formula, and a prompt layout that keeps the prefix stable.

    >>> verdict = check_kv_cache_bytes(None)
    ❌ NOT YET: Not answered yet: replace the None in the cell above with your answer, then re-run.
    >>> verdict = check_stable_layout(None)
    ❌ NOT YET: Not answered yet: replace the None in the cell above with your answer, then re-run.
"""

from __future__ import annotations

import numbers
from typing import Any

from course_lib.exercises._report import NOT_ANSWERED, Verdict, call_shown, never_raises, report
from course_lib.kv_cache import LLAMA_2_7B, LLAMA_3_8B, KVConfig, kv_cache_bytes

__all__ = ["check_kv_cache_bytes", "check_stable_layout"]

# (config, tokens, bytes_per_element): with and without GQA, fp16 and fp8, short and long.
_KV_CASES = [
    (LLAMA_2_7B, 4096, 2),
    (LLAMA_3_8B, 8192, 2),
    (LLAMA_3_8B, 131_072, 1),
    (KVConfig("a small GQA model", layers=4, heads=8, kv_heads=2, head_dim=16, source="test"), 10, 2),
]


@never_raises
def check_kv_cache_bytes(kv_bytes: Any) -> Verdict:
    """Does ``kv_bytes(config, tokens, bytes_per_element)`` give the KV cache's size in bytes?"""
    if kv_bytes is None:
        return report(False, "", NOT_ANSWERED)
    if not callable(kv_bytes):
        return report(False, "", "Give a function: kv_bytes(config, tokens, bytes_per_element) -> bytes.")
    for config, tokens, width in _KV_CASES:
        got, error = call_shown(kv_bytes, config, tokens, width)
        if error:
            return report(False, "", error)
        if got is None:
            return report(False, "", "Not answered yet: kv_bytes() returned None. Write its body "
                          "and `return` the number of bytes.")
        if isinstance(got, bool) or not isinstance(got, numbers.Real):
            return report(False, "", f"Return a number of bytes, not {type(got).__name__}.")
        got = int(got) if float(got).is_integer() else float(got)
        want = kv_cache_bytes(config, tokens, bytes_per_element=width)
        if got == want:
            continue
        where = f"For {config.name} ({tokens:,} tokens, {width} byte(s) per element) you got {got:,}"
        base = config.layers * config.kv_heads * config.head_dim * width * tokens
        if got == want // 2:
            hint = "half the answer: every layer stores two vectors per token, a key and a value."
        elif got == 2 * config.layers * config.heads * config.head_dim * width * tokens:
            hint = ("that counts every query head; with grouped-query attention only "
                    "config.kv_heads heads store K and V.")
        elif got == want * 8 or got == base * 16 or got == base * 8:
            hint = "that looks like bits: the formula counts bytes per element (2 for fp16)."
        elif got == want // tokens:
            hint = "that is one token's worth: multiply by the number of tokens."
        else:
            hint = ("multiply 2 (K and V) x layers x KV heads x head_dim x bytes per element "
                    "x tokens.")
        return report(False, "", f"{where}, not {want:,}: {hint}")
    return report(True, f"kv_bytes() is right on every hidden configuration, GQA and fp8 included "
                  f"(Llama-2-7B at 4,096 tokens: {kv_cache_bytes(LLAMA_2_7B, 4096) / 2**30:.0f} GiB).", "")


# ---------------------------------------------------------------------------------------

_DOCUMENT = ("Reference: the warehouse opens at 07:00 and closes at 19:00. Returns are accepted "
             "for 30 days with a receipt. " * 40).strip()
_CALLS = [("When does the warehouse open?", "2026-12-03 09:14:07"),
          ("How long are returns accepted?", "2026-12-03 09:15:52")]


def _layout(messages: list[dict]) -> list[int]:
    """The tokens a prompt starts with, message by message (role, then content)."""
    from course_lib.tokens import encoding, text_of

    enc = encoding("o200k_base")
    tokens: list[int] = []
    for message in messages:
        tokens += enc.encode_ordinary(f"<{message.get('role')}>") + enc.encode_ordinary(text_of(message.get("content")))
    return tokens


def _shared(a: list[int], b: list[int]) -> int:
    n = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        n += 1
    return n


@never_raises
def check_stable_layout(build_messages: Any) -> Verdict:
    """Does ``build_messages(document, question, now)`` keep everything that changes after the document?"""
    from course_lib.prompt_cache import openai_cached_tokens
    from course_lib.tokens import count, text_of

    if build_messages is None:
        return report(False, "", NOT_ANSWERED)
    if not callable(build_messages):
        return report(False, "", "Give a function: build_messages(document, question, now) -> messages.")
    prompts = []
    for question, now in _CALLS:
        messages, error = call_shown(build_messages, _DOCUMENT, question, now)
        if error:
            return report(False, "", error)
        if messages is None:
            return report(False, "", "Not answered yet: build_messages() returned None. Build the "
                          "list of messages and `return` it.")
        if not isinstance(messages, list) or not all(isinstance(m, dict) and "role" in m and "content" in m
                                                      for m in messages):
            return report(False, "", "Return a list of messages: dicts with a 'role' and a 'content'.")
        text = "\n".join(text_of(m["content"]) for m in messages)
        for what, part in (("the document", _DOCUMENT), ("the question", question), ("the time", now)):
            if part not in text:
                return report(False, "", f"{what.capitalize()} is missing from the messages: the "
                              "model still needs all three; only their order should change.")
        if messages[-1]["role"] != "user":
            return report(False, "", "End with the user's message: that is what the model answers.")
        prompts.append((messages, text))
    shared = _shared(_layout(prompts[0][0]), _layout(prompts[1][0]))
    needed = count(_DOCUMENT)
    if shared < needed:
        first_text = prompts[0][1]
        early = [what for what, part in (("the time", _CALLS[0][1]), ("the question", _CALLS[0][0]))
                 if first_text.index(part) < first_text.index(_DOCUMENT)]
        hint = (f"{' and '.join(early)} comes before the document, so two requests differ from "
                "there on and the cache misses everything after it." if early else
                "two requests differ before the document ends; put what changes after it.")
        return report(False, "", f"Two calls share only {shared:,} leading tokens, fewer than the "
                      f"document's {needed:,}: {hint}")
    return report(True, f"Two calls share {shared:,} leading tokens (the whole document); by "
                  f"OpenAI's rule about {openai_cached_tokens(shared):,} of them can be read from "
                  "the cache on the second call.", "")
