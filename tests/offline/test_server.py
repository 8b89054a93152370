"""The stand-in as a server: start-up, faults, concurrency, determinism and prompt caching."""

from __future__ import annotations

import asyncio
import json
import re
import socket
import subprocess
import sys
import threading
from collections.abc import Iterator

import anthropic
import httpx
import openai
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from course_lib.clients import OFFLINE_KEY
from course_lib import models, offline, tokens
from course_lib.offline.caching import PromptCache
from course_lib.offline.exchange import STATE
from course_lib.offline.prompt import openai_prompt_tokens

OPENAI_MODEL = next(m.model for m in models.models("openai") if m.temperature)
ANTHROPIC_MODEL = min(models.models("anthropic"), key=lambda m: m.cache_min_tokens).model
KEY = OFFLINE_KEY  # the key the course's clients send to the stand-in
# Not a question the scripted behaviours answer, so the n-gram model samples the reply.
ASK = [{"role": "user", "content": "The standard library module for regular expressions"}]
AUTH = {"Authorization": f"Bearer {KEY}"}


@pytest.fixture(scope="module")
def http(url: str) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=url, headers=AUTH, timeout=20) as http:
        yield http


def oai(url: str, **kwargs) -> openai.OpenAI:
    return openai.OpenAI(base_url=url + "/v1", api_key=KEY, **{"max_retries": 0, **kwargs})


def claude(url: str, **kwargs) -> anthropic.Anthropic:
    return anthropic.Anthropic(base_url=url, api_key=KEY, **{"max_retries": 0, **kwargs})


def chat(client: openai.OpenAI, **kwargs):
    return client.chat.completions.create(**{"model": OPENAI_MODEL, "messages": ASK, **kwargs})


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture()
def clock() -> Iterator[FakeClock]:
    fake, real = FakeClock(), STATE.cache.clock
    STATE.cache.clock = fake
    offline.reset()
    yield fake
    STATE.cache.clock = real


# ---------------------------------------------------------------------------------------
# Start-up


def test_import_is_light():
    code = (
        "import sys, time; t = time.perf_counter(); import course_lib.offline; "
        "print(time.perf_counter() - t, [m for m in ('numpy', 'tiktoken', 'http.server', "
        "'course_lib.model.engine') if m in sys.modules])"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert out.split(" ", 1)[1].strip() == "[]"


def test_start_is_idempotent_and_servers_stop(url):
    assert offline.start() is offline.start() and offline.start().url == url
    with offline.Server() as private:
        assert private.url != url and httpx.get(private.url + "/").status_code == 200
    with pytest.raises(httpx.ConnectError):
        httpx.get(private.url + "/")


def test_module_runs_standalone():
    proc = subprocess.Popen(
        [sys.executable, "-m", "course_lib.offline", "--port", "0"],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        first = proc.stdout.readline()
        found = re.search(r"http://127\.0\.0\.1:\d+", first)
        assert found, first
        r = httpx.post(
            found.group() + "/v1/chat/completions",
            headers=AUTH,
            json={"model": OPENAI_MODEL, "messages": ASK, "max_completion_tokens": 3},
            timeout=60,  # a new process trains the model on its first request: slow on a busy machine
        )
        assert r.status_code == 200 and r.json()["choices"][0]["finish_reason"] == "length"
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def test_module_paces_like_a_real_provider_when_asked():
    """--latency and --token-delay: a slow first token and a slow stream, from the command line."""
    import time

    proc = subprocess.Popen(
        [sys.executable, "-m", "course_lib.offline", "--port", "0", "--latency", "0.3",
         "--token-delay", "0.05"],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        base = re.search(r"http://127\.0\.0\.1:\d+", proc.stdout.readline()).group()
        body = {"model": OPENAI_MODEL, "messages": ASK, "max_completion_tokens": 5, "stream": True}
        httpx.post(base + "/v1/chat/completions", headers=AUTH, json=body, timeout=60)  # warm up
        started = time.perf_counter()
        arrivals = []
        with httpx.stream("POST", base + "/v1/chat/completions", headers=AUTH, json=body,
                          timeout=60) as r:
            for line in r.iter_lines():
                if line.startswith("data: {"):
                    arrivals.append(time.perf_counter() - started)
        assert arrivals[0] >= 0.3  # nothing before the latency
        assert arrivals[-1] - arrivals[0] >= 0.05 * (len(arrivals) - 1) * 0.9
    finally:
        proc.terminate()
        proc.wait(timeout=10)
    bad = subprocess.run([sys.executable, "-m", "course_lib.offline", "--latency", "-1"],
                         capture_output=True, text=True)
    assert bad.returncode == 2 and "must be 0 or more" in bad.stderr


def test_oversized_body_is_413(url):
    host, port = url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port))) as sock:
        sock.sendall(
            b"POST /v1/messages HTTP/1.1\r\nHost: x\r\nContent-Length: 40000000\r\n"
            b"x-api-key: offline-stand-in\r\n\r\n{}"
        )
        assert sock.recv(100).startswith(b"HTTP/1.1 413")


