"""The capstone's figures: latency the chat API adds over the provider's stream, and
throughput at 50 concurrent streaming conversations.

    python bench/bench_chat_api.py            # COURSE_OFFLINE=1 is set for you

It starts an embedded PostgreSQL in a temp folder, the offline stand-in as a process of its
own (``python -m course_lib.offline``: it plays the provider, so its token generation does not
compete with the API for a CPU), and the real server process (``python -m course_lib.chat_api``,
1 worker) on the *real-key* path pointed at that stand-in, then measures:

- **direct**: time to the first text chunk, and to the end, of the same request (system prompt,
  calculator tool, one user message) streamed with the async SDK from that stand-in: what the
  provider alone costs;
- **through the API**: time to the first ``delta`` event, and to ``done``, of a streamed
  message: auth, the history (one pipelined round trip), a budget check, one statement for
  the turn's two rows and the stream relayed as SSE on top.

"Added" is the difference of the two distributions' percentiles. Sequential requests first
(the API's own overhead), then 50 at once (the same, under load), with a count of the rows
stored afterwards.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ["COURSE_OFFLINE"] = "1"

import httpx  # noqa: E402

from course_lib.chat_api import db  # noqa: E402
from course_lib.chat_api.app import DEFAULT_SYSTEM  # noqa: E402
from tests.chat_api.conftest import ChatServer  # noqa: E402

PROMPT = "Tell me about Python dictionaries."
SEQUENTIAL, CONCURRENT = 40, 50


def pct(values: list[float], q: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, round(q / 100 * (len(values) - 1)))]


async def direct(client, model) -> tuple[float, float]:
    from course_lib.tools import calculator

    started = time.perf_counter()
    first = None
    stream = await client.chat.completions.create(
        model=model, max_completion_tokens=1024, stream=True,
        stream_options={"include_usage": True}, tools=[calculator.OPENAI_TOOL],
        messages=[{"role": "system", "content": DEFAULT_SYSTEM}, {"role": "user", "content": PROMPT}])
    async for chunk in stream:
        if first is None and chunk.choices and chunk.choices[0].delta.content:
            first = time.perf_counter() - started
    return first, time.perf_counter() - started


async def through_api(client, chat_id) -> tuple[float, float]:
    started = time.perf_counter()
    first = None
    async with client.stream("POST", f"/v1/conversations/{chat_id}/messages",
                             json={"content": PROMPT, "stream": True}) as response:
        async for line in response.aiter_lines():
            if first is None and line.startswith("event: delta"):
                first = time.perf_counter() - started
            if line.startswith("event: done"):
                break
    return first, time.perf_counter() - started


def report(label: str, direct_times, api_times) -> None:
    for i, what in enumerate(("first token", "whole stream")):
        d = [t[i] * 1000 for t in direct_times]
        a = [t[i] * 1000 for t in api_times]
        print(f"{label:>14} {what:>12}: direct p50 {pct(d, 50):6.1f} ms p99 {pct(d, 99):6.1f} ms"
              f" | API p50 {pct(a, 50):6.1f} ms p99 {pct(a, 99):6.1f} ms"
              f" | added p50 {pct(a, 50) - pct(d, 50):6.1f} ms p99 {pct(a, 99) - pct(d, 99):6.1f} ms")


async def main() -> None:
    import subprocess

    import openai

    from course_lib.config import default_model
    from course_lib.offline.lifecycle import spawn

    folder = Path(tempfile.mkdtemp(prefix="chat-api-bench-")) / "data"
    pg = db.embedded_server(folder)
    provider, url = spawn(stderr=subprocess.DEVNULL)
    base_url, fake_key = url + "/v1", "offline-bench-key"
    server = ChatServer({"DATABASE_URL": pg.get_uri(), "COURSE_OFFLINE": "",
                         "OPENAI_API_KEY": fake_key, "OPENAI_BASE_URL": base_url},
                        log=folder.parent / "server.log")
    try:
        key = server.add_user("bench")
        sdk = openai.AsyncOpenAI(base_url=base_url, api_key=fake_key)
        model = default_model("openai")
        limits = httpx.Limits(max_connections=CONCURRENT + 10)
        async with httpx.AsyncClient(base_url=server.url, timeout=120, limits=limits,
                                     headers={"Authorization": f"Bearer {key}"}) as api:
            new = [(await api.post("/v1/conversations", json={})).json()["id"]
                   for _ in range(SEQUENTIAL + CONCURRENT + 5)]
            for chat_id in new[:5]:  # warm up both paths (imports, tokenizer, pools)
                await direct(sdk, model)
                await through_api(api, chat_id)
            chats = new[5:]

            d = [await direct(sdk, model) for _ in range(SEQUENTIAL)]
            a = [await through_api(api, chat_id) for chat_id in chats[:SEQUENTIAL]]
            report("sequential", d, a)

            load = chats[SEQUENTIAL:]
            d = await asyncio.gather(*(direct(sdk, model) for _ in load))
            started = time.perf_counter()
            a = await asyncio.gather(*(through_api(api, chat_id) for chat_id in load))
            wall = time.perf_counter() - started
            report(f"{CONCURRENT} at once", d, a)
        import psycopg

        with psycopg.connect(pg.get_uri()) as conn:
            stored = conn.execute(
                "SELECT count(*) FROM messages WHERE conversation_id = ANY(%s::uuid[]) "
                "AND status = 'complete'", (load,)).fetchone()[0]
        print(f"throughput: {CONCURRENT} streamed conversations in {wall:.2f} s = "
              f"{CONCURRENT / wall:.0f} messages/s; rows stored complete: {stored} "
              f"(expected {2 * CONCURRENT})")
    finally:
        server.stop()
        provider.terminate()
        pg.cleanup()
        shutil.rmtree(folder.parent, ignore_errors=True)


if __name__ == "__main__":
    asyncio.run(main())
