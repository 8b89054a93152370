"""Which provider a request is for: the ONLY place in the HTTP layer that maps a path, a header
or a provider's name to that provider's adapter.

An adapter (``openai/adapter.py``, ``anthropic/adapter.py``) tells the server everything it needs
about its provider: which paths and header claim a request, the routes it serves, how it reads
the key, its request-id and rate-limit headers, its error shapes, and ``handle(call)``. The
server asks the adapter and never branches on a provider's name. A third provider is one more
folder with an ``adapter.py`` and one more line in ``ADAPTERS``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Protocol

from course_lib.offline.anthropic.adapter import ADAPTER as ANTHROPIC
from course_lib.offline.errors import ApiError
from course_lib.offline.exchange import Call, Reply
from course_lib.offline.openai.adapter import ADAPTER as OPENAI


class ProviderErrors(Protocol):
    """A provider's ``errors.py``: its error body, and the errors the server raises before the
    provider's routes see a request."""

    def body(self, err: ApiError, request_id: str) -> dict: ...
    def missing_key(self) -> ApiError: ...
    def invalid_key(self, key: str) -> ApiError: ...
    def route_not_found(self, method: str, path: str) -> ApiError: ...
    def bad_json(self, detail: str) -> ApiError: ...
    def injected(self, status: int, retry_after: float, model: str) -> ApiError: ...
    def stream_error(self, status: int, request_id: str) -> bytes: ...


class Adapter(Protocol):
    name: str  # as in data/models.csv's provider column
    base_path: str  # the SDK's base_url is the server's URL + this
    prefixes: tuple[str, ...]  # paths that are this provider's whatever the headers say
    signal: str | None  # a request header that names this provider (None: no such header)
    routes: frozenset[tuple[str, str]]  # (method, path); model ids are served under /v1/models
    errors: ProviderErrors
    request_id_header: str

    def api_key(self, request_headers: Mapping[str, str]) -> str | None: ...
    def rate_limit_headers(self) -> dict[str, str]: ...
    def handle(self, call: Call) -> Reply: ...


# The first is the default: a request that neither a path nor a header claims (OpenAI's SDK
# sends no provider header, and /v1/models exists at both) gets its conventions.
ADAPTERS: dict[str, Adapter] = {OPENAI.name: OPENAI, ANTHROPIC.name: ANTHROPIC}


def for_request(path: str, headers: Mapping[str, str]) -> Adapter:
    """The adapter whose conventions apply: the path decides (``/v1/chat/…``,
    ``/v1/messages…``); otherwise a provider's header (``anthropic-version``); otherwise the
    default."""
    for adapter in ADAPTERS.values():
        if path.startswith(adapter.prefixes):
            return adapter
    for adapter in ADAPTERS.values():
        if adapter.signal and headers.get(adapter.signal):
            return adapter
    return next(iter(ADAPTERS.values()))


def by_name(name: str) -> Adapter:
    """``by_name("anthropic")``: the adapter for a provider named as in data/models.csv."""
    return ADAPTERS[name]
