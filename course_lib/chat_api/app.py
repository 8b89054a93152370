"""The FastAPI app: routes, request models, errors, request-id logs.

Stateless between requests: every fact lives in PostgreSQL, so ``--workers N`` processes (or
N machines behind a load balancer, on one database) serve the same users.
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
import uuid
from contextlib import asynccontextmanager
from typing import Annotated, Any

import anyio
from fastapi import Depends, FastAPI, HTTPException, Request
from starlette.exceptions import HTTPException as StarletteHTTPException
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field, StrictBool, StrictStr
from sse_starlette import EventSourceResponse

from course_lib import tokens
from course_lib.chat_api import auth, costs, db, prompts, store
from course_lib.chat_api import settings as settings_module
from course_lib.chat_api.provider import Provider, ProviderError, Turn

log = logging.getLogger("course_lib.chat_api")
DEFAULT_SYSTEM = ("You are a helpful assistant in a course about LLM APIs. Answer briefly. "
                  "For any arithmetic, call the calculator tool instead of computing in your head.")
MAX_BODY = 1_000_000  # bytes; a larger request is refused (413) before it is read


# ---------------------------------------------------------------------------------------
# Request bodies: unknown fields are an error, not silently ignored


class NewConversation(BaseModel):
    model_config = ConfigDict(extra="forbid")
    system: StrictStr | None = Field(None, min_length=1, max_length=20_000)
    budget_usd: float | None = Field(None, gt=0, le=100)


class NewMessage(BaseModel):
    model_config = ConfigDict(extra="forbid")
    content: StrictStr = Field(min_length=1)
    stream: StrictBool = False


class Expression(BaseModel):
    model_config = ConfigDict(extra="forbid")
    expression: StrictStr = Field(min_length=1)


def error(status: int, kind: str, message: str, headers: dict[str, str] | None = None) -> JSONResponse:
    return JSONResponse({"error": {"type": kind, "message": message}}, status, headers=headers)


# ---------------------------------------------------------------------------------------
# Request ids and one log line per request (pure ASGI, so streaming is never buffered)


class RequestLog:
    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: dict, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        headers = dict(scope.get("headers") or [])
        given = headers.get(b"x-request-id", b"").decode("latin-1")
        request_id = given if given.isascii() and 0 < len(given) <= 64 else uuid.uuid4().hex[:16]
        scope.setdefault("state", {})["request_id"] = request_id
        started, status = time.perf_counter(), [0]
        length = headers.get(b"content-length", b"0")
        if length.isdigit() and int(length) > MAX_BODY:
            response = error(413, "too_large", f"request bodies are limited to {MAX_BODY:,} bytes")
            response.headers["x-request-id"] = request_id
            return await response(scope, receive, send)

        async def send_with_id(message: dict) -> None:
            if message["type"] == "http.response.start":
                status[0] = message["status"]
                message["headers"] = [*message.get("headers", []),
                                      (b"x-request-id", request_id.encode())]
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        finally:  # never the Authorization header, never a body
            log.info(json.dumps({"request_id": request_id, "method": scope["method"],
                                 "path": scope["path"], "status": status[0],
                                 "ms": round((time.perf_counter() - started) * 1000, 1)}))


class CoalesceWrites:
    """Streamed body chunks made in one turn of the event loop leave in one socket write.

    A provider's stream often arrives several events per network read; relayed one by one,
    each SSE event would cost a system call (the largest single item in the API's profile at
    50 concurrent streams, bench/profile_chat_api.py). Here each chunk is queued and a flush
    task writes the queue once the route pauses to wait for the provider, so nothing is
    delayed longer than it takes to handle what already arrived. Backpressure stays: past
    ``LIMIT`` queued bytes the route waits for the flush. Other messages pass straight through
    (after anything queued).
    """

    LIMIT = 64 * 1024

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: dict, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        queued: list[bytes] = []
        size = 0
        flusher: asyncio.Task | None = None

        async def flush() -> None:
            nonlocal size
            while queued:
                body = b"".join(queued)
                queued.clear()
                size = 0
                await send({"type": "http.response.body", "body": body, "more_body": True})

        async def wait_for_flush() -> None:
            nonlocal flusher
            task, flusher = flusher, None
            if task is not None:
                await task  # re-raises what the write raised

        async def coalescing_send(message: dict) -> None:
            nonlocal size, flusher
            if flusher is not None and flusher.done():
                await wait_for_flush()
            if message["type"] == "http.response.body" and message.get("more_body"):
                queued.append(message.get("body", b""))
                size += len(queued[-1])
                if flusher is None:
                    flusher = asyncio.get_running_loop().create_task(flush())
                elif size > self.LIMIT:
                    await wait_for_flush()
                return
            await wait_for_flush()
            if queued:
                await flush()
            await send(message)

        try:
            await self.app(scope, receive, coalescing_send)
        finally:
            if flusher is not None and not flusher.done():
                flusher.cancel()


# ---------------------------------------------------------------------------------------


async def user(request: Request) -> dict[str, Any]:
    key = auth.bearer(request.headers.get("authorization"))
    found = None
    if key:
        async with request.app.state.pool.connection() as conn:
            found = await store.user_for_key(conn, key)
    if found is None:
        raise HTTPException(401, "missing or wrong API key: send 'Authorization: Bearer <key>' "
                            "(python -m course_lib.chat_api add-user NAME makes one)",
                            headers={"WWW-Authenticate": "Bearer"})
    return found


User = Annotated[dict[str, Any], Depends(user)]


@asynccontextmanager
async def lifespan(app: FastAPI):
    # In each worker process: one JSON line per request on stderr.
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    logging.getLogger("httpx").setLevel(logging.WARNING)  # a line per provider call is noise
    settings = settings_module.load()
    app.state.settings = settings
    app.state.pool = await db.open_pool(db.database_url(settings))
    app.state.provider = Provider(settings)
    try:
        yield
    finally:
        await app.state.pool.close()


def create_app() -> FastAPI:
    app = FastAPI(title="course_lib chat API", version="1", lifespan=lifespan)
    app.add_middleware(CoalesceWrites)
    app.add_middleware(RequestLog)

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError) -> JSONResponse:
        problems = exc.errors()
        if any(p.get("type") == "json_invalid" for p in problems):
            return error(400, "invalid_json", "the request body is not valid JSON")
        words = "; ".join(f"{'.'.join(str(x) for x in p.get('loc', ()) if x != 'body') or 'body'}"
                          f": {p.get('msg')}" for p in problems)
        return error(422, "invalid_request", words)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        kind = {401: "unauthorized", 402: "budget_exceeded", 404: "not_found",
                405: "method_not_allowed"}.get(
            exc.status_code, "error")
        return error(exc.status_code, kind, str(exc.detail), headers=exc.headers)

    @app.exception_handler(Exception)
    async def crashed(request: Request, exc: Exception) -> JSONResponse:
        request_id = request.scope.get("state", {}).get("request_id")
        log.exception("unhandled error (request %s)", request_id)
        return error(500, "internal_error", f"something broke on our side (request {request_id})")

    # -----------------------------------------------------------------------------------

    async def owned(conn: Any, conversation_id: uuid.UUID,
                    caller: dict) -> tuple[dict[str, Any], list[dict[str, Any]]]:
        """The caller's conversation and its messages (one round trip), or 404."""
        found, rows = await store.conversation_and_messages(conn, caller["id"], conversation_id)
        if found is None:  # someone else's looks exactly like one that does not exist
            raise HTTPException(404, f"no conversation {conversation_id}")
        return found, rows

    @app.get("/healthz")
    async def healthz(request: Request) -> JSONResponse:
        database: dict[str, Any] = {"ok": True}
        try:
            with anyio.fail_after(3):
                async with request.app.state.pool.connection() as conn:
                    await conn.execute("SELECT 1")
        except Exception as exc:  # reported, not raised: that is what a health check is for
            database = {"ok": False, "error": type(exc).__name__}
        body = {"status": "ok" if database["ok"] else "degraded", "database": database,
                "provider": request.app.state.provider.describe()}
        return JSONResponse(body, 200 if database["ok"] else 503)

    @app.post("/v1/conversations", status_code=201)
    async def new_conversation(request: Request, caller: User,
                               body: NewConversation | None = None) -> dict[str, Any]:
        body = body or NewConversation()
        settings, provider = request.app.state.settings, request.app.state.provider
        async with request.app.state.pool.connection() as conn:
            row = await store.create_conversation(
                conn, caller["id"], system=body.system or DEFAULT_SYSTEM, provider=provider.name,
                model=provider.model, budget_usd=body.budget_usd or settings.budget_usd)
        return jsonable(row)

    @app.get("/v1/conversations")
    async def list_conversations(request: Request, caller: User) -> dict[str, Any]:
        async with request.app.state.pool.connection() as conn:
            rows = await store.conversations(conn, caller["id"])
        return {"conversations": [jsonable(r) for r in rows]}

    @app.get("/v1/conversations/{conversation_id}")
    async def get_conversation(request: Request, conversation_id: uuid.UUID,
                               caller: User) -> dict[str, Any]:
        async with request.app.state.pool.connection() as conn:
            found, rows = await owned(conn, conversation_id, caller)
        return {**jsonable(found), "messages": [message_json(r) for r in rows],
                "cost": costs.summary(rows, budget_usd=found["budget_usd"])}

    @app.get("/v1/conversations/{conversation_id}/cost")
    async def get_cost(request: Request, conversation_id: uuid.UUID, caller: User) -> dict[str, Any]:
        async with request.app.state.pool.connection() as conn:
            found, rows = await owned(conn, conversation_id, caller)
        return costs.summary(rows, budget_usd=found["budget_usd"])

    @app.post("/v1/tools/calculator")
    async def calculate(body: Expression, caller: User) -> Any:
        from course_lib.tools import CalculatorError, calculator

        try:
            value = calculator.evaluate(body.expression)
        except CalculatorError as exc:  # an escape attempt is bad input, not a crash
            return error(422, "calculator_error", str(exc))
        return {"expression": body.expression, "result": str(value)}

    @app.post("/v1/conversations/{conversation_id}/messages")
    async def post_message(request: Request, conversation_id: uuid.UUID, body: NewMessage,
                           caller: User) -> Any:
        settings = request.app.state.settings
        if len(body.content) > settings.max_content or not body.content.strip():
            return error(422, "invalid_request", "content must be 1 to "
                         f"{settings.max_content:,} characters of text, not only spaces")
        pool = request.app.state.pool
        provider: Provider = request.app.state.provider
        # Three round trips to the database before the provider is called: the key (above, in
        # `user`), the conversation with its history, and the turn's two rows.
        async with pool.connection() as conn:
            found, before = await owned(conn, conversation_id, caller)
            # What the database will hold before the reply (not read back after the insert).
            rows = [*before, {"role": "user", "content": body.content, "status": "complete",
                              "tool_rounds": []}]
            history, _ = provider.history(rows)
            prompt_tokens = sum(map(prompts.row_tokens, history)) + tokens.count(found["system"])
            refused = costs.check_budget(before, model=found["model"],
                                         budget_usd=found["budget_usd"],
                                         prompt_tokens=prompt_tokens,
                                         max_output=settings.max_output)
            if refused:
                raise HTTPException(402, refused)
            _, reply_id = await store.start_turn(conn, conversation_id, body.content)
        turn = Turn()
        events = provider.run(turn, system=found["system"], rows=history,
                              key=prompts.cache_key(found["system"]), fault=request.headers.get("x-offline-fault"))

        async def save(status: str, message: str | None = None) -> None:
            with anyio.CancelScope(shield=True):  # a vanished client must not stop the write
                async with pool.connection() as conn:
                    await store.finish_turn(
                        conn, reply_id, content=turn.text, tool_rounds=turn.rounds, status=status,
                        columns=costs.usage_columns(turn.usage, found["model"]), error=message)

        try:  # the first event means the provider accepted the request (retries are over)
            await events.__anext__()
        except ProviderError as exc:
            await save("provider_error", exc.message)
            headers = {"Retry-After": str(round(exc.retry_after or 1))} if exc.status == 503 else None
            return JSONResponse(exc.body(), exc.status, headers=headers)

        if not body.stream:
            try:
                async for _ in events:
                    pass
            except ProviderError as exc:
                await save("provider_error", exc.message)
                return JSONResponse(exc.body(), exc.status)
            except BaseException:
                await save("interrupted", "the request ended before the reply was complete")
                raise
            await save("complete")
            return reply_json(reply_id, turn, found["model"])

        async def stream():
            status, message = "interrupted", "the client disconnected before the reply was complete"
            try:
                async for event, data in events:
                    yield {"event": event, "data": json.dumps(data)}
                status, message = "complete", None
                yield {"event": "done", "data": json.dumps(
                    {"message_id": str(reply_id), "cost_usd": turn.usage.cost(found["model"])})}
            except ProviderError as exc:
                status, message = "provider_error", exc.message
                yield {"event": "error", "data": json.dumps(exc.body()["error"])}
            except asyncio.CancelledError:
                raise
            except Exception as exc:  # a bug: say so in the stream, keep what was written
                log.exception("stream failed (request %s)", request.scope["state"]["request_id"])
                status, message = "interrupted", f"internal error: {type(exc).__name__}"
                yield {"event": "error", "data": json.dumps(
                    {"type": "internal_error", "message": "something broke on our side; the "
                     "partial reply is saved"})}
            finally:
                with anyio.CancelScope(shield=True):
                    await events.aclose()
                await save(status, message)

        return EventSourceResponse(stream(), ping=15)

    return app


