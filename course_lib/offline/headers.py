"""What request headers tell the server, and the extra headers every response carries."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from course_lib.offline.errors import Provider


def provider_for(path: str, headers: Mapping[str, str]) -> Provider:
    """Which provider's conventions apply (``/v1/models`` exists at both: the SDK headers decide)."""
    if path.startswith("/v1/messages") or (
        headers.get("anthropic-version") and not path.startswith("/v1/chat")
    ):
        return "anthropic"
    return "openai"


def api_key(provider: Provider, headers: Mapping[str, str]) -> str | None:
    """OpenAI: ``Authorization: Bearer``; Anthropic: ``x-api-key`` or ``Authorization: Bearer``."""
    auth = headers.get("authorization") or ""
    bearer = auth[7:].strip() if auth.lower().startswith("bearer ") else None
    return (headers.get("x-api-key") or bearer) if provider == "anthropic" else bearer


def rate_limit_headers(provider: Provider) -> dict[str, str]:
    """Plausible, static, FAKE values: the stand-in enforces no limits of its own."""
    if provider == "openai":
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
    reset = (dt.datetime.now(dt.UTC) + dt.timedelta(seconds=1)).strftime("%Y-%m-%dT%H:%M:%SZ")
    out = {}
    for kind, limit in (
        ("requests", 4000),
        ("tokens", 2000000),
        ("input-tokens", 2000000),
        ("output-tokens", 400000),
    ):
        out |= {
            f"anthropic-ratelimit-{kind}-limit": str(limit),
            f"anthropic-ratelimit-{kind}-remaining": str(limit - 1),
            f"anthropic-ratelimit-{kind}-reset": reset,
        }
    return out
