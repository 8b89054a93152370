"""A request's prompt as tokens: what the stand-in counts, and what its prompt cache matches.

OpenAI: the prompt is laid out as one token sequence (:func:`openai_prompt_tokens`), in the
order tools -> messages, with real o200k_base tokens for text and stand-in ids for framing and
tool definitions, following :func:`course_lib.tokens.count_chat_tokens` (the cookbook rule) piece
by piece. ``usage.prompt_tokens`` is its length, so it equals ``count_chat_tokens`` (the tests
check this for any messages and tools) and "count before you call" can be checked to the token;
the prompt cache matches prefixes of the same sequence, and the prompt is tokenised once.

Anthropic's tokenizer is not public, so the stand-in uses **its own documented rule** (real
Claude counts differ, typically by 10-30%), with o200k_base tokens, in the order
tools -> system -> messages:

- each tool: 3 + tokens of ``{"name","description","input_schema"}`` as compact JSON
- the system prompt: 3 + tokens of its text blocks
- each message: 3 + tokens of its role + tokens of its blocks (text: the text; tool_use: name +
  compact JSON input; tool_result: tool_use_id + its text; image: 1,600 flat; other: its JSON)
- plus 3 for priming the reply.

``usage.input_tokens + cache_creation_input_tokens + cache_read_input_tokens`` and
``/v1/messages/count_tokens`` both use this rule, so they always agree.
"""

from __future__ import annotations

import json
from typing import Any

from course_lib import tokens
from course_lib.offline.caching import FIVE_MINUTES, Block
from course_lib.offline.errors import ApiError
from course_lib.model.seeds import canonical, digest
from course_lib.model.types import Generation

FRAMING = 3  # tokens of framing per message (and per tool / system prompt for Anthropic)
REPLY_PRIMING = 3
IMAGE_TOKENS = 1600  # Anthropic's documented ceiling for one image, used as a flat estimate
MAX_BREAKPOINTS = 4


count = tokens.count  # text that looks like a special token ("<|endoftext|>") is just text


def encode(text: str) -> list[int]:
    """The o200k_base tokens of ``text``, counted as :func:`course_lib.tokens.count` counts."""
    return tokens.encoding("o200k_base").encode(text, disallowed_special=())


def completion_tokens(gen: Generation) -> int:
    """A reply's output tokens, for both providers: text tokens plus the tokens of each tool
    call's name and arguments."""
    text = len(gen.tokens) if gen.tokens or not gen.text else count(gen.text)
    return text + sum(count(c.name) + count(c.arguments) for c in gen.tool_calls)


def compact(value: Any) -> str:
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False)


# ---------------------------------------------------------------------------------------
# OpenAI


def _stand_in_ids(seed_text: str, n: int) -> list[int]:
    """``n`` ids no real token has (>= 2**62), derived from ``seed_text``."""
    base = digest(seed_text, 7)
    return [(1 << 62) | (base + i) for i in range(max(n, 0))]


def openai_prompt_tokens(messages: list[dict], tool_defs: list[dict]) -> list[int]:
    """The prompt as a token sequence whose length follows the cookbook rule: each piece below
    mirrors one term of ``tokens.count_message_tokens`` / ``count_tool_tokens``."""
    out: list[int] = []
    for tool in tool_defs:
        size = tokens.count_tool_tokens([tool]) - tokens.FUNC_END
        out += _stand_in_ids("tool:" + canonical(tool), size)
    if tool_defs:
        out += [-9] * tokens.FUNC_END
    for message in messages:
        out += [-1, -2, -3]
        out += encode(str(message.get("role", "")))
        out += encode(tokens.text_of(message.get("content")))
        if message.get("name"):
            out += [-4] + encode(str(message["name"]))
        for call in message.get("tool_calls") or []:
            function = call.get("function") or {}
            out += encode(str(function.get("name", ""))) + encode(
                str(function.get("arguments", ""))
            )
        if message.get("tool_call_id"):
            out += encode(str(message["tool_call_id"]))
    return out + [-5, -6, -7]


# ---------------------------------------------------------------------------------------
# Anthropic