def raw_request(url: str, request: bytes) -> tuple[int, dict[str, str], dict, bool]:
    """Send raw bytes; return (status, headers, JSON body, whether the server then closed)."""
    host, port = url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=5) as sock:
        sock.sendall(request)
        data = b""
        while b"\r\n\r\n" not in data:
            chunk = sock.recv(65536)
            assert chunk, f"the server closed without answering: {data!r}"
            data += chunk
        head, _, body = data.partition(b"\r\n\r\n")
        lines = head.decode().split("\r\n")
        headers = dict(line.lower().split(": ", 1) for line in lines[1:])
        while len(body) < int(headers["content-length"]):
            body += sock.recv(65536)
        try:
            closed = sock.recv(1) == b""
        except TimeoutError:
            closed = False
    return int(lines[0].split()[1]), headers, json.loads(body), closed


@pytest.mark.parametrize(
    ("framing", "status"),
    [
        (b"Content-Length: -1\r\n", 400),
        (b"Content-Length: abc\r\n", 400),
        (b"Content-Length: 2\r\nContent-Length: 3\r\n", 400),
        (b"Transfer-Encoding: chunked\r\n", 411),
    ],
)
@pytest.mark.parametrize("provider", ["openai", "anthropic"])
def test_a_body_of_unknown_length_is_refused_and_the_connection_closed(
    url, framing, status, provider
):
    path, auth = (
        (b"/v1/chat/completions", b"Authorization: Bearer offline-stand-in\r\n")
        if provider == "openai"
        else (b"/v1/messages", b"x-api-key: offline-stand-in\r\nanthropic-version: 2023-06-01\r\n")
    )
    body = b"2\r\n{}\r\n0\r\n\r\n" if b"chunked" in framing else b"{}"
    request = b"POST %s HTTP/1.1\r\nHost: x\r\n%s%s\r\n%s" % (path, auth, framing, body)
    code, headers, error, closed = raw_request(url, request)
    assert code == status and headers["connection"] == "close" and closed
    if provider == "openai":
        assert error["error"]["type"] == "invalid_request_error" and error["error"]["message"]
    else:
        assert error["type"] == "error" and error["error"]["type"] == "invalid_request_error"
    # the server is fine afterwards
    ok = b"POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n"
    ok += b"Authorization: Bearer offline-stand-in\r\nConnection: close\r\n\r\n{}"
    assert raw_request(url, ok)[0] == 400  # {} has no model: the body was read and parsed


# ---------------------------------------------------------------------------------------
# Faults


def test_sdk_retries_recover_from_injected_429s(url):
    with offline.faults(status=429, times=2, retry_after=0.01) as plan:
        assert chat(oai(url, max_retries=2), max_completion_tokens=3).choices
    assert (plan.seen, plan.injected) == (3, 2)
    with offline.faults(status=429, times=2, retry_after=0.01) as plan:
        m = claude(url, max_retries=2).messages.create(
            model=ANTHROPIC_MODEL, max_tokens=3, messages=ASK
        )
    assert m.content and plan.injected == 2
    with (
        offline.faults(status=429, times=2, retry_after=0.01),
        pytest.raises(openai.RateLimitError) as err,
    ):
        chat(oai(url, max_retries=1))
    assert (
        err.value.code == "rate_limit_exceeded"
        and err.value.response.headers["retry-after-ms"] == "10"
    )


