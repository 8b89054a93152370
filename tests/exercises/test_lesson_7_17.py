"""Lesson 7.17's checks: running tool calls concurrently in call order; finding unanswered calls."""

from concurrent.futures import ThreadPoolExecutor, as_completed

from course_lib.exercises import check_find_unanswered, check_run_concurrently


def run_concurrently(calls, execute):  # the lesson's solution
    with ThreadPoolExecutor(max_workers=len(calls)) as pool:
        return list(pool.map(execute, calls))


def test_run_concurrently(verdict):
    verdict(check_run_concurrently(None), False)
    verdict(check_run_concurrently("not a function"), False)
    assert "Not answered" in verdict(check_run_concurrently(lambda calls, execute: None), False)

    def one_at_a_time(calls, execute):
        return [execute(c) for c in calls]

    assert "one at a time" in verdict(check_run_concurrently(one_at_a_time), False)

    def as_they_finish(calls, execute):
        with ThreadPoolExecutor(max_workers=len(calls)) as pool:
            futures = [pool.submit(execute, c) for c in calls]
            return [f.result() for f in as_completed(futures)]

    assert "as_completed" in verdict(check_run_concurrently(as_they_finish), False)

    def generator(calls, execute):
        with ThreadPoolExecutor(max_workers=len(calls)) as pool:
            return pool.map(execute, calls)

    assert "list(" in verdict(check_run_concurrently(generator), False)

    def twice(calls, execute):
        return run_concurrently(calls, execute) + run_concurrently(calls[:1], execute)

    assert "exactly once" in verdict(check_run_concurrently(twice), False)

    def crashes(calls, execute):
        raise RuntimeError("oops")

    assert "RuntimeError" in verdict(check_run_concurrently(crashes), False)
    out = verdict(check_run_concurrently(run_concurrently), True)
    assert "call order" in out

    def submit_in_order(calls, execute):  # also right: submit all, collect in call order
        with ThreadPoolExecutor() as pool:
            futures = [pool.submit(execute, c) for c in calls]
            return [f.result() for f in futures]

    verdict(check_run_concurrently(submit_in_order), True)


def find_unanswered(message, tool_messages):  # the lesson's solution
    answered = {m["tool_call_id"] for m in tool_messages}
    return [call.id for call in message.tool_calls or [] if call.id not in answered]


def test_find_unanswered(verdict):
    verdict(check_find_unanswered(None), False)
    verdict(check_find_unanswered(42), False)

    def by_position(message, tool_messages):  # pairs by position, not by id
        return [c.id for c in (message.tool_calls or [])[len(tool_messages):]]

    verdict(check_find_unanswered(by_position), False)

    def no_none(message, tool_messages):
        answered = {m["tool_call_id"] for m in tool_messages}
        return [c.id for c in message.tool_calls if c.id not in answered]

    assert "tool_calls or []" in verdict(check_find_unanswered(no_none), False)

    def unordered(message, tool_messages):
        return sorted(set(find_unanswered(message, tool_messages)), reverse=True)

    assert "order of" in verdict(check_find_unanswered(unordered), False)
    verdict(check_find_unanswered(find_unanswered), True)
    verdict(check_find_unanswered(lambda m, t: tuple(find_unanswered(m, t))), True)
