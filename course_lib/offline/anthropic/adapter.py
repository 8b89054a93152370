"""Anthropic's side of the server: what the server needs to know about Anthropic before its
routes run.

Its paths, how it sends the key, its request-id and (fake) rate-limit headers, and its error
shapes; :meth:`Anthropic.handle` passes a request to ``routes.py`` (imported on first use: it
loads the model table and the tokenizer).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from course_lib.offline import headers
from course_lib.offline.anthropic import errors as anthropic_errors
from course_lib.offline.exchange import Call, Reply

RATE_LIMITS = (
    ("requests", 4000),
    ("tokens", 2000000),
    ("input-tokens", 2000000),
    ("output-tokens", 400000),
)


class Anthropic:
    name = "anthropic"
    base_path = "/"  # the SDK's base_url is the server's URL (it adds /v1/... itself)
    prefixes = ("/v1/messages",)  # paths that are Anthropic's whatever the headers say
    signal = "anthropic-version"  # the SDK sends it on every request, /v1/models included
    routes = frozenset(
        {("POST", "/v1/messages"), ("POST", "/v1/messages/count_tokens"), ("GET", "/v1/models")}
    )
    errors = anthropic_errors  # its error body and the errors the server raises for it
    request_id_header = "request-id"

    def api_key(self, request_headers: Mapping[str, str]) -> str | None:
        """``x-api-key``, or ``Authorization: Bearer`` (what the SDK sends)."""
        return request_headers.get("x-api-key") or headers.bearer(request_headers)

    def rate_limit_headers(self) -> dict[str, str]:
        """Plausible, static, FAKE values: the stand-in enforces no limits of its own."""
        reset = (dt.datetime.now(dt.UTC) + dt.timedelta(seconds=1)).strftime(
            "%Y-%m-%dT%H:%M:%SZ"
        )
        out = {}
        for kind, limit in RATE_LIMITS:
            out |= {
                f"anthropic-ratelimit-{kind}-limit": str(limit),
                f"anthropic-ratelimit-{kind}-remaining": str(limit - 1),
                f"anthropic-ratelimit-{kind}-reset": reset,
            }
        return out

    def handle(self, call: Call) -> Reply:
        from course_lib.offline.anthropic import routes

        return routes.handle(call)


ADAPTER = Anthropic()
