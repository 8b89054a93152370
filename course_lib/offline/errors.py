"""Errors the stand-in returns: :class:`ApiError`, and the few that read the same for both providers.

An adapter raises :class:`ApiError`; the server renders it in the shape of the provider that was
called (``openai/errors.py``, ``anthropic/errors.py``):

    OpenAI:    {"error": {"message": ..., "type": ..., "param": ..., "code": ...}}
    Anthropic: {"type": "error", "error": {"type": ..., "message": ...}, "request_id": "req_..."}

The SDKs choose their exception class from the HTTP status (400 -> BadRequestError,
401 -> AuthenticationError, 404 -> NotFoundError, 429 -> RateLimitError, 5xx ->
InternalServerError, Anthropic 529 -> OverloadedError), so the status is what matters most;
the bodies follow the providers' documented shapes so that ``err.body`` reads like the real thing.
"""

from __future__ import annotations

import math


class ApiError(Exception):
    """An HTTP error response. ``type`` is the provider's ``error.type`` when one applies."""

    def __init__(
        self,
        status: int,
        message: str,
        *,
        type: str | None = None,
        param: str | None = None,
        code: str | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.type = type
        self.param = param
        self.code = code
        self.headers = headers or {}


def mask_key(key: str) -> str:
    """Show a key the way OpenAI's 401 does, never in full: ``abc************wxyz``.

    Short keys are masked completely, since their first and last characters would be most of them.
    """
    if len(key) < 16:
        return "*" * len(key)
    return key[:3] + "*" * (len(key) - 7) + key[-4:]


# ---------------------------------------------------------------------------------------
# Errors the server itself raises, before any adapter sees the request, worded the same for
# both providers. (Those worded per provider are in ``openai/errors.py`` and ``anthropic/errors.py``.)


def too_large(size: int, limit: int) -> ApiError:
    return ApiError(413, f"Request exceeds the maximum allowed number of bytes ({size} > {limit}).")


def length_required() -> ApiError:
    """A body sent with ``Transfer-Encoding`` (chunked): the stand-in reads only Content-Length."""
    return ApiError(
        411,
        "Length Required: send the request body with a Content-Length header (the offline "
        "stand-in does not read chunked request bodies).",
        type="invalid_request_error",
    )


def bad_content_length(value: str) -> ApiError:
    return ApiError(
        400, f"Invalid Content-Length header {value!r}: expected one non-negative integer."
    )


def retry_headers(status: int, retry_after: float) -> dict[str, str]:
    """``retry-after`` on an injected 429/503/529, like the real APIs.

    ``retry-after`` carries whole seconds (as the real APIs do); ``retry-after-ms`` carries the
    exact value, and both SDKs prefer it, so ``retry_after=0.01`` keeps retry tests fast.
    A value of 0 sends ``retry-after: 0``, which both SDKs treat as "no advice" and fall back
    to their own exponential backoff (0.5 s, 1 s, ...).
    """
    headers: dict[str, str] = {}
    if status in (429, 503, 529):
        headers["retry-after"] = str(math.ceil(retry_after))
        headers["retry-after-ms"] = str(round(retry_after * 1000))
    return headers
