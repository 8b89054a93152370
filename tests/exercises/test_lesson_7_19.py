"""Lesson 7.19's checks: reading text blocks, and building a Messages API request."""

from course_lib.exercises import check_messages_request, check_reply_text


def reply_text(message):  # the lesson's solution
    return "".join(block.text for block in message.content if block.type == "text")


def test_reply_text(verdict):
    verdict(check_reply_text(None), False)
    verdict(check_reply_text("reply_text"), False)
    first_block = verdict(check_reply_text(lambda m: m.content[0].text), False)
    assert "every block" in first_block  # the usual first try: only content[0]
    # every block's .text: breaks on a tool_use block, with a hint about block types
    assert "block.type" in verdict(check_reply_text(
        lambda m: "".join(b.text for b in m.content)), False)
    # joined with spaces: wrong on two blocks
    assert "nothing between" in verdict(check_reply_text(
        lambda m: " ".join(b.text for b in m.content if b.type == "text")), False)
    verdict(check_reply_text(lambda m: [b.text for b in m.content if b.type == "text"]), False)
    verdict(check_reply_text(reply_text), True)
    # also right: getattr-based filtering that skips thinking blocks
    verdict(check_reply_text(lambda m: "".join(getattr(b, "text", "") for b in m.content)), True)


def messages_request(messages):  # the lesson's solution
    system = "\n\n".join(m["content"] for m in messages if m["role"] == "system")
    request = {"max_tokens": 300, "messages": [m for m in messages if m["role"] != "system"]}
    if system:
        request["system"] = system
    return request


def test_messages_request(verdict):
    verdict(check_messages_request(None), False)
    verdict(check_messages_request(lambda ms: "not a dict"), False)
    # the OpenAI shape as it is: max_tokens missing
    assert "max_tokens" in verdict(check_messages_request(lambda ms: {"messages": ms}), False)
    # max_tokens added, but the system message left inside messages
    assert "system=" in verdict(check_messages_request(
        lambda ms: {"max_tokens": 100, "messages": ms}), False)
    # only the first system message kept
    def first_system(ms):
        request = messages_request(ms)
        systems = [m["content"] for m in ms if m["role"] == "system"]
        if systems:
            request["system"] = systems[0]
        return request

    assert "blank line" in verdict(check_messages_request(first_system), False)
    # an empty system prompt when there is none is fine; a placeholder is not
    verdict(check_messages_request(lambda ms: {**messages_request(ms),
                                               "system": messages_request(ms).get("system", "")}),
            True)
    verdict(check_messages_request(lambda ms: {**messages_request(ms),
                                               "system": messages_request(ms).get("system", "-")}),
            False)
    assert "model" in verdict(check_messages_request(
        lambda ms: {**messages_request(ms), "model": "x"}), False)
    verdict(check_messages_request(lambda ms: {**messages_request(ms), "max_tokens": True}), False)
    verdict(check_messages_request(messages_request), True)

    def popping(ms):  # mutates its input: still right, the check compares with its own copy
        system = [ms.pop(i)["content"] for i in reversed(range(len(ms))) if ms[i]["role"] == "system"]
        request = {"max_tokens": 50, "messages": ms}
        if system:
            request["system"] = "\n\n".join(reversed(system))
        return request

    verdict(check_messages_request(popping), True)


def test_the_module_docstring_example_holds():
    import doctest

    from course_lib.exercises import lesson_7_19

    assert doctest.testmod(lesson_7_19).failed == 0
