"""History → a provider request whose prefix stays byte-stable, so prompt caches keep hitting.

A provider caches a prompt's *prefix*: the next request reuses the work only up to its first
byte that differs. So the layout is:

1. the system prompt and the tool definitions first, identical on every request of a
   conversation (stored with the conversation; tools rendered once at import);
2. the history, append-only: each past turn is replayed exactly as it was sent, tool rounds
   included (stored in ``messages.tool_rounds``), so request N+1 starts with request N;
3. Anthropic ``cache_control`` breakpoints on the system prompt, on the newest message and on
   the previous user turn, so each request writes the cache up to its end and the next one
   reads it (OpenAI caches automatically; ``prompt_cache_key``, a hash of the system prompt,
   sends requests that share that prefix to the same cache);
4. trimming in blocks: when the history passes its token budget, whole old turns are dropped,
   a block at a time (turns adding up to half the budget), and block edges depend only on the
   turns themselves. Between two trims every request keeps the same first kept turn, so the
   prefix stays cached; dropping one turn per request would change it every time.

    >>> rows = [{"role": "user", "content": "hi"}, {"role": "assistant", "content": "hello"}]
    >>> openai_messages("Be brief.", rows)
    [{'role': 'system', 'content': 'Be brief.'}, {'role': 'user', 'content': 'hi'}, {'role': 'assistant', 'content': 'hello'}]
    >>> keep_from([100, 100, 100, 100, 100], budget=300)     # blocks of >= 150 tokens: 2 turns
    2
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

EPHEMERAL = {"type": "ephemeral"}
Row = dict[str, Any]


# ---------------------------------------------------------------------------------------
# Turns and trimming


def turns(rows: Sequence[Row]) -> list[list[Row]]:
    """Messages grouped into turns: a user message and what the assistant answered."""
    grouped: list[list[Row]] = []
    for row in rows:
        if row["role"] == "user" or not grouped:
            grouped.append([])
        grouped[-1].append(row)
    return grouped


def keep_from(sizes: Sequence[int], *, budget: int) -> int:
    """Index of the first turn to keep so the kept turns fit ``budget`` tokens.

    Old turns go in blocks of at least ``budget // 2`` tokens, cut greedily from the oldest,
    so the edges never move as turns are appended: the cut changes only when another whole
    block must go. The newest turn is always kept.
    """
    if budget <= 0 or not sizes:
        return 0
    block = max(budget // 2, 1)
    edges, running = [0], 0  # turn indices where a block ends, from the oldest
    for index, size in enumerate(sizes):
        running += size
        if running >= block:
            edges.append(index + 1)
            running = 0
    start = 0
    for edge in edges:
        if sum(sizes[start:]) <= budget or edge >= len(sizes):
            break
        start = edge
    return min(start, len(sizes) - 1)


def trim(rows: Sequence[Row], *, budget: int, count: Callable[[Row], int]) -> tuple[list[Row], int]:
    """The rows to send (whole turns) and how many old turns were dropped."""
    grouped = turns(rows)
    start = keep_from([sum(count(row) for row in turn) for turn in grouped], budget=budget)
    return [row for turn in grouped[start:] for row in turn], start


def row_tokens(row: Row) -> int:
    """Rough tokens of one stored message (text and tool rounds), for trimming."""
    from course_lib import tokens

    text = row["content"] + "".join(
        round_["text"] + "".join(str(c["arguments"]) + c["result"] for c in round_["calls"])
        for round_ in row.get("tool_rounds") or [])
    return tokens.count(text) + 4


def replayable(rows: Sequence[Row]) -> list[Row]:
    """Rows a provider accepts as history: failed replies keep only their text, empty ones go."""
    kept = []
    for row in rows:
        if row["role"] == "assistant" and row.get("status", "complete") != "complete":
            if not row["content"].strip():
                continue
            row = {**row, "tool_rounds": []}  # a cut-off round may lack its tool results
        kept.append(row)
    return kept


def cache_key(system: str) -> str:
    """OpenAI's ``prompt_cache_key``: requests that share the system prompt share a prefix.

    Derived from the prefix itself, not from the conversation id, so it is the same on every
    run (the stand-in's replies and ids depend on the whole request, this key included).

    >>> cache_key("Be brief.")
    'chat-api-213c22ed7234eb11'
    """
    import hashlib

    return "chat-api-" + hashlib.sha256(system.encode()).hexdigest()[:16]


# ---------------------------------------------------------------------------------------
# OpenAI Chat Completions


def openai_round(round_: Row) -> list[dict[str, Any]]:
    """One tool round: the assistant's calls, then one tool message per result."""
    assistant: dict[str, Any] = {"role": "assistant", "content": round_["text"] or None}
    assistant["tool_calls"] = [
        {"id": c["id"], "type": "function",
         "function": {"name": c["name"], "arguments": c["arguments"]}}
        for c in round_["calls"]]
    return [assistant] + [{"role": "tool", "tool_call_id": c["id"], "content": c["result"]}
                          for c in round_["calls"]]


def openai_messages(system: str, rows: Sequence[Row]) -> list[dict[str, Any]]:
    messages: list[dict[str, Any]] = [{"role": "system", "content": system}]
    for row in rows:
        for round_ in row.get("tool_rounds") or []:
            messages += openai_round(round_)
        messages.append({"role": row["role"], "content": row["content"]})
    return messages


# ---------------------------------------------------------------------------------------
# Anthropic Messages


def anthropic_round(round_: Row) -> list[dict[str, Any]]:
    content: list[dict[str, Any]] = []
    if round_["text"].strip():
        content.append({"type": "text", "text": round_["text"]})
    content += [{"type": "tool_use", "id": c["id"], "name": c["name"], "input": c["arguments"]}
                for c in round_["calls"]]
    results = []
    for c in round_["calls"]:
        block = {"type": "tool_result", "tool_use_id": c["id"], "content": c["result"]}
        if c.get("is_error"):
            block["is_error"] = True
        results.append(block)
    return [{"role": "assistant", "content": content}, {"role": "user", "content": results}]


def _append(messages: list[dict[str, Any]], role: str, blocks: list[dict[str, Any]]) -> None:
    """Add blocks as a message; a role repeated (after a dropped failed reply) joins the last."""
    if messages and messages[-1]["role"] == role:
        messages[-1]["content"] = messages[-1]["content"] + blocks
    else:
        messages.append({"role": role, "content": blocks})


def anthropic_messages(rows: Sequence[Row]) -> list[dict[str, Any]]:
    messages: list[dict[str, Any]] = []
    for row in rows:
        for round_ in row.get("tool_rounds") or []:
            for message in anthropic_round(round_):
                _append(messages, message["role"], message["content"])
        if row["content"].strip():
            _append(messages, row["role"], [{"type": "text", "text": row["content"]}])
    return messages


def anthropic_system(system: str) -> list[dict[str, Any]]:
    """The system prompt as one block with a breakpoint: it caches tools + system together."""
    return [{"type": "text", "text": system, "cache_control": EPHEMERAL}]


def with_breakpoints(messages: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """A copy with ``cache_control`` on the newest message and on the user turn before it.

    The newest breakpoint writes this request's whole prompt to the cache; the older one is
    where the previous request wrote, so it is read even when a turn's tool rounds push it
    more than 20 blocks back (Anthropic looks back at most 20 blocks from a breakpoint).
    With the system prompt's, that is 3 of the 4 breakpoints allowed.
    """
    marked = [{**m, "content": [dict(b) for b in m["content"]]} for m in messages]
    targets = [len(marked) - 1] if marked else []
    earlier = [i for i, m in enumerate(marked[:-1]) if m["role"] == "user"
               and not any(b["type"] == "tool_result" for b in m["content"])]
    if earlier:
        targets.append(earlier[-1])
    for index in targets:
        marked[index]["content"][-1]["cache_control"] = EPHEMERAL
    return marked
