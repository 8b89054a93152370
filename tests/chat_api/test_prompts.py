"""The cache-aware layout: each request starts with the previous one, trimming moves in blocks."""

from __future__ import annotations

import itertools

from course_lib.chat_api import prompts

ROUND = {"text": "", "calls": [{"id": "call_1", "name": "calculator",
                                "arguments": '{"expression": "6 * 7"}', "result": "42",
                                "is_error": False}]}


def conversation(n: int) -> list[dict]:
    rows = []
    for i in range(n):
        rows.append({"role": "user", "content": f"question {i}", "status": "complete"})
        rows.append({"role": "assistant", "content": f"answer {i}", "status": "complete",
                     "tool_rounds": [ROUND] if i % 2 else []})
    return rows


def test_each_openai_request_starts_with_the_previous_one():
    for n in range(1, 6):
        before = prompts.openai_messages("S", conversation(n))
        after = prompts.openai_messages("S", conversation(n + 1))
        assert after[: len(before)] == before


def test_each_anthropic_request_starts_with_the_previous_one():
    for n in range(1, 6):
        before = prompts.anthropic_messages(conversation(n))
        after = prompts.anthropic_messages(conversation(n + 1))
        assert after[: len(before)] == before
        roles = [m["role"] for m in after]
        assert all(a != b for a, b in itertools.pairwise(roles))  # user and assistant alternate


def test_tool_rounds_are_replayed_as_calls_then_results():
    messages = prompts.openai_messages("S", conversation(2))
    assert [m["role"] for m in messages] == ["system", "user", "assistant", "user", "assistant",
                                             "tool", "assistant"]
    assert messages[4]["tool_calls"][0]["function"]["arguments"] == '{"expression": "6 * 7"}'
    assert messages[5] == {"role": "tool", "tool_call_id": "call_1", "content": "42"}


def test_anthropic_breakpoints_sit_on_the_system_prompt_and_the_two_newest_user_turns():
    system = prompts.anthropic_system("S")
    marked = prompts.with_breakpoints(prompts.anthropic_messages(conversation(3))
                                      + [{"role": "user", "content": [{"type": "text", "text": "q"}]}])
    where = [i for i, m in enumerate(marked) if "cache_control" in m["content"][-1]]
    assert system[0]["cache_control"] == {"type": "ephemeral"}
    # u0 a0 u1 [tool_use] [tool_result] a1 u2 a2 | new: the previous request ended after u2
    assert where == [6, len(marked) - 1]  # with the system prompt's: 3 of the 4 allowed
    assert marked[6]["role"] == "user" and marked[6]["content"][0]["type"] == "text"
    assert "cache_control" not in prompts.anthropic_messages(conversation(3))[6]["content"][-1]


def test_trimming_drops_whole_turns_in_blocks_so_the_first_kept_turn_rarely_moves():
    firsts = [prompts.keep_from([100] * n, budget=1000) for n in range(1, 40)]
    assert firsts == sorted(firsts)  # the cut only moves forward
    assert len(set(firsts)) <= 8  # it moved in a few jumps, not once per turn
    assert all(100 * (n - start) <= 1000 for n, start in enumerate(firsts, 1))  # fits


def test_trim_keeps_whole_turns_and_the_newest_one():
    rows = conversation(10)
    kept, dropped = prompts.trim(rows, budget=30, count=lambda row: 10)
    assert kept[0]["role"] == "user" and kept[-1] == rows[-1]
    assert len(kept) % 2 == 0 and dropped == 10 - len(kept) // 2 and dropped > 0


def test_failed_replies_keep_only_their_text_and_empty_ones_are_left_out():
    rows = [{"role": "user", "content": "a", "status": "complete"},
            {"role": "assistant", "content": "", "status": "provider_error", "tool_rounds": []},
            {"role": "user", "content": "b", "status": "complete"},
            {"role": "assistant", "content": "half", "status": "interrupted",
             "tool_rounds": [ROUND]}]
    replay = prompts.replayable(rows)
    assert [r["content"] for r in replay] == ["a", "b", "half"] and replay[-1]["tool_rounds"] == []
    assert prompts.anthropic_messages(replay)[0] == {
        "role": "user", "content": [{"type": "text", "text": "a"}, {"type": "text", "text": "b"}]}


def test_a_streamed_tool_use_input_is_its_json_deltas_or_the_text_for_the_tool_to_reject():
    from course_lib.chat_api.provider import _tool_input

    assert _tool_input({"json": '{"expression": "2 + 2"}', "input": {}}) == {"expression": "2 + 2"}
    assert _tool_input({"json": "", "input": {"expression": "1"}}) == {"expression": "1"}
    assert _tool_input({"json": '{"expression": "2 +', "input": {}}) == '{"expression": "2 +'
