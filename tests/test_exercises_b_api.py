"""Checks for lessons 7.7-7.10: each accepts correct answers and rejects wrong ones with a hint."""

import re

import pytest

from course_lib.exercises import (
    API_QUIZ,
    check_api_quiz,
    check_describe_key,
    check_first_call,
    check_messages_array,
    check_prompt_tokens,
    check_read_completion,
    check_trim_history,
)
from course_lib.setup_check import describe_key
from course_lib.tokens import count_chat_tokens


def verdict(capsys, ok):
    out = capsys.readouterr().out
    assert out.startswith("✅" if ok else ("❌", "⬜")), out
    return out


# ---------------------------------------------------------------------------------------
# 7.7


def test_api_quiz(capsys):
    assert check_api_quiz(API_QUIZ.solution)
    assert "3/3" in capsys.readouterr().out
    assert not check_api_quiz(["a", "a", "a"])
    assert not check_api_quiz(None)
    verdict(capsys, False)


# ---------------------------------------------------------------------------------------
# 7.8


def chat_completion(content):
    from openai.types.chat import ChatCompletion

    return ChatCompletion.model_validate({
        "id": "chatcmpl-x", "object": "chat.completion", "created": 0, "model": "m",
        "choices": [{"index": 0, "finish_reason": "stop",
                     "message": {"role": "assistant", "content": content}}]})


def anthropic_message(text):
    from anthropic.types import Message

    return Message.model_validate({
        "id": "msg_x", "type": "message", "role": "assistant", "model": "m",
        "content": [{"type": "text", "text": text}], "stop_reason": "end_turn",
        "stop_sequence": None, "usage": {"input_tokens": 3, "output_tokens": 2}})


def test_first_call_accepts_either_provider(capsys):
    assert check_first_call(chat_completion("Packets fly at dawn"))
    verdict(capsys, True)
    assert check_first_call(anthropic_message("Packets fly at dawn"))
    verdict(capsys, True)


@pytest.mark.parametrize("answer", [None, "Packets fly", 42, chat_completion("   ")])
def test_first_call_rejects(capsys, answer):
    assert not check_first_call(answer)
    verdict(capsys, False)


def test_describe_key_accepts_safe_descriptions(capsys):
    assert check_describe_key(describe_key)
    verdict(capsys, True)
    assert check_describe_key(lambda key: f"{key[:4]}… ({len(key)} chars)")
    verdict(capsys, True)


def _public_prefix(key):
    return re.match(r"sk-(?:ant-api\d\d-|proj-|svcacct-)?|", key).group()


def test_describe_key_allows_the_full_public_prefix(capsys):
    # Anthropic keys all start sk-ant-api03-: showing that reveals nothing secret.
    def describe(key):
        return f"{_public_prefix(key)}… ({len(key)} characters)"

    assert describe("sk-" + "ant-api03-" + "a" * 8) == "sk-" + "ant-api03-… (21 characters)"
    assert check_describe_key(describe)
    verdict(capsys, True)


def test_describe_key_rejects_the_start_of_the_secret_after_the_prefix(capsys):
    def describe(key):
        shown = len(_public_prefix(key)) + 5
        return f"{key[:shown]}… ({len(key)} characters)"

    assert not check_describe_key(describe)
    assert "secret" in verdict(capsys, False)


@pytest.mark.parametrize("describe", [
    None,
    lambda key: key,  # the whole key
    lambda key: f"…{key[-6:]} ({len(key)})",  # the end of the key
    lambda key: "a key",  # no length
    lambda key: 1 / 0,
])
def test_describe_key_rejects(capsys, describe):
    assert not check_describe_key(describe)
    verdict(capsys, False)


# ---------------------------------------------------------------------------------------
# 7.9

MESSAGES = [{"role": "system", "content": "Be brief."},
            {"role": "user", "content": "What is HTTP?"}]


def test_prompt_tokens(capsys):
    right = count_chat_tokens(MESSAGES)
    assert check_prompt_tokens(right, MESSAGES)
    verdict(capsys, True)
    assert check_prompt_tokens(right + 2, MESSAGES, actual=right + 2)  # a provider's own count
    verdict(capsys, True)
    assert not check_prompt_tokens(right - 3, MESSAGES)
    assert "prime the reply" in verdict(capsys, False)
    assert not check_prompt_tokens(right - 6, MESSAGES)
    assert "per message" in verdict(capsys, False)
    assert not check_prompt_tokens(None, MESSAGES)
    assert not check_prompt_tokens(3.5, MESSAGES)
    verdict(capsys, False)


def read_right(body):
    choice = next(c for c in body["choices"] if c["index"] == 0)
    usage = body["usage"]
    return choice["message"]["content"], usage["prompt_tokens"], usage["completion_tokens"]


def test_read_completion(capsys):
    assert check_read_completion(read_right)
    verdict(capsys, True)
    assert check_read_completion(lambda b: (b["choices"][0]["message"]["content"] or "",
                                            b["usage"]["prompt_tokens"], b["usage"]["completion_tokens"]))
    verdict(capsys, True)


@pytest.mark.parametrize("read", [
    None,
    lambda b: (b["choices"][-1]["message"]["content"], b["usage"]["prompt_tokens"],
               b["usage"]["completion_tokens"]),  # last choice, not the first
    lambda b: (b["choices"][0]["message"]["content"].strip(), 0, 0),  # crashes on null content
    lambda b: (b["choices"][0]["message"]["content"], b["usage"]["total_tokens"], 0),
    lambda b: b["choices"][0]["message"]["content"],
])
def test_read_completion_rejects(capsys, read):
    assert not check_read_completion(read)
    verdict(capsys, False)


# ---------------------------------------------------------------------------------------
# 7.10


def test_messages_array(capsys):
    good = [{"role": "system", "content": "You are kind."},
            {"role": "user", "content": "My name is Ada."},
            {"role": "assistant", "content": "Nice to meet you, Ada."},
            {"role": "user", "content": "What is my name?"}]
    assert check_messages_array(good)
    verdict(capsys, True)
    for bad in (None, good[1:], good[:3], [good[0], good[1], good[1], good[3]],
                [*good[:3], {"role": "user", "content": "Say it."}],
                [good[0], {"role": "human", "content": "hi"}, good[2], good[3]]):
        assert not check_messages_array(bad)
        verdict(capsys, False)


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


def test_trim_history_accepts(capsys):
    assert check_trim_history(trim_right)
    verdict(capsys, True)
    assert check_trim_history(trim_from_user)
    verdict(capsys, True)


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
def test_trim_history_rejects(capsys, trim):
    assert not check_trim_history(trim)
    verdict(capsys, False)