def test_faults_nest_and_restore(http):
    def status() -> int:
        return http.get("/v1/models").status_code

    with offline.faults(status=500):
        with offline.faults(status=429, times=1):
            assert [status(), status()] == [429, 500]
        assert status() == 500
    assert status() == 200


def test_random_faults_are_reproducible(http):
    def pattern() -> list[int]:
        with offline.faults(rate=0.3, seed=1):
            return [http.get("/v1/models").status_code for _ in range(40)]

    first = pattern()
    assert first == pattern() and set(first) == {200, 500}
    assert 4 <= first.count(500) <= 20


def test_latency_and_client_timeouts(url):
    with offline.faults(latency=0.3):
        with pytest.raises(openai.APITimeoutError):
            chat(oai(url, timeout=0.1), max_completion_tokens=3)
        with pytest.raises(anthropic.APITimeoutError):
            claude(url, timeout=0.1).messages.create(
                model=ANTHROPIC_MODEL, max_tokens=3, messages=ASK
            )


def test_overloaded_on_both_routes(url):
    with offline.faults(status=529, times=2, retry_after=0.01):
        with pytest.raises(anthropic.OverloadedError) as err:
            claude(url).messages.create(model=ANTHROPIC_MODEL, max_tokens=3, messages=ASK)
        assert err.value.type == "overloaded_error"
        with pytest.raises(openai.InternalServerError) as err:
            chat(oai(url))
        assert err.value.status_code == 503 and err.value.code == "server_is_overloaded"
    with offline.faults(status=500, times=1), pytest.raises(openai.InternalServerError) as err:
        chat(oai(url))
    assert err.value.type == "server_error"


def test_fault_header(http, url):
    header = {"x-offline-fault": "status=429; times=2; retry_after=3; id=header-test"}
    replies = [http.get("/v1/models", headers=header) for _ in range(3)]
    assert [r.status_code for r in replies] == [429, 429, 200]
    assert replies[0].headers["retry-after"] == "3"
    offline.reset()  # header counters start again
    assert http.get("/v1/models", headers=header).status_code == 429
    r = http.get("/v1/models", headers={"x-offline-fault": "status=teapot"})
    assert r.status_code == 400 and "status must be a number" in r.json()["error"]["message"]
    fast = {"x-offline-fault": "status=503; times=1; retry_after=0.01; id=sdk"}
    assert chat(oai(url, max_retries=1), max_completion_tokens=3, extra_headers=fast).choices


# ---------------------------------------------------------------------------------------
# Concurrency and determinism


def test_fifty_concurrent_streams(url):
    client = oai(url)
    expected = [chat(client, seed=i, max_completion_tokens=40).choices[0].message.content for i in range(50)]

    async def one(aclient: openai.AsyncOpenAI, i: int) -> tuple[str, bool]:
        stream = await aclient.chat.completions.create(
            model=OPENAI_MODEL,
            messages=ASK,
            seed=i,
            max_completion_tokens=40,
            stream=True,
            stream_options={"include_usage": True},
        )
        chunks = [c async for c in stream]
        return "".join(c.choices[0].delta.content or "" for c in chunks if c.choices), chunks[
            -1
        ].usage is not None

    async def run() -> list[tuple[str, bool]]:
        async with openai.AsyncOpenAI(base_url=url + "/v1", api_key=KEY, max_retries=0) as aclient:
            return await asyncio.gather(*(one(aclient, i) for i in range(50)))

    results = asyncio.run(run())
    assert [text for text, _ in results] == expected and all(done for _, done in results)


def _without_created(raw: bytes) -> bytes:
    return re.sub(rb'"created":\d+', b'"created":0', raw)


