"""What must hold when things go wrong or get busy: provider outages, a client that leaves
mid-stream, a provider that stalls mid-stream, 50 streams at once, two worker processes."""

from __future__ import annotations

import asyncio
import shutil
import time

import httpx
import pytest

from tests.chat_api.conftest import ChatServer, headers, pg_folder, rows, sse

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def alice(server):
    with httpx.Client(base_url=server.url, headers=headers(server.add_user("carol")),
                      timeout=60) as client:
        yield client


def conversation(client) -> str:
    return client.post("/v1/conversations", json={}).json()["id"]


def stored(database_url, conversation_id):
    return rows(database_url, "SELECT role, status, content, error FROM messages "
                "WHERE conversation_id = %s ORDER BY seq", conversation_id)


@pytest.mark.parametrize("stream", [False, True])
def test_a_provider_outage_is_a_503_after_retries_and_the_message_is_kept(alice, database_url,
                                                                           stream):
    chat = conversation(alice)
    started = time.perf_counter()
    response = alice.post(f"/v1/conversations/{chat}/messages",
                          json={"content": "Hello?", "stream": stream},
                          headers={"x-offline-fault": f"status=503; retry_after=0.05; id={stream}"})
    assert response.status_code == 503
    assert response.headers["retry-after"]
    error = response.json()["error"]
    assert error["type"] == "provider_unavailable" and error["provider_status"] == 503
    assert "3 attempts" in error["message"] and "saved" in error["message"]
    assert time.perf_counter() - started > 0.1  # the SDK retried (twice, 0.05 s apart at least)
    (user, *_), (reply, status, content, why) = stored(database_url, chat)
    assert user == "user" and (reply, status, content) == ("assistant", "provider_error", "")
    assert "unavailable" in why


def test_a_provider_that_refuses_the_request_is_a_502(alice):
    chat = conversation(alice)
    response = alice.post(f"/v1/conversations/{chat}/messages", json={"content": "Hello?"},
                          headers={"x-offline-fault": "status=400"})
    assert response.status_code == 502
    assert response.json()["error"]["type"] == "provider_rejected"


def test_a_client_that_disconnects_mid_stream_leaves_its_partial_reply_stored(
        server, alice, database_url):
    chat = conversation(alice)
    with alice.stream("POST", f"/v1/conversations/{chat}/messages",
                      json={"content": "Tell me about Python dictionaries.", "stream": True},
                      headers={"x-offline-fault": "token_delay=0.3"}) as response:
        assert response.status_code == 200
        seen = ""
        for line in response.iter_lines():
            if line.startswith("data:") and '"text"' in line:
                seen += line
                if seen.count('"text"') == 1:  # mid-stream, the reply's row says so
                    assert stored(database_url, chat)[1][:3] == ("assistant", "streaming", "")
                if seen.count('"text"') >= 2:
                    break  # leave after two deltas: closing the response drops the connection
    deadline = time.monotonic() + 30  # the reply would take seconds more: it must not finish
    while time.monotonic() < deadline:
        _, reply = stored(database_url, chat)
        if reply[1] != "streaming":
            break
        time.sleep(0.1)
    role, status, content, why = reply
    assert (role, status) == ("assistant", "interrupted"), reply
    assert content and "disconnected" in why, reply


def test_fifty_concurrent_streaming_conversations_store_every_message_once(
        server, alice, database_url):
    key = alice.headers["authorization"]
    chats = [conversation(alice) for _ in range(50)]

    async def one(client, chat, n):
        response = await client.post(f"/v1/conversations/{chat}/messages",
                                     json={"content": f"What is {n} * 7?", "stream": True})
        return response.status_code, sse(response.text)

    async def all_at_once():
        limits = httpx.Limits(max_connections=60)
        async with httpx.AsyncClient(base_url=server.url, headers={"authorization": key},
                                     timeout=120, limits=limits) as client:
            return await asyncio.gather(*(one(client, chat, n) for n, chat in enumerate(chats)))

    results = asyncio.run(all_at_once())
    assert all(status == 200 for status, _ in results)
    assert all(events[-1][0] == "done" for _, events in results)
    for n, (_, events) in enumerate(results):
        assert [d["content"] for e, d in events if e == "tool_result"] == [str(n * 7)]
    counted = rows(database_url, "SELECT role, status, count(*) FROM messages WHERE "
                   "conversation_id = ANY(%s::uuid[]) GROUP BY role, status ORDER BY role",
                   chats)
    assert counted == [("assistant", "complete", 50), ("user", "complete", 50)]
    per_chat = rows(database_url, "SELECT count(*) FROM messages WHERE "
                    "conversation_id = ANY(%s::uuid[]) GROUP BY conversation_id", chats)
    assert sorted(set(per_chat)) == [(2,)]


