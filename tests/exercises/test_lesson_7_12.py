"""Lesson 7.12's checks: reassembling a stream, joining tool-call fragments per index."""

import json

from course_lib.exercises import check_join_tool_calls, check_reassemble_stream


def reassemble(chunks):  # the lesson's solution
    text, finish = "", None
    for chunk in chunks:
        if not chunk.choices:
            continue
        choice = chunk.choices[0]
        text += choice.delta.content or ""
        finish = choice.finish_reason or finish
    return text, finish


def test_reassemble_stream(verdict):
    verdict(check_reassemble_stream(None), False)
    verdict(check_reassemble_stream("not a function"), False)

    def naive(chunks):
        return "".join(c.choices[0].delta.content for c in chunks), chunks[-1].choices[0].finish_reason

    assert "empty" in verdict(check_reassemble_stream(naive), False).lower()

    def no_none(chunks):
        return "".join(c.choices[0].delta.content for c in chunks if c.choices), "stop"

    assert "None" in verdict(check_reassemble_stream(no_none), False)

    def last_finish(chunks):
        text = "".join(c.choices[0].delta.content or "" for c in chunks if c.choices)
        return text, [c for c in chunks if c.choices][-1].choices[0].finish_reason

    # also correct: finish sits on the last choice chunk
    verdict(check_reassemble_stream(last_finish), True)

    def overwrite(chunks):
        return reassemble(chunks)[0], None

    verdict(check_reassemble_stream(overwrite), False)
    verdict(check_reassemble_stream(reassemble), True)


def join_tool_calls(chunks):  # the lesson's solution
    calls = {}
    for chunk in chunks:
        for choice in chunk.choices:
            for fragment in choice.delta.tool_calls or []:
                call = calls.setdefault(fragment.index, {"name": None, "arguments": ""})
                call["name"] = fragment.function.name or call["name"]
                call["arguments"] += fragment.function.arguments or ""
    return [calls[i] for i in sorted(calls)]


def test_join_tool_calls(verdict):
    verdict(check_join_tool_calls(None), False)

    def arrival_order(chunks):  # joins everything into one string
        args = "".join(f.function.arguments or "" for c in chunks for ch in c.choices
                       for f in ch.delta.tool_calls or [])
        return [{"name": "calculator", "arguments": args}]

    verdict(check_join_tool_calls(arrival_order), False)

    def last_name(chunks):
        calls = join_tool_calls(chunks)
        return [{"name": None, "arguments": c["arguments"]} for c in calls]

    assert "FIRST fragment" in verdict(check_join_tool_calls(last_name), False)
    verdict(check_join_tool_calls(join_tool_calls), True)
    # a dict keyed by index, with parsed arguments, is accepted too
    verdict(check_join_tool_calls(lambda chunks: {i: {**c, "arguments": json.loads(c["arguments"])}
                                                  for i, c in enumerate(join_tool_calls(chunks))}),
            True)
