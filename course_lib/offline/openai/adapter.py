"""OpenAI's side of the server: what the server needs to know about OpenAI before its routes run.

Its paths, how it sends the key, its request-id and (fake) rate-limit headers, and its error
shapes; :meth:`OpenAI.handle` passes a request to ``routes.py`` (imported on first use: it loads
the model table and the tokenizer).
"""

from __future__ import annotations

from collections.abc import Mapping

from course_lib.offline import headers
from course_lib.offline.exchange import Call, Reply
from course_lib.offline.openai import errors as openai_errors


class OpenAI:
    name = "openai"
    base_path = "/v1"  # the SDK's base_url is the server's URL + this
    prefixes = ("/v1/chat", "/v1/embeddings")  # paths that are OpenAI's whatever the headers say
    signal = None  # OpenAI's SDK sends no header that names the provider: it is the default
    routes = frozenset(
        {("POST", "/v1/chat/completions"), ("POST", "/v1/embeddings"), ("GET", "/v1/models")}
    )
    errors = openai_errors  # its error body and the errors the server raises for it
    request_id_header = "x-request-id"

    def api_key(self, request_headers: Mapping[str, str]) -> str | None:
        """``Authorization: Bearer``."""
        return headers.bearer(request_headers)

    def rate_limit_headers(self) -> dict[str, str]:
        """Plausible, static, FAKE values: the stand-in enforces no limits of its own."""
        return {
            "x-ratelimit-limit-requests": "10000",
            "x-ratelimit-remaining-requests": "9999",
            "x-ratelimit-reset-requests": "6ms",
            "x-ratelimit-limit-tokens": "10000000",
            "x-ratelimit-remaining-tokens": "9999000",
            "x-ratelimit-reset-tokens": "6ms",
            "openai-version": "2020-10-01",
            "openai-processing-ms": "1",
        }

    def handle(self, call: Call) -> Reply:
        from course_lib.offline.openai import routes

        return routes.handle(call)


ADAPTER = OpenAI()
