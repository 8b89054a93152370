"""One assistant turn: stream the reply, run the calculator when asked, stream again.

    provider = Provider(settings)                    # the SDK's async client, real or offline
    turn = Turn()
    async for event, data in provider.run(turn, system=..., rows=history, key=conversation_id):
        ...   # ("open", {}), ("delta", {"text"}), ("tool_call", ...), ("tool_result", ...),
              # ("usage", {...}); turn.text / turn.rounds / turn.usage hold what came so far

``turn`` is filled in as events arrive, so a caller that is cancelled half-way (the client
went away) or catches :class:`ProviderError` still has the partial reply to store.

Requests are the ones the real APIs accept on the default models: OpenAI gets
``max_completion_tokens`` (GPT-5 models refuse ``max_tokens`` and ``stop``) and no sampling
knobs; Anthropic gets the ``max_tokens`` it requires. Failed requests are retried by
:class:`course_lib.retries.RetryPolicy` (``CHAT_API_MAX_RETRIES``, jittered backoff that
honours ``retry-after``; the SDK's own retries are off); what still fails becomes a
:class:`ProviderError` with the HTTP status this API answers (502 or 503) and a clear message.
"""

from __future__ import annotations

import importlib
import json
import sys
from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from course_lib.chat_api import prompts
from course_lib.chat_api.costs import usage_json
from course_lib.retries import RetryPolicy
from course_lib.tools import calculator
from course_lib.tools.calls import acall_tool
from course_lib.usage import Usage

MAX_ROUNDS = 5  # model requests per turn; the last one may not call tools, so it answers
TOOLS = {"calculator": calculator.evaluate}
Event = tuple[str, dict[str, Any]]


@dataclass
class Turn:
    """What an assistant turn has produced so far."""

    text: str = ""  # the answer being written (the current round's text)
    rounds: list[dict[str, Any]] = field(default_factory=list)  # finished tool rounds
    usage: Usage = field(default_factory=Usage)


class ProviderError(Exception):
    """The provider failed after retries; ``status`` is what this API answers (502/503)."""

    def __init__(self, status: int, kind: str, message: str, upstream: int | None = None,
                 retry_after: float | None = None) -> None:
        super().__init__(message)
        self.status, self.kind, self.message = status, kind, message
        self.upstream, self.retry_after = upstream, retry_after

    def body(self) -> dict[str, Any]:
        error = {"type": self.kind, "message": self.message}
        if self.upstream is not None:
            error["provider_status"] = self.upstream
        return {"error": error}


def as_provider_error(error: BaseException, provider: str, retries: int) -> ProviderError | None:
    """The ProviderError for an SDK (or transport) exception, None if it is not one."""
    # Only the SDK in use is loaded (importing the other would cost a second on first error).
    # A stream cut or stalled mid-reply raises the transport's own error, not the SDK's: httpx,
    # or httpx2 (the fork newer SDK releases use).
    loaded = [sys.modules[name] for name in ("openai", "anthropic", "httpx", "httpx2")
              if name in sys.modules]
    status_errors = tuple(m.APIStatusError for m in loaded if hasattr(m, "APIStatusError"))
    connection_errors = tuple(getattr(m, "APIConnectionError", None) or m.HTTPError for m in loaded)
    tried = f"after {retries + 1} attempt{'s' * (retries > 0)}"
    if isinstance(error, status_errors):
        status = error.status_code
        if status in (408, 409, 429, 529) or status >= 500:
            after = error.response.headers.get("retry-after")
            return ProviderError(
                503, "provider_unavailable",
                f"the {provider} API is unavailable or over capacity (HTTP {status}) {tried}; "
                "your message is saved, try again shortly", status,
                float(after) if after and after.replace(".", "", 1).isdigit() else None)
        return ProviderError(
            502, "provider_rejected",
            f"the {provider} API refused the request (HTTP {status}): {error.message}. "
            "This is a server-side problem (key, model or request shape), not your input", status)
    if isinstance(error, connection_errors):
        return ProviderError(
            503, "provider_unreachable",
            f"could not reach the {provider} API ({type(error).__name__}) {tried}; your "
            "message is saved, try again shortly")
    return None


