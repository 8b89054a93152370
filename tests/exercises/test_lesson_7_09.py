"""Lesson 7.9's checks: predicting prompt tokens, reading a raw Chat Completions body."""

import pytest

from course_lib.exercises import check_prompt_tokens, check_read_completion
from course_lib.tokens import count_chat_tokens


MESSAGES = [{"role": "system", "content": "Be brief."},
            {"role": "user", "content": "What is HTTP?"}]


def test_prompt_tokens(verdict):
    right = count_chat_tokens(MESSAGES)
    verdict(check_prompt_tokens(right, MESSAGES), True)
    verdict(check_prompt_tokens(right + 2, MESSAGES, actual=right + 2), True)  # a provider's own count
    assert "prime the reply" in verdict(check_prompt_tokens(right - 3, MESSAGES), False)
    assert "per message" in verdict(check_prompt_tokens(right - 6, MESSAGES), False)
    assert "Not answered" in verdict(check_prompt_tokens(None, MESSAGES), False)
    verdict(check_prompt_tokens(3.5, MESSAGES), False)


@pytest.mark.parametrize("off", [-9, -3, -1, 1, 2, 40])
def test_prompt_tokens_never_tells_the_right_count(verdict, off):
    right = count_chat_tokens(MESSAGES)
    out = verdict(check_prompt_tokens(right + off, MESSAGES), False)
    assert str(right) not in out.replace(str(right + off), ""), out
    assert ("too high" if off > 0 else "too low") in out


def read_right(body):
    choice = next(c for c in body["choices"] if c["index"] == 0)
    usage = body["usage"]
    return choice["message"]["content"], usage["prompt_tokens"], usage["completion_tokens"]


def test_read_completion(verdict):
    verdict(check_read_completion(read_right), True)
    verdict(check_read_completion(lambda b: (b["choices"][0]["message"]["content"] or "",
                                             b["usage"]["prompt_tokens"],
                                             b["usage"]["completion_tokens"])), True)


@pytest.mark.parametrize("read", [
    None,
    lambda b: (b["choices"][-1]["message"]["content"], b["usage"]["prompt_tokens"],
               b["usage"]["completion_tokens"]),  # last choice, not the first
    lambda b: (b["choices"][0]["message"]["content"].strip(), 0, 0),  # crashes on null content
    lambda b: (b["choices"][0]["message"]["content"], b["usage"]["total_tokens"], 0),
    lambda b: b["choices"][0]["message"]["content"],
])
def test_read_completion_rejects(verdict, read):
    verdict(check_read_completion(read), False)
