"""course_lib.http_view: exchanges print readably, with credentials and ids masked."""

import httpx
import httpx2
import pytest

from course_lib.http_view import mask_secret, redact, safe_headers, show_exchange

KEY = "offline-" + "Zx9Qw8Er7Ty6Ui5Op4As3Df2"
BODY = {"id": "chatcmpl-AbCdEf123", "object": "chat.completion", "created": 1764400000,
        "choices": [{"index": 0, "message": {"role": "assistant", "content": "Hi!",
                     "tool_calls": [{"id": "call_Xy12", "type": "function"}]}}]}


@pytest.mark.parametrize("module", [httpx, httpx2])
def test_request_and_response_with_masked_key_and_ids(module):
    request = module.Request("POST", "http://127.0.0.1:8000/v1/chat/completions",
                             headers={"Authorization": f"Bearer {KEY}", "X-Stainless-OS": "Linux"},
                             json={"model": "m", "messages": [{"role": "user", "content": "Hi"}]})
    response = module.Response(200, request=request, json=BODY,
                                headers={"x-request-id": "req_123abc", "x-ratelimit-limit-requests": "10"})
    text = str(show_exchange(response, response_headers=("content-type", "x-request-id", "x-ratelimit-*")))
    assert KEY[8:] not in text and "authorization: Bearer offl…" in text
    assert "x-stainless-os" not in text  # SDK platform headers are hidden by default
    assert text.startswith("POST http://127.0.0.1:8000/v1/chat/completions\n")
    assert "HTTP/1.1 200 OK" in text and "x-ratelimit-limit-requests: 10" in text
    assert "x-request-id: req_…" in text and "123abc" not in text
    assert '"id": "chatcmpl-…"' in text and '"id": "call_…"' in text and "AbCdEf" not in text
    assert '"created": "…"' in text and "1764400000" not in text
    assert '"content": "Hi!"' in text


def test_request_only_and_explicit_pair_agree():
    request = httpx.Request("GET", "https://api.example.com/v1/models", headers={"x-api-key": KEY})
    response = httpx.Response(401, request=request, json={"error": {"message": "no"}})
    assert str(show_exchange(request, response)) == str(show_exchange(response))
    alone = str(show_exchange(request))
    assert alone.startswith("GET https://api.example.com/v1/models") and "x-api-key: offl…" in alone
    assert "HTTP" not in alone


def test_unread_streamed_body_is_not_forced():
    def stream():
        yield b"data: {}\n\n"

    request = httpx.Request("POST", "http://x/v1/chat/completions", json={"stream": True})
    response = httpx.Response(200, request=request, content=stream(),
                              headers={"content-type": "text/event-stream"})
    assert "(streamed body: not read here)" in str(show_exchange(response))


def test_long_strings_are_shortened():
    request = httpx.Request("POST", "http://x/", json={"content": "word " * 200})
    text = str(show_exchange(request, max_string=20))
    assert "(1000 characters)" in text and "word " * 10 not in text


def test_helpers():
    assert mask_secret("Bearer short") == "Bearer …"
    assert mask_secret(KEY) == "offl…"
    assert safe_headers({"Authorization": "Bearer " + KEY, "Date": "x"}, ["authorization"]) == {
        "authorization": "Bearer offl…"}
    assert redact([{"id": 5}], fields=("id",)) == [{"id": "…"}]
    assert redact({"id": None}) == {"id": None}
    schema = {"properties": {"id": {"type": "string"}}}
    assert redact(schema) == schema
