"""``python -m course_lib.chat_api``: serve the chat API, or add a user.

    python -m course_lib.chat_api                        # 127.0.0.1:8000 (make chat)
    python -m course_lib.chat_api --port 8001 --workers 2
    python -m course_lib.chat_api add-user alice         # prints the key, alone on the last line
"""

from __future__ import annotations

import argparse
import asyncio
import os
import signal
import threading


async def _add_user(name: str) -> str:
    import psycopg

    from course_lib.chat_api import db, settings, store

    url = db.database_url(settings.load())
    async with await psycopg.AsyncConnection.connect(url, autocommit=True) as conn:
        await db.migrate(conn)
        try:
            return await store.add_user(conn, name)
        except psycopg.errors.UniqueViolation:
            raise SystemExit(f"a user named {name!r} exists already; choose another name") from None


def add_user(name: str) -> None:
    if not 1 <= len(name) <= 100:
        raise SystemExit("NAME must be 1 to 100 characters")
    key = asyncio.run(_add_user(name))
    print(f"user {name!r} created; their API key is shown once, below (only its hash is stored).")
    print("Send it as 'Authorization: Bearer <key>'.")
    print(key)


def serve(host: str, port: int, workers: int) -> None:
    import uvicorn

    from course_lib.chat_api import db, settings

    config = settings.load()
    # Import the app and the provider's SDK while PostgreSQL starts (a subprocess): start-up
    # takes the longer of the two instead of their sum.
    warm = threading.Thread(target=_import_app, args=(config.provider,), daemon=True)
    warm.start()
    where, embedded = "DATABASE_URL", None
    if config.database_url is None:
        # Started here, once, and handed to every worker: they all use one database.
        embedded = db.embedded_server(config.data_dir)
        os.environ["DATABASE_URL"] = embedded.get_uri()
        where = f"embedded PostgreSQL in {config.data_dir}"
    # uvicorn re-raises SIGTERM once it has shut down; as an exception it reaches `finally`,
    # so the embedded PostgreSQL is stopped too instead of outliving the server.
    signal.signal(signal.SIGTERM, _exit)
    warm.join()
    print(f"chat API on http://{host}:{port} ({workers} worker{'s' * (workers > 1)}; "
          f"database: {where}; provider: {config.provider})", flush=True)
    try:
        uvicorn.run("course_lib.chat_api.app:create_app", factory=True, host=host, port=port,
                    workers=workers, log_level="warning", access_log=False)
    except KeyboardInterrupt:
        pass
    finally:
        if embedded is not None:
            embedded.cleanup()  # stops PostgreSQL unless another process still uses it


def _import_app(provider: str) -> None:
    import importlib

    importlib.import_module("course_lib.chat_api.app")
    importlib.import_module(provider)


def _exit(signum: int, frame: object) -> None:
    raise SystemExit(0)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m course_lib.chat_api",
                                     description="The capstone chat API.")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--workers", type=int, default=1)
    commands = parser.add_subparsers(dest="command")
    commands.add_parser("serve", help="serve the API (the default)")
    user = commands.add_parser("add-user", help="create a user and print their API key")
    user.add_argument("name")
    args = parser.parse_args(argv)
    if args.command == "add-user":
        add_user(args.name)
    else:
        serve(args.host, args.port, args.workers)


if __name__ == "__main__":
    main()