class Provider:
    """The configured provider and model, behind the SDK's async client."""

    def __init__(self, settings: Any) -> None:
        from course_lib import clients, config

        self.settings = settings
        self.name = settings.provider
        chosen = config.provider(self.name)
        self.model, self.offline, self.reason = chosen.model, chosen.offline, chosen.reason
        make = clients.async_openai_client if self.name == "openai" else clients.async_anthropic_client
        # Retries are the course's policy (lesson 7.22), not the SDK's: it skips errors that
        # cannot pass (out-of-credit 429s, 4xx) and honours retry-after; SDK retries are off.
        self.client = make(max_retries=0, timeout=settings.timeout)
        sdk = importlib.import_module(self.name)  # the SDK in use: openai or anthropic
        self._stream_cls = sdk.AsyncStream[object]  # stream events as plain dicts
        self.retry = RetryPolicy(max_attempts=settings.max_retries + 1, base=0.25, cap=8.0,
                                 max_retry_after=30.0)

    def describe(self) -> dict[str, Any]:
        return {"name": self.name, "model": self.model,
                "backend": "offline stand-in" if self.offline else "real API"}

    # -----------------------------------------------------------------------------------

    def history(self, rows: Sequence[dict[str, Any]]) -> tuple[list[dict[str, Any]], int]:
        """The rows to replay (failed replies reduced, old turns trimmed in blocks)."""
        return prompts.trim(prompts.replayable(rows), budget=self.settings.history_tokens,
                            count=prompts.row_tokens)

    async def run(self, turn: Turn, *, system: str, rows: Sequence[dict[str, Any]], key: str,
                  fault: str | None = None) -> AsyncIterator[Event]:
        """The turn's events; raises ProviderError when the provider fails (after retries)."""
        options: dict[str, Any] = {}  # client.post's request options
        if fault and self.offline:  # fault injection reaches only the stand-in, never a real API
            options["headers"] = {"x-offline-fault": fault}
        one_round = self._openai_round if self.name == "openai" else self._anthropic_round
        try:
            for number in range(1, MAX_ROUNDS + 1):
                calls = []
                async for event in one_round(turn, system, rows, key, number, options):
                    if event[0] == "calls":
                        calls = event[1]["calls"]
                    elif event[0] != "open" or number == 1:
                        yield event
                if not calls:
                    break
                round_ = {"text": turn.text, "calls": []}
                for call in calls:
                    yield "tool_call", {"id": call["id"], "name": call["name"],
                                        "arguments": call["arguments"]}
                    result = await acall_tool(call["name"], call["arguments"], TOOLS)
                    round_["calls"].append({**call, "result": result.content,
                                            "is_error": result.is_error})
                    yield "tool_result", {"id": call["id"], "content": result.content,
                                          "is_error": result.is_error}
                turn.rounds.append(round_)
                turn.text = ""
        except Exception as error:
            failure = as_provider_error(error, self.name, self.settings.max_retries)
            if failure is None:
                raise
            raise failure from error
        yield "usage", usage_json(turn.usage)

    # -----------------------------------------------------------------------------------

    async def _openai_round(self, turn: Turn, system: str, rows: Sequence[dict[str, Any]],
                            key: str, number: int, options: dict[str, Any]) -> AsyncIterator[Event]:
        messages = prompts.openai_messages(system, rows)
        for round_ in turn.rounds:
            messages += prompts.openai_round(round_)
        request = {"model": self.model, "messages": messages, "tools": [calculator.OPENAI_TOOL],
                   "max_completion_tokens": self.settings.max_output, "prompt_cache_key": key,
                   "stream": True, "stream_options": {"include_usage": True}}
        if number == MAX_ROUNDS:
            request["tool_choice"] = "none"
        # The same request as client.chat.completions.create(**request), through the SDK's
        # lower-level client.post, asking for each chunk as the plain dict of its JSON
        # (cast_to=object): auth, errors (APIStatusError, an error event mid-stream), timeouts
        # and SSE decoding are the SDK's; what is skipped is building a typed
        # ChatCompletionChunk per chunk, which a relay never reads. Measured on the stand-in:
        # about 12 ms of CPU per 35-chunk reply typed, 4 ms as dicts (README, "Where the
        # capstone's time goes").
        # Only opening the stream is retried: once text has gone to the client, a retry
        # would send it twice. A stream that fails later ends the turn (ProviderError).
        stream = await self.retry.acall(
            self.client.post, "/chat/completions", body=request, cast_to=object,
            options=options, stream=True, stream_cls=self._stream_cls)
        yield "open", {}
        calls: dict[int, dict[str, str]] = {}
        async for chunk in stream:
            if chunk.get("usage"):
                turn.usage += Usage.from_openai(chunk["usage"])
            for choice in chunk.get("choices") or ():
                delta = choice.get("delta") or {}
                if delta.get("content"):
                    turn.text += delta["content"]
                    yield "delta", {"text": delta["content"]}
                for part in delta.get("tool_calls") or ():
                    slot = calls.setdefault(part["index"], {"id": "", "name": "", "arguments": ""})
                    slot["id"] = part.get("id") or slot["id"]
                    function = part.get("function") or {}
                    slot["name"] += function.get("name") or ""
                    slot["arguments"] += function.get("arguments") or ""
        yield "calls", {"calls": [calls[i] for i in sorted(calls)]}

    async def _anthropic_round(self, turn: Turn, system: str, rows: Sequence[dict[str, Any]],
                               key: str, number: int, options: dict[str, Any]) -> AsyncIterator[Event]:
        messages = prompts.anthropic_messages(rows)
        for round_ in turn.rounds:
            for message in prompts.anthropic_round(round_):
                prompts._append(messages, message["role"], message["content"])
        request = {"model": self.model, "max_tokens": self.settings.max_output,
                   "system": prompts.anthropic_system(system),
                   "tools": [calculator.ANTHROPIC_TOOL],
                   "messages": prompts.with_breakpoints(messages), "stream": True}
        if number == MAX_ROUNDS:
            request["tool_choice"] = {"type": "none"}
        # As for OpenAI: client.messages.create(**request) through client.post with events as
        # plain dicts. The SDK still raises its errors (an `error` event mid-stream too); what
        # is skipped is a typed event per chunk and the messages.stream() helper's snapshot of
        # the whole message rebuilt at every event. The reply is put together here instead:
        # text deltas, tool_use blocks with their JSON input, usage from message_start and
        # message_delta (the counts there replace the earlier ones, as the SDK's accumulator does).
        stream = await self.retry.acall(
            self.client.post, "/v1/messages", body=request, cast_to=object,
            options=options, stream=True, stream_cls=self._stream_cls)
        yield "open", {}
        usage: dict[str, Any] = {}
        blocks: dict[int, dict[str, Any]] = {}  # tool_use blocks by index
        async for event in stream:
            kind = event.get("type")
            if kind == "content_block_delta":
                delta = event["delta"]
                if delta.get("type") == "text_delta" and delta.get("text"):
                    turn.text += delta["text"]
                    yield "delta", {"text": delta["text"]}
                elif delta.get("type") == "input_json_delta" and event["index"] in blocks:
                    blocks[event["index"]]["json"] += delta.get("partial_json") or ""
            elif kind == "content_block_start" and event["content_block"].get("type") == "tool_use":
                block = event["content_block"]
                blocks[event["index"]] = {"id": block["id"], "name": block["name"], "json": "",
                                          "input": block.get("input") or {}}
            elif kind == "message_start":
                usage.update(event["message"].get("usage") or {})
            elif kind == "message_delta":
                usage.update({k: v for k, v in (event.get("usage") or {}).items() if v is not None})
        if usage:
            turn.usage += Usage.from_anthropic(usage)
        calls = [{"id": b["id"], "name": b["name"], "arguments": _tool_input(b)}
                 for _, b in sorted(blocks.items())]
        yield "calls", {"calls": calls}


def _tool_input(block: dict[str, Any]) -> Any:
    """A streamed tool_use block's input: its JSON deltas parsed (the start's input if none
    came); text that is not JSON is passed on as text, for the tool call to reject clearly."""
    if not block["json"]:
        return block["input"]
    try:
        return json.loads(block["json"])
    except ValueError:
        return block["json"]
