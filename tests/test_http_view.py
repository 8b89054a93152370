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


# --- sdk_fields: every field of the installed SDK's response types --------------------

COMPLETION = {"id": "chatcmpl-1", "object": "chat.completion", "created": 0, "model": "m",
              "choices": [{"index": 0, "finish_reason": "stop", "logprobs": None,
                           "message": {"role": "assistant", "content": "Hi!"}}],
              "usage": {"prompt_tokens": 5, "completion_tokens": 2, "total_tokens": 7,
                        "prompt_tokens_details": {"cached_tokens": 0}},
              "a_field_from_the_future": {"x": 1}}


def _walk(model_type, prefix=""):
    """Every field path of a model type, opening the nested types the completion fills in."""
    from openai.types import CompletionUsage
    from openai.types.chat import ChatCompletionMessage
    from openai.types.chat.chat_completion import Choice
    from openai.types.completion_usage import PromptTokensDetails

    opened = {"choices": (Choice, "[0]."), "message": (ChatCompletionMessage, "."),
              "usage": (CompletionUsage, "."), "prompt_tokens_details": (PromptTokensDetails, ".")}
    for name in model_type.model_fields:
        yield prefix + name
        if name in opened:
            inner, sep = opened[name]
            yield from _walk(inner, prefix + name + sep)


def test_sdk_fields_lists_every_field_of_the_installed_types():
    from openai.types.chat import ChatCompletion

    from course_lib.http_view import sdk_fields

    rows = sdk_fields(ChatCompletion.model_validate(COMPLETION))
    paths = [r["field"] for r in rows]
    assert paths[:-1] == list(_walk(ChatCompletion))  # SDK order, nothing missing or made up
    assert paths[-1] == "a_field_from_the_future"  # sent by the server, unknown to this SDK
    by_path = {r["field"]: r for r in rows}
    assert by_path["id"]["doc"] == "A unique identifier for the chat completion."
    assert by_path["choices"]["value"] == "[1 item]" and by_path["usage"]["value"] == "{…}"
    assert by_path["choices[0].message.content"]["value"] == "Hi!"
    assert by_path["usage.prompt_tokens"]["sent"] and not by_path["system_fingerprint"]["sent"]
    assert by_path["choices[0].logprobs"]["sent"]  # sent as null: present, value None
    assert all(r["doc"] for r in rows), "every field has the SDK's description"


def test_field_docs_first_sentence_without_links_and_empty_without_source():
    from openai.types.chat import ChatCompletionMessage

    from course_lib.http_view import field_docs

    docs = field_docs(ChatCompletionMessage)
    assert docs["annotations"].startswith("Annotations for the message")
    assert "](" not in docs["annotations"] and "http" not in docs["annotations"]
    assert docs["function_call"] == "Deprecated and replaced by `tool_calls`."
    assert field_docs(int) == {}
