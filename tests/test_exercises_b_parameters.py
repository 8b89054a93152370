"""Checks of lessons 7.11-7.13: each rejects wrong answers and accepts the lesson's solution."""

import json
import math

import pytest

from course_lib.exercises import (
    OPENAI_QA_QUIZ,
    check_join_tool_calls,
    check_openai_qa_quiz,
    check_reassemble_stream,
    check_reply_probability,
    check_three_alternatives,
)


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


# ---------------------------------------------------------------------------------------
# 7.11


def test_three_alternatives(capsys):
    assert not check_three_alternatives(None)
    assert "Not answered" in capsys.readouterr().out
    assert not check_three_alternatives("some text")
    assert not check_three_alternatives(completion(["one"]))
    assert "`n`" in capsys.readouterr().out
    long = "word " * 30
    assert not check_three_alternatives(completion(["a cat", "a dog", long]))
    assert "max_completion_tokens" in capsys.readouterr().out
    assert not check_three_alternatives(completion(["same", "same", "same"]))
    assert not check_three_alternatives(completion(["a", "", "b"]))
    assert check_three_alternatives(completion(["a cat", "a dog", "a bird"]))
    # a list of three one-choice responses, or of Anthropic messages, is fine too
    assert check_three_alternatives([completion([t]) for t in ("x", "y", "z")])
    messages = [{"content": [{"type": "text", "text": t}], "usage": {"output_tokens": 3}}
                for t in ("x", "y", "z")]
    assert check_three_alternatives(messages)


def test_reply_probability(capsys):
    tokens = [("The", -0.1), (" cat", -1.2), (" sat", -0.7)]
    response = completion(["The cat sat"], tokens)
    total = sum(v for _, v in tokens)
    assert not check_reply_probability(None, response)
    assert not check_reply_probability(0.5, completion(["The cat sat"]))
    assert "logprobs=True" in capsys.readouterr().out
    assert not check_reply_probability(total, response)
    assert "exponentiate" in capsys.readouterr().out
    assert not check_reply_probability(math.exp(total / 3), response)
    assert not check_reply_probability(sum(math.exp(v) for _, v in tokens), response)
    assert not check_reply_probability("0.1", response)
    assert check_reply_probability(math.exp(total), response)


# ---------------------------------------------------------------------------------------
# 7.12


def reassemble(chunks):  # the lesson's solution
    text, finish = "", None
    for chunk in chunks:
        if not chunk.choices:
            continue
        choice = chunk.choices[0]
        text += choice.delta.content or ""
        finish = choice.finish_reason or finish
    return text, finish


def test_reassemble_stream(capsys):
    assert not check_reassemble_stream(None)
    assert not check_reassemble_stream("not a function")

    def naive(chunks):
        return "".join(c.choices[0].delta.content for c in chunks), chunks[-1].choices[0].finish_reason

    assert not check_reassemble_stream(naive)
    assert "empty" in capsys.readouterr().out.lower()

    def no_none(chunks):
        return "".join(c.choices[0].delta.content for c in chunks if c.choices), "stop"

    assert not check_reassemble_stream(no_none)
    assert "None" in capsys.readouterr().out

    def last_finish(chunks):
        text = "".join(c.choices[0].delta.content or "" for c in chunks if c.choices)
        return text, [c for c in chunks if c.choices][-1].choices[0].finish_reason

    assert check_reassemble_stream(last_finish)  # also correct: finish sits on the last choice chunk

    def overwrite(chunks):
        return reassemble(chunks)[0], None

    assert not check_reassemble_stream(overwrite)
    assert check_reassemble_stream(reassemble)


def join_tool_calls(chunks):  # the lesson's solution
    calls = {}
    for chunk in chunks:
        for choice in chunk.choices:
            for fragment in choice.delta.tool_calls or []:
                call = calls.setdefault(fragment.index, {"name": None, "arguments": ""})
                call["name"] = fragment.function.name or call["name"]
                call["arguments"] += fragment.function.arguments or ""
    return [calls[i] for i in sorted(calls)]


def test_join_tool_calls(capsys):
    assert not check_join_tool_calls(None)

    def arrival_order(chunks):  # joins everything into one string
        args = "".join(f.function.arguments or "" for c in chunks for ch in c.choices
                       for f in ch.delta.tool_calls or [])
        return [{"name": "calculator", "arguments": args}]

    assert not check_join_tool_calls(arrival_order)

    def last_name(chunks):
        calls = join_tool_calls(chunks)
        return [{"name": None, "arguments": c["arguments"]} for c in calls]

    assert not check_join_tool_calls(last_name)
    assert "FIRST fragment" in capsys.readouterr().out
    assert check_join_tool_calls(join_tool_calls)
    # a dict keyed by index, with parsed arguments, is accepted too
    assert check_join_tool_calls(lambda chunks: {i: {**c, "arguments": json.loads(c["arguments"])}
                                                 for i, c in enumerate(join_tool_calls(chunks))})


# ---------------------------------------------------------------------------------------
# 7.13


def test_quiz(capsys):
    assert not check_openai_qa_quiz(None)
    assert "Not answered" in capsys.readouterr().out
    assert not check_openai_qa_quiz("b")
    wrong = ["a" if s != "a" else "b" for s in OPENAI_QA_QUIZ.solution]
    assert not check_openai_qa_quiz(wrong)
    assert check_openai_qa_quiz(OPENAI_QA_QUIZ.solution)
    assert check_openai_qa_quiz([ord(s) - ord("a") for s in OPENAI_QA_QUIZ.solution])


@pytest.mark.parametrize("question", OPENAI_QA_QUIZ.questions, ids=lambda q: q.text[:30])
def test_quiz_questions_are_well_formed(question):
    assert 0 <= question.answer < len(question.options) and question.explanation
