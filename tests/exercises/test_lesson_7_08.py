"""Lesson 7.8's checks: a first call from either provider, a key described without its secret."""

import re

import pytest

from course_lib.exercises import check_describe_key, check_first_call
from course_lib.setup_check import describe_key


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


def test_first_call_accepts_either_provider(verdict):
    verdict(check_first_call(chat_completion("Packets fly at dawn")), True)
    verdict(check_first_call(anthropic_message("Packets fly at dawn")), True)


@pytest.mark.parametrize("answer", [None, "Packets fly", 42, chat_completion("   ")])
def test_first_call_rejects(verdict, answer):
    verdict(check_first_call(answer), False)


def test_describe_key_accepts_safe_descriptions(verdict):
    verdict(check_describe_key(describe_key), True)
    verdict(check_describe_key(lambda key: f"{key[:4]}… ({len(key)} chars)"), True)


def _public_prefix(key):
    return re.match(r"sk-(?:ant-api\d\d-|proj-|svcacct-)?|", key).group()


def test_describe_key_allows_the_full_public_prefix(verdict):
    # Anthropic keys all start sk-ant-api03-: showing that reveals nothing secret.
    def describe(key):
        return f"{_public_prefix(key)}… ({len(key)} characters)"

    assert describe("sk-" + "ant-api03-" + "a" * 8) == "sk-" + "ant-api03-… (21 characters)"
    verdict(check_describe_key(describe), True)


def test_describe_key_rejects_the_start_of_the_secret_after_the_prefix(verdict):
    def describe(key):
        shown = len(_public_prefix(key)) + 5
        return f"{key[:shown]}… ({len(key)} characters)"

    assert "secret" in verdict(check_describe_key(describe), False)


@pytest.mark.parametrize("describe", [
    None,
    lambda key: key,  # the whole key
    lambda key: f"…{key[-6:]} ({len(key)})",  # the end of the key
    lambda key: "a key",  # no length
    lambda key: 1 / 0,
])
def test_describe_key_rejects(verdict, describe):
    verdict(check_describe_key(describe), False)
