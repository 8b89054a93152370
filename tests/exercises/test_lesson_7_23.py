"""Lesson 7.23's checks: a bounded gather, and the ideal wall time of waves of requests."""

import asyncio
import math

from course_lib.exercises import check_gather_limited, check_ideal_wall_time


async def gather_limited(jobs, limit):  # the lesson's solution
    semaphore = asyncio.Semaphore(limit)

    async def one(job):
        async with semaphore:
            return await job()

    return await asyncio.gather(*(one(job) for job in jobs))


def test_gather_limited(verdict):
    verdict(check_gather_limited(None), False)
    verdict(check_gather_limited("gather"), False)

    def not_async(jobs, limit):
        return ["answer"]

    assert "async def" in verdict(check_gather_limited(not_async), False)

    async def sequential(jobs, limit):
        return [await job() for job in jobs]

    assert "one after another" in verdict(check_gather_limited(sequential), False)

    async def unbounded(jobs, limit):
        return await asyncio.gather(*(job() for job in jobs))

    assert "Semaphore" in verdict(check_gather_limited(unbounded), False)

    async def completion_order(jobs, limit):
        semaphore, results = asyncio.Semaphore(limit), []

        async def one(job):
            async with semaphore:
                results.append(await job())

        await asyncio.gather(*(one(job) for job in jobs))
        return results

    assert "order" in verdict(check_gather_limited(completion_order), False)

    async def unfinished(jobs, limit):
        return None

    assert "Not answered" in verdict(check_gather_limited(unfinished), False)

    async def broken(jobs, limit):
        raise ValueError("oops")

    assert "ValueError" in verdict(check_gather_limited(broken), False)
    verdict(check_gather_limited(gather_limited), True)


def test_the_check_works_inside_a_running_event_loop(verdict):
    async def from_a_notebook():  # Jupyter cells run inside the kernel's loop
        return check_gather_limited(gather_limited)

    verdict(asyncio.run(from_a_notebook()), True)


def ideal_wall_time(n, latency, limit):  # the lesson's solution
    return math.ceil(n / limit) * latency


def test_ideal_wall_time(verdict):
    verdict(check_ideal_wall_time(None), False)
    assert "round the number of waves up" in verdict(
        check_ideal_wall_time(lambda n, latency, limit: n * latency / limit), False)
    verdict(check_ideal_wall_time(lambda n, latency, limit: n * latency), False)
    verdict(check_ideal_wall_time(lambda n, latency, limit: "1.5 s"), False)
    verdict(check_ideal_wall_time(lambda n, latency, limit: 1 / 0), False)
    verdict(check_ideal_wall_time(ideal_wall_time), True)
    verdict(check_ideal_wall_time(lambda n, latency, limit: -(-n // limit) * latency), True)
