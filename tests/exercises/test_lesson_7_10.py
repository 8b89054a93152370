"""Lesson 7.10's checks: writing a conversation, trimming history to a token budget."""

import pytest

from course_lib.exercises import check_messages_array, check_trim_history
from course_lib.tokens import count_chat_tokens


def test_messages_array(verdict):
    good = [{"role": "system", "content": "You are kind."},
            {"role": "user", "content": "My name is Ada."},
            {"role": "assistant", "content": "Nice to meet you, Ada."},
            {"role": "user", "content": "What is my name?"}]
    verdict(check_messages_array(good), True)
    for bad in (None, good[1:], good[:3], [good[0], good[1], good[1], good[3]],
                [*good[:3], {"role": "user", "content": "Say it."}],
                [good[0], {"role": "human", "content": "hi"}, good[2], good[3]]):
        verdict(check_messages_array(bad), False)


def trim_right(messages, max_tokens):
    system = [m for m in messages if m["role"] == "system"]
    rest = [m for m in messages if m["role"] != "system"]
    kept = []
    for message in reversed(rest):
        if count_chat_tokens(system + [message, *kept]) > max_tokens:
            break
        kept.insert(0, message)
    return system + kept


def trim_from_user(messages, max_tokens):
    kept = trim_right(messages, max_tokens)
    first = sum(m["role"] == "system" for m in kept)
    while len(kept) > first and kept[first]["role"] == "assistant":
        kept.pop(first)
    return kept


def test_trim_history_accepts(verdict):
    verdict(check_trim_history(trim_right), True)
    verdict(check_trim_history(trim_from_user), True)


def trim_mutates(messages, max_tokens):
    while count_chat_tokens(messages) > max_tokens and len(messages) > 1:
        del messages[1]
    return messages


def trim_drops_system(messages, max_tokens):
    return [m for m in trim_right(messages, max_tokens) if m["role"] != "system"]


def trim_keeps_oldest(messages, max_tokens):
    kept = []
    for message in messages:
        if count_chat_tokens([*kept, message]) > max_tokens:
            break
        kept.append(message)
    return kept


def trim_by_count(messages, max_tokens):
    return messages[:1] + messages[-4:]


def trim_too_eager(messages, max_tokens):
    return trim_right(messages, max_tokens - 40)


def trim_content_only(messages, max_tokens):  # ignores framing, so it overshoots
    from course_lib.tokens import encoding

    enc = encoding("o200k_base")
    kept, used = [], len(enc.encode(messages[0]["content"]))
    for message in reversed(messages[1:]):
        used += len(enc.encode(message["content"]))
        if used > max_tokens:
            break
        kept.insert(0, message)
    return messages[:1] + kept


@pytest.mark.parametrize("trim", [None, trim_mutates, trim_drops_system, trim_keeps_oldest,
                                  trim_by_count, trim_too_eager, trim_content_only,
                                  lambda m, n: None])
def test_trim_history_rejects(verdict, trim):
    verdict(check_trim_history(trim), False)
