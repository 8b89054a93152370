"""OpenAI's error shape, and the errors the server raises before OpenAI's routes see a request.

    {"error": {"message": ..., "type": ..., "param": ..., "code": ...}}
"""

from __future__ import annotations

from course_lib.offline.errors import ApiError, mask_key, retry_headers


def body(err: ApiError, request_id: str) -> dict:
    """The JSON body of ``err`` as OpenAI sends it (OpenAI puts no request id in the body)."""
    kind = err.type or ("server_error" if err.status >= 500 else "invalid_request_error")
    return {"error": {"message": err.message, "type": kind, "param": err.param, "code": err.code}}


def missing_key() -> ApiError:
    return ApiError(
        401,
        "You didn't provide an API key. You need to provide your API key in an Authorization "
        "header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY). The offline stand-in "
        "accepts any key that starts with 'offline'.",
    )


def invalid_key(key: str) -> ApiError:
    return ApiError(
        401,
        f"Incorrect API key provided: {mask_key(key)}. You can find your API key at "
        "https://platform.openai.com/account/api-keys. (The offline stand-in accepts keys "
        "starting with 'offline'.)",
        code="invalid_api_key",
    )


def route_not_found(method: str, path: str) -> ApiError:
    return ApiError(404, f"Invalid URL ({method} {path})")


def bad_json(detail: str) -> ApiError:
    return ApiError(
        400,
        "We could not parse the JSON body of your request. (HINT: This likely means you aren't "
        "using your HTTP library correctly. The OpenAI API expects a JSON payload, but what was "
        f"sent was not valid JSON.) {detail}",
    )


def injected(status: int, retry_after: float, model: str) -> ApiError:
    """The error a fault plan asks for, as OpenAI words it (see :func:`retry_headers`)."""
    note = " (injected by the offline stand-in's fault injection)"
    headers = retry_headers(status, retry_after)
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


def stream_error(status: int, request_id: str) -> bytes:
    """The error OpenAI sends inside a stream that has already begun: ``data: {"error": {...}}``
    (the SDK raises the base ``APIError``; fault injection, lesson 7.22)."""
    from course_lib.offline.sse import sse

    return sse({"error": body(injected(status, 0.0, "the model"), request_id)["error"]})
