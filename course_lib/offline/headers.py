"""Request headers both providers read the same way. (Which provider a request is for:
``registry.py``; each provider's key header and its fake rate-limit headers: its ``adapter.py``.)"""

from __future__ import annotations

from collections.abc import Mapping


def bearer(headers: Mapping[str, str]) -> str | None:
    """The token of ``Authorization: Bearer <token>``, if the request has one."""
    auth = headers.get("authorization") or ""
    return auth[7:].strip() if auth.lower().startswith("bearer ") else None
