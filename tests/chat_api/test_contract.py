"""The HTTP contract of issue 14, driven over HTTP against the real server process."""

from __future__ import annotations

import uuid

import httpx
import pytest

from course_lib.usage import Usage
from tests.chat_api.conftest import headers, rows, sse

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def keys(server):
    return {"alice": server.add_user("alice"), "bob": server.add_user("bob")}


@pytest.fixture(scope="module")
def api(server, keys):
    clients = {name: httpx.Client(base_url=server.url, headers=headers(key), timeout=60)
               for name, key in keys.items()}
    clients["anonymous"] = httpx.Client(base_url=server.url, timeout=60)
    yield clients
    for client in clients.values():
        client.close()


def new_conversation(client, **body) -> str:
    response = client.post("/v1/conversations", json=body)
    assert response.status_code == 201, response.text
    return response.json()["id"]


def test_healthz_needs_no_key_and_names_database_and_provider(api):
    body = api["anonymous"].get("/healthz").json()
    assert body["database"]["ok"] is True
    assert body["provider"] == {"name": "openai", "model": body["provider"]["model"],
                                "backend": "offline stand-in"}


def test_add_user_prints_the_key_once_and_stores_only_its_hash(keys, database_url):
    stored = [r[0] for r in rows(database_url, "SELECT key_hash FROM users")]
    assert all(key not in stored for key in keys.values())
    assert all(key.startswith("ck_") and len(key) > 40 for key in keys.values())


@pytest.mark.parametrize("auth", [None, "Bearer wrong", "Basic abc", "Bearer"])
def test_v1_needs_the_right_key(api, auth):
    response = api["anonymous"].get("/v1/conversations",
                                    headers={"Authorization": auth} if auth else {})
    assert response.status_code == 401
    assert response.headers["www-authenticate"] == "Bearer"
    assert "add-user" in response.json()["error"]["message"]


def test_a_user_never_sees_or_touches_another_users_conversation(api):
    mine = new_conversation(api["alice"])
    assert mine in [c["id"] for c in api["alice"].get("/v1/conversations").json()["conversations"]]
    assert mine not in [c["id"] for c in api["bob"].get("/v1/conversations").json()["conversations"]]
    for method, path, body in [("GET", "", None), ("GET", "/cost", None),
                               ("POST", "/messages", {"content": "hi"})]:
        theirs = api["bob"].request(method, f"/v1/conversations/{mine}{path}", json=body)
        nobodys = api["bob"].request(method, f"/v1/conversations/{uuid.uuid4()}{path}", json=body)
        assert theirs.status_code == nobodys.status_code == 404  # not 403: nothing leaks
        assert theirs.json()["error"]["type"] == "not_found"


def test_streamed_reply_runs_the_calculator_and_is_stored_with_its_cost(api, database_url):
    conversation = new_conversation(api["alice"])
    response = api["alice"].post(f"/v1/conversations/{conversation}/messages",
                                 json={"content": "What is 1234 * 5678?", "stream": True})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/event-stream")
    events = sse(response.text)
    names = [name for name, _ in events]
    assert names[0] == "tool_call" and names[1] == "tool_result"
    assert names[-2:] == ["usage", "done"] and "delta" in names and "error" not in names
    assert events[1][1]["content"] == "7006652" and events[1][1]["is_error"] is False
    text = "".join(data["text"] for name, data in events if name == "delta")
    assert "7006652" in text
    done = events[-1][1]

    body = api["alice"].get(f"/v1/conversations/{conversation}").json()
    user, reply = body["messages"]
    assert (user["role"], user["content"]) == ("user", "What is 1234 * 5678?")
    assert (reply["role"], reply["status"], reply["content"]) == ("assistant", "complete", text)
    assert reply["id"] == done["message_id"]
    assert reply["tool_calls"][0]["name"] == "calculator"
    assert reply["tool_calls"][0]["result"] == "7006652"
    assert reply["created_at"] >= user["created_at"]
    usage = events[-2][1]
    assert reply["usage"] == usage and usage["input_tokens"] > 0 and usage["output_tokens"] > 0
    expected = Usage(input=usage["input_tokens"] - usage["cached_input_tokens"],
                     cached_input=usage["cached_input_tokens"],
                     output=usage["output_tokens"]).cost(body["model"])
    assert reply["cost_usd"] == pytest.approx(expected) == pytest.approx(done["cost_usd"])
    cost = api["alice"].get(f"/v1/conversations/{conversation}/cost").json()
    assert set(cost) >= {"input_tokens", "cached_input_tokens", "output_tokens", "cost_usd",
                         "budget_usd", "cache_hit_rate"}
    assert cost["cost_usd"] == pytest.approx(expected) and body["cost"] == cost
    stored = rows(database_url, "SELECT role, status FROM messages WHERE conversation_id = %s "
                  "ORDER BY seq", conversation)
    assert stored == [("user", "complete"), ("assistant", "complete")]