# ---------------------------------------------------------------------------------------


def jsonable(row: dict[str, Any]) -> dict[str, Any]:
    return {k: (str(v) if isinstance(v, uuid.UUID) else v.isoformat() if hasattr(v, "isoformat")
                else v) for k, v in row.items()}


def message_json(row: dict[str, Any]) -> dict[str, Any]:
    out = jsonable(row)
    out["tool_calls"] = [{"id": c["id"], "name": c["name"], "arguments": c["arguments"],
                          "result": c["result"], "is_error": c["is_error"]}
                         for r in row["tool_rounds"] for c in r["calls"]]
    out["usage"] = costs.usage_json(costs.row_usage(row))
    for k in ("tool_rounds", "uncached_input_tokens", "cached_input_tokens", "cache_write_tokens",
              "output_tokens"):
        out.pop(k)
    return out


def reply_json(reply_id: uuid.UUID, turn: Turn, model: str) -> dict[str, Any]:
    return {"id": str(reply_id), "role": "assistant", "status": "complete", "content": turn.text,
            "tool_calls": [{"id": c["id"], "name": c["name"], "arguments": c["arguments"],
                            "result": c["result"], "is_error": c["is_error"]}
                           for r in turn.rounds for c in r["calls"]],
            "usage": costs.usage_json(turn.usage),
            "cost_usd": turn.usage.cost(model)}
