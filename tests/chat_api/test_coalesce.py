"""CoalesceWrites: chunks made in one turn of the event loop leave in one write, in order."""

from __future__ import annotations

import asyncio

import pytest

from course_lib.chat_api.app import CoalesceWrites

START = {"type": "http.response.start", "status": 200, "headers": []}


def body(data: bytes, more: bool = True) -> dict:
    return {"type": "http.response.body", "body": data, "more_body": more}


async def serve(app, *, paused: asyncio.Event | None = None) -> list:
    written = []

    async def send(message):
        if paused is not None and message.get("more_body"):
            await paused.wait()  # a slow client: the transport's buffer is full
        written.append(message)

    async def receive():
        return {"type": "http.disconnect"}

    await CoalesceWrites(app)({"type": "http"}, receive, send)
    return written


def test_chunks_made_together_leave_together_and_in_order():
    async def app(scope, receive, send):
        await send(START)
        for part in (b"a", b"b", b"c"):  # one provider read with three events in it
            await send(body(part))
        await asyncio.sleep(0.01)  # waiting for the provider: the queue is written now
        await send(body(b"d"))
        await send(body(b"e"))
        await send(body(b"", more=False))

    written = asyncio.run(serve(app))
    assert written == [START, body(b"abc"), body(b"de"), body(b"", more=False)]


def test_a_stream_that_waits_between_events_is_not_delayed():
    async def app(scope, receive, send):
        await send(START)
        for part in (b"1", b"2"):
            await send(body(part))
            await asyncio.sleep(0.01)
        await send(body(b"", more=False))

    assert asyncio.run(serve(app))[1:3] == [body(b"1"), body(b"2")]


def test_a_slow_client_makes_the_route_wait_past_the_limit():
    paused = asyncio.Event()
    queued_when_blocked = []

    async def app(scope, receive, send):
        await send(START)
        await send(body(b"x"))
        await asyncio.sleep(0)  # the flush starts and blocks on the client
        chunk = b"y" * 1024
        for _ in range(CoalesceWrites.LIMIT // len(chunk) + 2):
            await send(body(chunk))  # returns at once until the queue passes LIMIT
        queued_when_blocked.append(paused.is_set())
        await send(body(b"", more=False))

    async def main():
        task = asyncio.create_task(serve(app, paused=paused))
        await asyncio.sleep(0.05)
        assert not task.done()  # the route is held back, not buffering without end
        paused.set()
        return await task

    written = asyncio.run(main())
    assert queued_when_blocked == [True]
    assert b"".join(m["body"] for m in written[1:]) == b"x" + b"y" * 1024 * (
        CoalesceWrites.LIMIT // 1024 + 2)


def test_a_failed_write_reaches_the_route():
    class Gone(Exception):
        pass

    async def app(scope, receive, send):
        await send(START)
        await send(body(b"a"))
        await asyncio.sleep(0)
        await send(body(b"b"))  # the earlier flush failed: raised here

    async def main():
        async def send(message):
            if message.get("more_body"):
                raise Gone

        async def receive():
            return {"type": "http.disconnect"}

        await CoalesceWrites(app)({"type": "http"}, receive, send)

    with pytest.raises(Gone):
        asyncio.run(main())