def test_two_workers_on_the_embedded_database_anthropic_and_a_provider_stalling(tmp_path):
    """No DATABASE_URL: the server starts its own PostgreSQL and shares it with 2 workers;
    this one talks to (the stand-in's) Anthropic Messages API."""
    marks = [("start", time.perf_counter())]
    folder = pg_folder()
    chat = ChatServer({"DATABASE_URL": "", "CHAT_API_DATA_DIR": str(folder),
                       "CHAT_API_TIMEOUT": "1",
                       "CHAT_API_PROVIDER": "anthropic"}, workers=2, log=tmp_path / "server.log")
    try:
        client = httpx.Client(base_url=chat.url, headers=headers(chat.add_user("dave")),
                              timeout=60)
        marks.append(("healthy+user", time.perf_counter()))
        ids = [conversation(client) for _ in range(6)]
        for chat_id in ids:  # each request may land on either worker: all state is in the DB
            reply = client.post(f"/v1/conversations/{chat_id}/messages",
                                json={"content": "What is 2 + 2?"})
            assert reply.status_code == 200 and "4" in reply.json()["content"]
        listed = client.get("/v1/conversations").json()["conversations"]
        assert [c["id"] for c in listed] == ids and all(c["messages"] == 2 for c in listed)
        first = client.get(f"/v1/conversations/{ids[0]}").json()
        assert first["model"] == "claude-haiku-4-5" and first["messages"][1]["tool_calls"]

        # Claude Haiku 4.5 caches prefixes of 4,096+ tokens: the system breakpoint writes one.
        long = client.post("/v1/conversations", json={
            "system": " ".join(f"Rule {i}: be clear and kind." for i in range(520))}).json()
        reply = client.post(f"/v1/conversations/{long['id']}/messages",
                            json={"content": "Hello"}).json()
        assert reply["usage"]["cache_write_tokens"] >= 4096
        # message_start's input counts and message_delta's output count both reach the bill
        assert reply["usage"]["input_tokens"] > reply["usage"]["cache_write_tokens"] - 1
        assert reply["usage"]["output_tokens"] > 0 and reply["cost_usd"] > 0

        # The provider stops sending after its first event: the read times out (1 s), and
        # the reply is stored as a provider error, the stream ending with an error event.
        stalled = client.post(f"/v1/conversations/{ids[0]}/messages",
                              json={"content": "Tell me about Python.", "stream": True},
                              headers={"x-offline-fault": "token_delay=3"})
        events = sse(stalled.text)
        assert events[-1][0] == "error" and events[-1][1]["type"] == "provider_unreachable"
        messages = client.get(f"/v1/conversations/{ids[0]}").json()["messages"]
        assert messages[-1]["status"] == "provider_error"
        assert messages[-2]["content"] == "Tell me about Python."
        client.close()
        marks.append(("stalled", time.perf_counter()))
    finally:
        chat.stop()
        marks.append(("stopped", time.perf_counter()))
    # The embedded PostgreSQL stopped with the server (it does not outlive it).
    import psutil

    assert not [p for p in psutil.process_iter(["cmdline"])
                if str(folder) in " ".join(p.info["cmdline"] or [])]
    shutil.rmtree(folder.parent, ignore_errors=True)
    print(" ".join(f"{name} {at - marks[0][1]:.1f}s" for name, at in marks))


def test_messages_sent_at_once_to_one_conversation_get_distinct_consecutive_seqs(
        server, alice, database_url):
    key = alice.headers["authorization"]
    chat = conversation(alice)

    async def all_at_once():
        async with httpx.AsyncClient(base_url=server.url, headers={"authorization": key},
                                     timeout=120) as client:
            return await asyncio.gather(*(
                client.post(f"/v1/conversations/{chat}/messages", json={"content": f"hi {n}"})
                for n in range(8)))

    assert [r.status_code for r in asyncio.run(all_at_once())] == [200] * 8
    seqs = rows(database_url, "SELECT seq, role FROM messages WHERE conversation_id = %s "
                "ORDER BY seq", chat)
    assert [s for s, _ in seqs] == list(range(1, 17))
    assert [r for _, r in seqs] == ["user", "assistant"] * 8  # each turn's pair stays together
    assert rows(database_url, "SELECT last_seq FROM conversations WHERE id = %s", chat) == [(16,)]


def test_migration_2_counts_on_from_the_messages_a_schema_1_database_already_holds():
    import psycopg

    from course_lib.chat_api import db, store

    folder = pg_folder()
    server = db.embedded_server(folder)
    try:
        url = server.get_uri()
        first, later = db.MIGRATIONS[:1], list(db.MIGRATIONS)

        async def scenario():
            from psycopg.rows import dict_row

            async with await psycopg.AsyncConnection.connect(url, autocommit=True,
                                                             row_factory=dict_row) as conn:
                db.MIGRATIONS[:] = first  # a database made by the first release
                try:
                    assert await db.migrate(conn) == [1]
                finally:
                    db.MIGRATIONS[:] = later
                user = await (await conn.execute(
                    "INSERT INTO users (name, key_hash) VALUES ('old', 'h') RETURNING id")).fetchone()
                chat = await (await conn.execute(
                    "INSERT INTO conversations (user_id, system, provider, model, budget_usd) "
                    "VALUES (%s, 's', 'openai', 'm', 1) RETURNING id", (user["id"],))).fetchone()
                for seq, role in ((1, "user"), (2, "assistant")):
                    await conn.execute("INSERT INTO messages (conversation_id, seq, role, content) "
                                       "VALUES (%s, %s, %s, 'x')", (chat["id"], seq, role))
                assert await db.migrate(conn) == [2]
                assert await db.migrate(conn) == []  # idempotent
                await store.start_turn(conn, chat["id"], "next")
                found, messages = await store.conversation_and_messages(conn, user["id"], chat["id"])
                assert found["id"] == chat["id"] and [m["seq"] for m in messages] == [1, 2, 3, 4]
                other = await store.conversation_and_messages(conn, chat["id"], chat["id"])
                assert other == (None, [])  # not the owner: nothing at all is read

        asyncio.run(scenario())
    finally:
        server.cleanup()
        shutil.rmtree(folder.parent, ignore_errors=True)