def text_of(content: Any) -> str:
    """Text of an Anthropic string or list of blocks: only ``text`` blocks are text.

    Joined by :func:`course_lib.tokens.text_of` (the OpenAI side's reader, which takes the
    ``text`` of any part). Anthropic blocks are typed, so the others are filtered out first: an
    image or tool_use block is never read as text, whatever keys it carries, just as the token
    rule (``_block_tokens``) counts only a ``text`` block's text as text.
    """
    if isinstance(content, list):
        content = [b for b in content if isinstance(b, dict) and b.get("type") == "text"]
    return tokens.text_of(content) if isinstance(content, str | list) else ""


def _block_tokens(block: dict) -> int:
    kind = block.get("type")
    if kind == "text":
        return count(str(block.get("text", "")))
    if kind == "tool_use":
        return count(str(block.get("name", ""))) + count(compact(block.get("input", {})))
    if kind == "tool_result":
        return count(str(block.get("tool_use_id", ""))) + count(text_of(block.get("content", "")))
    if kind == "image":
        return IMAGE_TOKENS
    if kind == "thinking":
        return count(str(block.get("thinking", "")))
    return count(compact({k: v for k, v in block.items() if k != "cache_control"}))


def _ttl(where: str, control: Any) -> float:
    """The TTL of the ``cache_control`` object found at ``where``."""
    if not isinstance(control, dict) or control.get("type") != "ephemeral":
        raise ApiError(400, f"{where}.type: Input should be 'ephemeral'")
    ttl = control.get("ttl", "5m")
    if ttl not in ("5m", "1h"):
        raise ApiError(400, f"{where}.ttl: Input should be '5m' or '1h'")
    return 3600.0 if ttl == "1h" else FIVE_MINUTES


def _key(block: dict) -> str:
    return canonical({k: v for k, v in block.items() if k != "cache_control"})


def as_blocks(content: Any) -> list[dict]:
    """Message or system content as a list of blocks (a string is one text block)."""
    if isinstance(content, str):
        return [{"type": "text", "text": content}]
    return [b for b in content if isinstance(b, dict)] if isinstance(content, list) else []


def anthropic_blocks(body: dict) -> list[Block]:
    """The prompt as cacheable blocks, tools -> system -> messages (reply priming not included)."""
    blocks: list[Block] = []

    def add(where: str, key: str, n: int, control: Any) -> None:
        ttl = _ttl(f"{where}.cache_control", control) if control is not None else None
        blocks.append(Block(key, n, ttl))

    for i, tool in enumerate(body.get("tools") or []):
        shown = {k: tool[k] for k in ("name", "description", "input_schema") if k in tool}
        add(
            f"tools.{i}",
            "tool:" + _key(tool),
            FRAMING + count(compact(shown)),
            tool.get("cache_control"),
        )
    for i, block in enumerate(as_blocks(body.get("system") or [])):
        n = count(str(block.get("text", ""))) + (FRAMING if i == 0 else 0)
        add(f"system.{i}", "system:" + _key(block), n, block.get("cache_control"))
    for m, message in enumerate(body.get("messages") or []):
        role = str(message.get("role", ""))
        for i, block in enumerate(as_blocks(message.get("content"))):
            head = f"{role}:" if i == 0 else ""
            n = _block_tokens(block) + (FRAMING + count(role) if i == 0 else 0)
            add(f"messages.{m}.content.{i}", head + _key(block), n, block.get("cache_control"))
    automatic = body.get("cache_control")
    if automatic is not None and blocks and blocks[-1].ttl is None:
        # Automatic caching: the breakpoint sits on the last cacheable block.
        blocks[-1].ttl = _ttl("cache_control", automatic)
    marked = sum(b.ttl is not None for b in blocks)
    if marked > MAX_BREAKPOINTS:
        raise ApiError(
            400,
            f"A maximum of {MAX_BREAKPOINTS} blocks with cache_control may be provided. Found {marked}.",
        )
    return blocks


def anthropic_input_tokens(blocks: list[Block]) -> int:
    """All input tokens of a request (cached or not) under the stand-in's rule."""
    return sum(b.tokens for b in blocks) + REPLY_PRIMING