def test_same_request_and_seed_give_the_same_bytes(http):
    body = {"model": OPENAI_MODEL, "messages": ASK, "seed": 42, "max_completion_tokens": 30, "logprobs": True}
    a, b = (http.post("/v1/chat/completions", json=body).content for _ in range(2))
    assert _without_created(a) == _without_created(b)
    s1, s2 = (
        http.post("/v1/chat/completions", json={**body, "stream": True}).content for _ in range(2)
    )
    assert _without_created(s1) == _without_created(s2)
    streamed = "".join(
        json.loads(line[6:])["choices"][0]["delta"].get("content") or ""
        for line in s1.decode().split("\n\n")
        if line.startswith("data: {")
    )
    assert streamed == json.loads(a)["choices"][0]["message"]["content"]


def test_unseeded_requests_vary_but_replay_after_reset(url):
    client = oai(url)
    offline.reset()
    first = [chat(client, max_completion_tokens=20).choices[0].message.content for _ in range(3)]
    assert len(set(first)) == 3
    offline.reset()
    assert [chat(client, max_completion_tokens=20).choices[0].message.content for _ in range(3)] == first


# ---------------------------------------------------------------------------------------
# Prompt caching


def test_openai_cache_rules(url, clock):
    client = oai(url)
    manual = "The stand-in reports prompt caching the way OpenAI documents it. " * 120
    long = [{"role": "system", "content": manual}, *ASK]

    def cached(messages) -> tuple[int, int]:
        usage = chat(client, messages=messages, seed=1, max_completion_tokens=3).usage
        return usage.prompt_tokens_details.cached_tokens, usage.prompt_tokens

    assert cached(long)[0] == 0
    hit, prompt = cached(long)
    assert 1024 <= hit <= prompt and hit % 128 == 0
    grown = [
        *long,
        {"role": "assistant", "content": "Noted."},
        {"role": "user", "content": "More please."},
    ]
    assert cached(grown)[0] >= hit  # the old prefix still matches
    assert (
        cached([{"role": "system", "content": "Changed. " + manual}, *ASK])[0] == 0
    )  # busts the cache
    assert cached(ASK) == (0, cached(ASK)[1])  # short prompts never cache
    clock.now += 299
    assert cached(long)[0] == hit  # used within 5 minutes: still there (and refreshed)
    clock.now += 301
    assert cached(long)[0] == 0  # 5 minutes idle: expired


def test_anthropic_cache_ttl_and_refresh(url, clock):
    client = claude(url)
    system = [
        {
            "type": "text",
            "text": "Reference text for the cache. " * 300,
            "cache_control": {"type": "ephemeral"},
        }
    ]

    def usage():
        return client.messages.create(
            model=ANTHROPIC_MODEL, max_tokens=3, system=system, messages=ASK
        ).usage

    written = usage().cache_creation_input_tokens
    assert written > 0
    clock.now += 240
    assert usage().cache_read_input_tokens == written  # a read refreshes the 5-minute TTL...
    clock.now += 240
    assert usage().cache_read_input_tokens == written  # ...so 8 minutes later it is still there
    clock.now += 301
    assert usage().cache_creation_input_tokens == written  # idle > 5 minutes: written again


def test_cookbook_example_caches_fifteen_blocks_of_128():
    cache = PromptCache(clock=lambda: 0.0)
    assert cache.openai("m", list(range(2006))) == 0
    assert cache.openai("m", list(range(2006))) == 1920
    assert cache.openai("m", [*range(1500), *range(7, 900)]) == 1408  # matches up to token 1500


@pytest.mark.parametrize(
    "messages, tools",
    [
        ([{"role": "user", "content": "hi"}], None),
        (
            [
                {"role": "system", "content": "Be brief."},
                {"role": "user", "name": "ada", "content": "x"},
                {
                    "role": "assistant",
                    "content": None,
                    "tool_calls": [
                        {
                            "id": "call_1",
                            "type": "function",
                            "function": {"name": "calc", "arguments": '{"e": "1+1"}'},
                        }
                    ],
                },
                {"role": "tool", "tool_call_id": "call_1", "content": "2"},
            ],
            [
                {
                    "type": "function",
                    "function": {
                        "name": "calc",
                        "description": "Add.",
                        "parameters": {
                            "type": "object",
                            "properties": {
                                "e": {"type": "string", "description": "x"},
                                "u": {"type": "string", "enum": ["a", "b"]},
                            },
                        },
                    },
                }
            ],
        ),
    ],
)
def test_cache_layout_has_exactly_the_counted_tokens(messages, tools):
    layout = openai_prompt_tokens(messages, tools or [])
    assert len(layout) == tokens.count_chat_tokens(messages, tools=tools)


