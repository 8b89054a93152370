"""Errors the stand-in returns, in each provider's real JSON shape.

An adapter raises :class:`ApiError`; the server renders it for the provider that was called:

    OpenAI:    {"error": {"message": ..., "type": ..., "param": ..., "code": ...}}
    Anthropic: {"type": "error", "error": {"type": ..., "message": ...}, "request_id": "req_..."}

The SDKs choose their exception class from the HTTP status (400 -> BadRequestError,
401 -> AuthenticationError, 404 -> NotFoundError, 429 -> RateLimitError, 5xx ->
InternalServerError, Anthropic 529 -> OverloadedError), so the status is what matters most;
the bodies follow the providers' documented shapes so that ``err.body`` reads like the real thing.
"""

from __future__ import annotations

import math
from typing import Literal

Provider = Literal["openai", "anthropic"]

# Anthropic's error.type for each status (docs.claude.com/en/api/errors).
ANTHROPIC_TYPES = {
    400: "invalid_request_error",
    401: "authentication_error",
    402: "billing_error",
    403: "permission_error",
    404: "not_found_error",
    409: "conflict_error",
    413: "request_too_large",
    429: "rate_limit_error",
    500: "api_error",
    503: "overloaded_error",
    529: "overloaded_error",
}


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


def body(provider: Provider, err: ApiError, request_id: str) -> dict:
    """The JSON body of ``err`` as ``provider`` would send it."""
    if provider == "anthropic":
        kind = err.type or ANTHROPIC_TYPES.get(
            err.status, "api_error" if err.status >= 500 else "invalid_request_error"
        )
        return {
            "type": "error",
            "error": {"type": kind, "message": err.message},
            "request_id": request_id,
        }
    kind = err.type or ("server_error" if err.status >= 500 else "invalid_request_error")
    return {"error": {"message": err.message, "type": kind, "param": err.param, "code": err.code}}


def mask_key(key: str) -> str:
    """Show a key the way OpenAI's 401 does, never in full: ``abc************wxyz``.

    Short keys are masked completely, since their first and last characters would be most of them.
    """
    if len(key) < 16:
        return "*" * len(key)
    return key[:3] + "*" * (len(key) - 7) + key[-4:]


# ---------------------------------------------------------------------------------------
# Errors the server itself raises, before any adapter sees the request.


def missing_key(provider: Provider) -> ApiError:
    if provider == "anthropic":
        return ApiError(401, "x-api-key header is required")
    return ApiError(
        401,
        "You didn't provide an API key. You need to provide your API key in an Authorization "
        "header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY). The offline stand-in "
        "accepts any key that starts with 'offline'.",
    )


def invalid_key(provider: Provider, key: str) -> ApiError:
    if provider == "anthropic":
        return ApiError(
            401, "invalid x-api-key (the offline stand-in accepts keys starting with 'offline')"
        )
    return ApiError(
        401,
        f"Incorrect API key provided: {mask_key(key)}. You can find your API key at "
        "https://platform.openai.com/account/api-keys. (The offline stand-in accepts keys "
        "starting with 'offline'.)",
        code="invalid_api_key",
    )


def route_not_found(provider: Provider, method: str, path: str) -> ApiError:
    if provider == "anthropic":
        return ApiError(404, "Not Found")
    return ApiError(404, f"Invalid URL ({method} {path})")


def bad_json(provider: Provider, detail: str) -> ApiError:
    if provider == "anthropic":
        return ApiError(400, f"There was an error parsing the body of your request: {detail}")
    return ApiError(
        400,
        "We could not parse the JSON body of your request. (HINT: This likely means you aren't "
        "using your HTTP library correctly. The OpenAI API expects a JSON payload, but what was "
        f"sent was not valid JSON.) {detail}",
    )


def too_large(provider: Provider, size: int, limit: int) -> ApiError:
    return ApiError(413, f"Request exceeds the maximum allowed number of bytes ({size} > {limit}).")


def length_required(provider: Provider) -> ApiError:
    """A body sent with ``Transfer-Encoding`` (chunked): the stand-in reads only Content-Length."""
    return ApiError(
        411,
        "Length Required: send the request body with a Content-Length header (the offline "
        "stand-in does not read chunked request bodies).",
        type="invalid_request_error",
    )


def bad_content_length(provider: Provider, value: str) -> ApiError:
    return ApiError(
        400, f"Invalid Content-Length header {value!r}: expected one non-negative integer."
    )


def injected(provider: Provider, status: int, retry_after: float, model: str) -> ApiError:
    """The error a fault plan asks for, with ``retry-after`` on 429/503/529 like the real APIs.

    ``retry-after`` carries whole seconds (as the real APIs do); ``retry-after-ms`` carries the
    exact value, and both SDKs prefer it, so ``retry_after=0.01`` keeps retry tests fast.
    A value of 0 sends ``retry-after: 0``, which both SDKs treat as "no advice" and fall back
    to their own exponential backoff (0.5 s, 1 s, ...).
    """
    note = " (injected by the offline stand-in's fault injection)"
    headers: dict[str, str] = {}
    if status in (429, 503, 529):
        headers["retry-after"] = str(math.ceil(retry_after))
        headers["retry-after-ms"] = str(round(retry_after * 1000))
    if provider == "openai":
        if status == 529:  # OpenAI has no 529; its "overloaded" is a 503
            status = 503
        if status == 429:
            return ApiError(
                429,
                f"Rate limit reached for {model} in organization org-offline on requests per min "
                f"(RPM): Limit 500, Used 500, Requested 1. Please try again in "
                f"{retry_after:g}s.{note}",
                type="requests",
                code="rate_limit_exceeded",
                headers=headers,
            )
        if status == 503:
            return ApiError(
                503,
                "The server is overloaded or not ready yet." + note,
                type="service_unavailable_error",
                code="server_is_overloaded",
                headers=headers,
            )
        if status >= 500:
            return ApiError(
                status,
                "The server had an error while processing your request. Sorry about that!" + note,
                headers=headers,
            )
        return ApiError(status, f"Injected error {status}.{note}", headers=headers)
    messages = {
        429: "This request would exceed the rate limit for your organization of 50 requests per minute.",
        500: "Internal server error",
        529: "Overloaded",
        503: "Overloaded",
    }
    return ApiError(
        status, messages.get(status, f"Injected error {status}.") + note, headers=headers
    )
