"""The capstone: a streaming chat API with PostgreSQL history, the calculator tool,
cache-aware prompts and cost per conversation.

    python -m course_lib.chat_api add-user alice      # prints a new API key, once
    python -m course_lib.chat_api --port 8000         # serve (make chat)

One idea per module, in the order a request meets them:

- ``settings``: configuration from the environment (``DATABASE_URL``, provider, budget, limits).
- ``db``: the embedded PostgreSQL (when ``DATABASE_URL`` is unset), the pool, the migrations.
- ``auth``: API keys: made once, stored only as a hash, checked on every ``/v1`` request.
- ``store``: the SQL the routes run (users, conversations, messages).
- ``prompts``: history → a provider request whose prefix stays byte-stable (prompt caching).
- ``provider``: one assistant turn: stream, run the calculator, stream again, as events.
- ``costs``: usage → dollars, cache hit rate, the budget check.
- ``app``: the FastAPI app: routes, request models, errors, request-id logs.

Importing this package is cheap; FastAPI, psycopg and the SDKs load when a module needs them.
"""
