"""The SQL the routes run. Every query that reads a conversation names its owner too, so a
user can never reach another user's rows (the route answers 404 either way)."""

from __future__ import annotations

import json
import uuid
from typing import Any

from course_lib.chat_api import auth

MESSAGE_COLUMNS = ("id, seq, role, content, tool_rounds, status, uncached_input_tokens, "
                   "cached_input_tokens, cache_write_tokens, output_tokens, cost_usd, error, "
                   "created_at")
# The messages of a conversation, only if it is this user's (the owner is named in the query).
OWNED_MESSAGES = (
    f"SELECT {', '.join('m.' + c.strip() for c in MESSAGE_COLUMNS.split(','))} "
    "FROM messages m JOIN conversations c ON c.id = m.conversation_id "
    "WHERE m.conversation_id = %s AND c.user_id = %s ORDER BY m.seq")


async def add_user(conn: Any, name: str) -> str:
    """Create a user; return the new key (only its hash is stored)."""
    key = auth.new_key()
    await conn.execute("INSERT INTO users (name, key_hash) VALUES (%s, %s)",
                       (name, auth.key_hash(key)))
    return key


async def user_for_key(conn: Any, key: str) -> dict[str, Any] | None:
    cur = await conn.execute("SELECT id, name FROM users WHERE key_hash = %s",
                             (auth.key_hash(key),))
    return await cur.fetchone()


async def create_conversation(conn: Any, user_id: uuid.UUID, *, system: str, provider: str,
                              model: str, budget_usd: float) -> dict[str, Any]:
    cur = await conn.execute(
        "INSERT INTO conversations (user_id, system, provider, model, budget_usd) "
        "VALUES (%s, %s, %s, %s, %s) RETURNING id, system, provider, model, budget_usd, created_at",
        (user_id, system, provider, model, budget_usd))
    return await cur.fetchone()


async def conversations(conn: Any, user_id: uuid.UUID) -> list[dict[str, Any]]:
    cur = await conn.execute(
        "SELECT c.id, c.provider, c.model, c.budget_usd, c.created_at, "
        "count(m.id) AS messages, coalesce(sum(m.cost_usd), 0) AS cost_usd "
        "FROM conversations c LEFT JOIN messages m ON m.conversation_id = c.id "
        "WHERE c.user_id = %s GROUP BY c.id ORDER BY c.created_at, c.id", (user_id,))
    return await cur.fetchall()


async def conversation_and_messages(conn: Any, user_id: uuid.UUID, conversation_id: uuid.UUID,
                                    ) -> tuple[dict[str, Any] | None, list[dict[str, Any]]]:
    """The conversation (None if it is not this user's) and its messages, in ONE round trip.

    Both queries go out together in psycopg's pipeline mode; the messages query names the owner
    too, so another user's conversation yields (None, []) and no rows are ever read for it.
    """
    async with conn.pipeline():
        found = await conn.execute(
            "SELECT id, system, provider, model, budget_usd, created_at FROM conversations "
            "WHERE id = %s AND user_id = %s", (conversation_id, user_id))
        rows = await conn.execute(OWNED_MESSAGES, (conversation_id, user_id))
    return await found.fetchone(), await rows.fetchall()


async def start_turn(conn: Any, conversation_id: uuid.UUID, content: str) -> tuple[uuid.UUID, uuid.UUID]:
    """Store the user's message and an empty assistant reply ('streaming'): one statement.

    ``conversations.last_seq`` is bumped by 2 in the same statement. The UPDATE locks the
    conversation's row, and a concurrent request to the same conversation waits for that lock and
    then sees the new ``last_seq`` (PostgreSQL re-reads an updated row), so two requests get
    distinct, consecutive sequence numbers. The statement commits on its own (autocommit) before
    the provider is called: nothing is lost.
    """
    cur = await conn.execute(
        "WITH c AS (UPDATE conversations SET last_seq = last_seq + 2 WHERE id = %s "
        "RETURNING id, last_seq) "
        "INSERT INTO messages (conversation_id, seq, role, content, status) "
        "SELECT id, last_seq - 1, 'user', %s, 'complete' FROM c "
        "UNION ALL SELECT id, last_seq, 'assistant', '', 'streaming' FROM c "
        "RETURNING id, role", (conversation_id, content))
    ids = {row["role"]: row["id"] for row in await cur.fetchall()}
    if len(ids) != 2:
        raise LookupError(f"no conversation {conversation_id}")
    return ids["user"], ids["assistant"]


async def finish_turn(conn: Any, message_id: uuid.UUID, *, content: str,
                      tool_rounds: list[dict[str, Any]], status: str,
                      columns: dict[str, Any], error: str | None = None) -> None:
    await conn.execute(
        "UPDATE messages SET content = %s, tool_rounds = %s, status = %s, uncached_input_tokens = %s, "
        "cached_input_tokens = %s, cache_write_tokens = %s, output_tokens = %s, cost_usd = %s, "
        "error = %s WHERE id = %s",
        (content, json.dumps(tool_rounds), status, columns["uncached_input_tokens"],
         columns["cached_input_tokens"], columns["cache_write_tokens"], columns["output_tokens"],
         columns["cost_usd"], error, message_id))