TEXT = st.text(max_size=12) | st.sampled_from(["<|endoftext|>", "Hello, world!", "", "é🎉"])
MESSAGE = st.fixed_dictionaries(
    {
        "role": st.sampled_from(["system", "developer", "user", "assistant", "tool"]),
        "content": st.none()
        | TEXT
        | st.lists(st.fixed_dictionaries({"type": st.just("text"), "text": TEXT}), max_size=3),
    },
    optional={
        "name": TEXT,
        "tool_call_id": TEXT,
        "tool_calls": st.lists(
            st.fixed_dictionaries(
                {
                    "id": TEXT,
                    "type": st.just("function"),
                    "function": st.fixed_dictionaries({"name": TEXT, "arguments": TEXT}),
                }
            ),
            max_size=2,
        ),
    },
)
PROPERTY = st.fixed_dictionaries(
    {"type": st.sampled_from(["string", "integer"])},
    optional={"description": TEXT, "enum": st.lists(TEXT, min_size=1, max_size=3)},
)
TOOL = st.fixed_dictionaries(
    {
        "type": st.just("function"),
        "function": st.fixed_dictionaries(
            {"name": st.from_regex(r"[a-z_]{1,10}", fullmatch=True)},
            optional={
                "description": TEXT,
                "parameters": st.fixed_dictionaries(
                    {
                        "type": st.just("object"),
                        "properties": st.dictionaries(TEXT, PROPERTY, max_size=3),
                    }
                ),
            },
        ),
    }
)


@settings(max_examples=150, deadline=None)
@given(messages=st.lists(MESSAGE, min_size=1, max_size=4), tools=st.lists(TOOL, max_size=3))
def test_the_layout_length_is_count_chat_tokens_for_any_prompt(messages, tools):
    """usage.prompt_tokens is len(layout): equal to the public count by construction."""
    assert len(openai_prompt_tokens(messages, tools)) == tokens.count_chat_tokens(
        messages, tools=tools
    )


@pytest.mark.parametrize("provider", ["openai", "anthropic"])
def test_a_request_body_is_serialised_once(url, monkeypatch, provider):
    marker = "serialise-me-once " * 50
    seen: list[bool] = []
    dumps = json.dumps

    def counting(value, *args, **kwargs):
        text = dumps(value, *args, **kwargs)
        if threading.current_thread() is not threading.main_thread():  # the server, not the SDK
            seen.append(isinstance(value, dict) and "messages" in value)  # the whole body
        return text

    if provider == "openai":
        send = lambda: chat(oai(url), messages=[{"role": "user", "content": marker}])  # noqa: E731
    else:
        send = lambda: claude(url).messages.create(  # noqa: E731
            model=ANTHROPIC_MODEL, max_tokens=5, messages=[{"role": "user", "content": marker}]
        )
    send()  # warm: imports, the model
    monkeypatch.setattr(json, "dumps", counting)
    send()
    monkeypatch.undo()
    assert sum(seen) == 1, seen


def test_spawn_returns_the_port_the_child_bound_and_says_when_it_cannot_start():
    from course_lib.offline.lifecycle import spawn

    proc, base = spawn()
    try:
        assert re.fullmatch(r"http://127\.0\.0\.1:\d+", base) and not base.endswith(":0")
        assert httpx.get(base + "/v1/models", headers=AUTH, timeout=30).status_code == 200
    finally:
        proc.terminate()
        proc.wait(timeout=10)
    with pytest.raises(RuntimeError, match="did not start"):
        spawn(["--latency", "-1"], stderr=subprocess.DEVNULL)