def test_unstreamed_reply_is_the_final_message_as_json(api):
    conversation = new_conversation(api["alice"], system="Answer in one short sentence.")
    response = api["alice"].post(f"/v1/conversations/{conversation}/messages",
                                 json={"content": "My name is Ada. What is my name?"})
    assert response.status_code == 200, response.text
    reply = response.json()
    assert reply["role"] == "assistant" and reply["status"] == "complete" and reply["content"]
    assert reply["cost_usd"] > 0 and reply["usage"]["output_tokens"] > 0
    stored = api["alice"].get(f"/v1/conversations/{conversation}").json()
    assert stored["system"] == "Answer in one short sentence."
    assert [m["role"] for m in stored["messages"]] == ["user", "assistant"]
    assert stored["messages"][1]["content"] == reply["content"]


def test_history_is_replayed_so_the_prompt_cache_hits(api):
    # OpenAI caches prompts of 1,024+ tokens: a long system prompt makes the prefix cacheable.
    system = "You are a patient tutor. " + " ".join(f"Rule {i}: be clear and kind." for i in range(160))
    conversation = new_conversation(api["alice"], system=system)
    first = api["alice"].post(f"/v1/conversations/{conversation}/messages",
                              json={"content": "Hello, I am Ada."}).json()
    second = api["alice"].post(f"/v1/conversations/{conversation}/messages",
                               json={"content": "What is 6 * 7?"}).json()
    assert first["usage"]["cached_input_tokens"] == 0
    assert second["usage"]["cached_input_tokens"] >= 1024  # the whole stable prefix, read back
    cost = api["alice"].get(f"/v1/conversations/{conversation}/cost").json()
    assert 0 < cost["cache_hit_rate"] < 1


def test_a_conversation_that_could_go_over_its_budget_refuses_new_messages_with_402(api):
    # The guard (course_lib.ledger.Budget) refuses before a call whose worst case (1,024
    # output tokens: about $0.0046 on gpt-5.4-mini) could take spending over the budget.
    conversation = new_conversation(api["alice"], budget_usd=0.0065)
    path = f"/v1/conversations/{conversation}/messages"
    statuses = [api["alice"].post(path, json={"content": "Tell me about Python."}).status_code
                for _ in range(8)]
    assert statuses[0] == 200 and 402 in statuses
    assert set(statuses[statuses.index(402):]) == {402}  # refused from then on
    refused = api["alice"].post(path, json={"content": "And more?"}).json()["error"]
    assert refused["type"] == "budget_exceeded" and "budget" in refused["message"]
    cost = api["alice"].get(f"/v1/conversations/{conversation}/cost").json()
    assert cost["cost_usd"] <= cost["budget_usd"] == 0.0065
    stored = api["alice"].get(f"/v1/conversations/{conversation}").json()["messages"]
    assert len(stored) == 2 * statuses.count(200)  # a refused message is not stored


@pytest.mark.parametrize("body, status, words", [
    (b'{"content": "hi"', 400, "not valid JSON"),
    ({"content": "hi", "temperature": 2}, 422, "temperature"),
    ({"content": ""}, 422, "content"),
    ({"content": "   "}, 422, "content"),
    ({"content": "x" * 8001}, 422, "8,000"),
    ({"content": 42}, 422, "content"),
    ({"content": "hi", "stream": "yes"}, 422, "stream"),
    ({}, 422, "content"),
])
def test_bad_message_bodies_get_a_clear_4xx(api, body, status, words):
    conversation = new_conversation(api["alice"])
    path = f"/v1/conversations/{conversation}/messages"
    if isinstance(body, bytes):
        response = api["alice"].post(path, content=body, headers={"content-type": "application/json"})
    else:
        response = api["alice"].post(path, json=body)
    assert response.status_code == status, response.text
    assert words in response.json()["error"]["message"]


def test_other_bad_input_gets_a_4xx_never_a_500(api):
    alice = api["alice"]
    assert alice.get("/v1/conversations/not-a-uuid").status_code == 422
    assert alice.post("/v1/conversations/123/messages", json={"content": "hi"}).status_code == 422
    assert alice.post("/v1/conversations", json={"sytem": "typo"}).status_code == 422
    assert alice.post("/v1/conversations", json={"budget_usd": -1}).status_code == 422
    huge = alice.post("/v1/conversations", content=b"x" * 1_100_000,
                      headers={"content-type": "application/json"})
    assert huge.status_code == 413


@pytest.mark.parametrize("expression", ["__import__('os').system('id')", "().__class__",
                                        "9 ** 9 ** 9", "open('/etc/passwd')"])
def test_calculator_escapes_are_a_422_with_the_calculators_message(api, expression):
    response = api["alice"].post("/v1/tools/calculator", json={"expression": expression})
    assert response.status_code == 422
    assert response.json()["error"]["type"] == "calculator_error"
    assert api["alice"].post("/v1/tools/calculator",
                             json={"expression": "2 * (3 + 4) ** 2"}).json()["result"] == "98"


def test_a_tool_call_the_calculator_refuses_becomes_an_error_result_not_a_500(api):
    conversation = new_conversation(api["alice"])
    response = api["alice"].post(f"/v1/conversations/{conversation}/messages",
                                 json={"content": "What is 9 ** 9 ** 9?", "stream": True})
    assert response.status_code == 200
    results = [data for name, data in sse(response.text) if name == "tool_result"]
    assert results and results[0]["is_error"] is True and "digits" in results[0]["content"]
    stored = api["alice"].get(f"/v1/conversations/{conversation}").json()["messages"][1]
    assert stored["status"] == "complete" and stored["tool_calls"][0]["is_error"] is True
