"""Anthropic's error shape, and the errors the server raises before Anthropic's routes see a
request.

    {"type": "error", "error": {"type": ..., "message": ...}, "request_id": "req_..."}
"""

from __future__ import annotations

from course_lib.offline.errors import ApiError, retry_headers

# Anthropic's error.type for each status (docs.claude.com/en/api/errors).
TYPES = {
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


def body(err: ApiError, request_id: str) -> dict:
    """The JSON body of ``err`` as Anthropic sends it."""
    kind = err.type or TYPES.get(
        err.status, "api_error" if err.status >= 500 else "invalid_request_error"
    )
    return {
        "type": "error",
        "error": {"type": kind, "message": err.message},
        "request_id": request_id,
    }


def missing_key() -> ApiError:
    return ApiError(401, "x-api-key header is required")


def invalid_key(key: str) -> ApiError:
    return ApiError(
        401, "invalid x-api-key (the offline stand-in accepts keys starting with 'offline')"
    )


def route_not_found(method: str, path: str) -> ApiError:
    return ApiError(404, "Not Found")


def bad_json(detail: str) -> ApiError:
    return ApiError(400, f"There was an error parsing the body of your request: {detail}")


MESSAGES = {
    429: "This request would exceed the rate limit for your organization of 50 requests per minute.",
    500: "Internal server error",
    529: "Overloaded",
    503: "Overloaded",
}


def injected(status: int, retry_after: float, model: str) -> ApiError:
    """The error a fault plan asks for, as Anthropic words it (see :func:`retry_headers`)."""
    note = " (injected by the offline stand-in's fault injection)"
    return ApiError(
        status,
        MESSAGES.get(status, f"Injected error {status}.") + note,
        headers=retry_headers(status, retry_after),
    )


def stream_error(status: int, request_id: str) -> bytes:
    """The error Anthropic sends inside a stream that has already begun (after the HTTP 200):
    ``event: error`` with ``{"type": "error", "error": {...}}`` (fault injection, lesson 7.22)."""
    from course_lib.offline.sse import sse

    data = body(injected(status, 0.0, "the model"), request_id)
    return sse({"type": "error", "error": data["error"]}, event="error")
