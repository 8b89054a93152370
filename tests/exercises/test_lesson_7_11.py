"""Lesson 7.11's checks: several alternatives in one response, a whole reply's probability."""

import math

from course_lib.exercises import check_reply_probability, check_three_alternatives


def completion(texts, logprobs=None):
    from openai.types.chat import ChatCompletion

    choices = []
    for i, text in enumerate(texts):
        lp = None
        if logprobs is not None:
            lp = {"content": [{"token": t, "logprob": v, "bytes": None, "top_logprobs": []}
                              for t, v in logprobs], "refusal": None}
        choices.append({"index": i, "finish_reason": "length", "logprobs": lp,
                        "message": {"role": "assistant", "content": text}})
    return ChatCompletion.model_validate({"id": "c", "object": "chat.completion", "created": 0,
                                          "model": "m", "choices": choices})


def test_three_alternatives(verdict):
    assert "Not answered" in verdict(check_three_alternatives(None), False)
    verdict(check_three_alternatives("some text"), False)
    assert "`n`" in verdict(check_three_alternatives(completion(["one"])), False)
    long = "word " * 30
    out = verdict(check_three_alternatives(completion(["a cat", "a dog", long])), False)
    assert "max_completion_tokens" in out
    verdict(check_three_alternatives(completion(["same", "same", "same"])), False)
    verdict(check_three_alternatives(completion(["a", "", "b"])), False)
    verdict(check_three_alternatives(completion(["a cat", "a dog", "a bird"])), True)
    # a list of three one-choice responses, or of Anthropic messages, is fine too
    verdict(check_three_alternatives([completion([t]) for t in ("x", "y", "z")]), True)
    messages = [{"content": [{"type": "text", "text": t}], "usage": {"output_tokens": 3}}
                for t in ("x", "y", "z")]
    verdict(check_three_alternatives(messages), True)


def test_reply_probability(verdict):
    tokens = [("The", -0.1), (" cat", -1.2), (" sat", -0.7)]
    response = completion(["The cat sat"], tokens)
    total = sum(v for _, v in tokens)
    verdict(check_reply_probability(None, response), False)
    assert "logprobs=True" in verdict(check_reply_probability(0.5, completion(["The cat sat"])),
                                      False)
    assert "exponentiate" in verdict(check_reply_probability(total, response), False)
    verdict(check_reply_probability(math.exp(total / 3), response), False)
    verdict(check_reply_probability(sum(math.exp(v) for _, v in tokens), response), False)
    verdict(check_reply_probability("0.1", response), False)
    verdict(check_reply_probability(math.exp(total), response), True)


def test_reply_probability_hints_never_give_the_number_or_the_code(verdict):
    tokens = [("The", -0.1), (" cat", -1.2), (" sat", -0.7)]
    response = completion(["The cat sat"], tokens)
    right = math.exp(sum(v for _, v in tokens))
    for wrong in (0.5, 123.0, sum(v for _, v in tokens), math.exp(-2.0 / 3)):
        out = verdict(check_reply_probability(wrong, response), False)
        assert f"{right:.3g}" not in out and "math.exp(" not in out, out
