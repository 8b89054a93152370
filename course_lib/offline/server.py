"""The stand-in's HTTP server: standard library only, one daemon thread per connection.

Each request goes: provider adapter (``registry.py``) -> route -> read body -> API key ->
injected faults -> JSON -> the adapter's ``handle`` -> JSON (with Content-Length) or Server-Sent
Events (chunked, one chunk per event, Nagle off so each event leaves at once). Keep-alive is on
(HTTP/1.1), as the SDKs' connection pools expect. Whatever differs between providers is asked
of the adapter; this module never names one.

Headers like the real APIs: ``x-request-id`` (OpenAI) / ``request-id`` (Anthropic), and rate-limit
headers with **fake, static values** (the stand-in has no rate limits unless you inject them).
"""

from __future__ import annotations

import json
import re
import socket
import socketserver
import sys
import time
import traceback
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

from course_lib.offline import errors, registry
from course_lib.offline.errors import ApiError
from course_lib.offline.exchange import Call, Reply
from course_lib.offline.faults import REGISTRY, Decision
from course_lib.offline.registry import Adapter
from course_lib.offline.sse import paced

MAX_BODY = 32 * 1024 * 1024  # the Messages API's documented request limit
CONTENT_LENGTH = re.compile(r"[0-9]{1,20}")


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive
    server_version = "course-lib-offline-stand-in"
    sys_version = ""

    def setup(self) -> None:
        super().setup()
        # Without this, Nagle's algorithm can hold a small SSE event back ~40 ms.
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def log_message(self, format: str, *args: object) -> None:
        pass  # quiet: notebooks and tests should not fill with access logs

    def do_GET(self) -> None:
        self.dispatch()

    do_POST = do_PUT = do_DELETE = do_PATCH = do_GET

    # -----------------------------------------------------------------------------------

    def dispatch(self) -> None:
        path = urlsplit(self.path).path.rstrip("/") or "/"
        adapter = registry.for_request(path, self.headers)
        request_id = "req_" + uuid.uuid4().hex[:24]
        self.cut_after: int | None = None  # fault injection: end a stream after N events,
        self.stream_error: int | None = None  # ... with this status's in-stream error event
        try:
            reply = self.answer(path, adapter, request_id)
        except ApiError as err:
            reply = Reply(
                adapter.errors.body(err, request_id), status=err.status, headers=err.headers
            )
        except Exception as exc:
            # A stand-in bug: answer like a provider's 500 and say where it broke.
            traceback.print_exc(file=sys.stderr)
            err = ApiError(500, f"The offline stand-in failed: {type(exc).__name__}: {exc}")
            reply = Reply(adapter.errors.body(err, request_id), status=500)
        try:
            self.send(reply, adapter, request_id)
        except (BrokenPipeError, ConnectionResetError, TimeoutError):
            self.close_connection = True  # the client went away (e.g. its timeout fired)

    def body_size(self) -> int:
        """The request body's length. When it cannot be known (chunked, a bad or negative
        Content-Length) or is too big to read, the connection closes after the error: the
        unread body would be taken for the next request."""
        if self.headers.get("transfer-encoding") is not None:
            self.close_connection = True
            raise errors.length_required()
        values = {v.strip() for v in self.headers.get_all("content-length") or []}
        if len(values) > 1 or not all(CONTENT_LENGTH.fullmatch(v) for v in values):
            self.close_connection = True
            raise errors.bad_content_length(", ".join(sorted(values)))
        size = int(values.pop()) if values else 0
        if size > MAX_BODY:
            self.close_connection = True
            raise errors.too_large(size, MAX_BODY)
        return size

    def answer(self, path: str, adapter: Adapter, request_id: str) -> Reply:
        size = self.body_size()
        raw = self.rfile.read(size) if size else b""
        if path == "/" and self.command == "GET":
            return Reply(
                {
                    "service": "course_lib offline stand-in",
                    **{f"{a.name}_base_url": a.base_path for a in registry.ADAPTERS.values()},
                    "docs": "course_lib/offline/README.md",
                }
            )
        route = (self.command, "/v1/models" if path.startswith("/v1/models/") else path)
        if route not in adapter.routes:
            raise adapter.errors.route_not_found(self.command, path)
        key = adapter.api_key(self.headers)
        if not key:
            raise adapter.errors.missing_key()
        if not key.startswith("offline"):
            raise adapter.errors.invalid_key(key)
        try:
            body = json.loads(raw) if raw.strip() else ({} if self.command == "GET" else None)
        except ValueError as exc:
            body, problem = None, str(exc)
        else:
            problem = "the body is empty" if body is None else "expected a JSON object"
        decision = self.faults(adapter, body)
        if not isinstance(body, dict):
            raise adapter.errors.bad_json(problem)
        query = parse_qs(urlsplit(self.path).query, keep_blank_values=True)
        call = Call(self.command, path, self.headers, body, request_id, query=query)
        reply = adapter.handle(call)
        reply.delay = decision.token_delay
        return reply

    def faults(self, adapter: Adapter, body: object) -> Decision:
        """Apply injected faults: wait, then maybe raise the requested error."""
        try:
            stream = isinstance(body, dict) and body.get("stream") is True
            decision = REGISTRY.decide(self.headers.get("x-offline-fault"), stream=stream)
        except ValueError as exc:
            raise ApiError(400, str(exc), param="x-offline-fault") from None
        if decision.latency:
            time.sleep(decision.latency)
        if decision.status:
            model = body.get("model") if isinstance(body, dict) else None
            raise adapter.errors.injected(
                decision.status, decision.retry_after, str(model or "the model")
            )
        self.cut_after, self.stream_error = decision.cut_after, decision.stream_error
        return decision

    def send(self, reply: Reply, adapter: Adapter, request_id: str) -> None:
        self.send_response(reply.status)
        headers = {
            adapter.request_id_header: request_id,
            **adapter.rate_limit_headers(),
            **reply.headers,
        }
        if reply.events is None:
            data = json.dumps(reply.body, ensure_ascii=False).encode()
            headers |= {"content-type": "application/json", "content-length": str(len(data))}
        else:
            headers |= {
                "content-type": "text/event-stream; charset=utf-8",
                "cache-control": "no-cache",
                "transfer-encoding": "chunked",
            }
        if self.close_connection:
            headers["connection"] = "close"
        for name, value in headers.items():
            self.send_header(name, value)
        self.end_headers()
        if reply.events is None:
            self.wfile.write(data)
            return
        try:
            for sent, frame in enumerate(paced(reply.events, reply.delay)):
                if self.cut_after is not None and sent >= self.cut_after:
                    if self.stream_error is None:
                        self.close_connection = True  # hang up mid-reply: no final chunk
                        return
                    frame = adapter.errors.stream_error(self.stream_error, request_id)
                    self.wfile.write(b"%x\r\n%s\r\n" % (len(frame), frame))
                    break
                self.wfile.write(b"%x\r\n%s\r\n" % (len(frame), frame))
        except (BrokenPipeError, ConnectionResetError, TimeoutError):
            raise
        except (
            Exception
        ):  # a stand-in bug mid-stream: cut the stream, as a dropped connection would
            traceback.print_exc(file=sys.stderr)
            self.close_connection = True
            return
        self.wfile.write(b"0\r\n\r\n")


class _HTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 128  # 50+ clients may connect at once
    allow_reuse_address = True

    def server_bind(self) -> None:
        # HTTPServer.server_bind calls socket.getfqdn(), a reverse-DNS lookup that can take
        # seconds on a badly configured machine; the stand-in only needs the address.
        socketserver.TCPServer.server_bind(self)
        self.server_name, self.server_port = self.server_address[:2]

    def handle_error(self, request: object, client_address: object) -> None:
        # A client that hangs up between keep-alive requests is normal, not worth a traceback.
        if isinstance(sys.exc_info()[1], ConnectionError | TimeoutError):
            return
        super().handle_error(request, client_address)
