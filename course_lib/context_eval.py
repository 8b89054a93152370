"""Where in the prompt does a fact get lost? The "Lost in the Middle" data and its harness.

Liu et al., "Lost in the Middle: How Language Models Use Long Contexts" (arXiv 2307.03172
v3; TACL 2024) measured accuracy while moving the one passage that holds the answer through
the prompt. Their multi-document QA numbers are :data:`PUBLISHED_QA` (Appendix G, Tables 5–7)
and :data:`CLOSED_BOOK` (Table 1). Their key-value retrieval task (§3) is reproduced here so
any provider can be measured the same way:

    >>> example = kv_example(n_pairs=4, position=2, seed=0)
    >>> [key for key, _ in example.pairs].index(example.key)
    2
    >>> print(kv_prompt(example).splitlines()[0])
    Extract the value corresponding to the specified key in the JSON object below.
    >>> spread(75, 5)
    [0, 18, 37, 56, 74]

``run_kv_retrieval(client, model, ...)`` takes either SDK's client and returns one row per
request; ``arun_kv_retrieval`` does the same with an async client, a few requests at a time.
A trial's pairs depend only on ``(seed, n_pairs, trial)``: every position of one trial uses
the same pairs with the same gold pair moved, so a difference between positions is the
position's doing. Keys and values are random version-4 UUIDs, as in the paper.

Simplification, said plainly: the paper ran 500 examples per setting; the default here is a
few requests (``trials`` scales it up), so with a real model expect sampling noise of several
points at small ``trials``.
"""

from __future__ import annotations

import random
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from course_lib.usage import Usage

__all__ = [
    "CLOSED_BOOK",
    "PUBLISHED_QA",
    "SOURCE",
    "KVExample",
    "aask",
    "arun_kv_retrieval",
    "ask",
    "kv_example",
    "kv_pairs",
    "kv_prompt",
    "place",
    "published_accuracy",
    "run_kv_retrieval",
    "spread",
]

SOURCE = ("Liu et al., 'Lost in the Middle: How Language Models Use Long Contexts', "
          "arXiv 2307.03172 (v3), Appendix G Tables 5-7 and Table 1")

# Accuracy (%) of multi-document QA by the position (1 = first) of the one document that
# holds the answer, per number of documents in the prompt. Appendix G, Tables 5, 6, 7.
PUBLISHED_QA: dict[int, dict[str, dict[int, float]]] = {
    10: {
        "Claude-1.3": {1: 62.9, 5: 58.3, 10: 59.7},
        "Claude-1.3 (100K)": {1: 63.1, 5: 58.3, 10: 59.7},
        "GPT-3.5-Turbo": {1: 76.8, 5: 61.2, 10: 62.4},
        "GPT-3.5-Turbo (16K)": {1: 76.9, 5: 61.0, 10: 62.5},
        "MPT-30B-Instruct": {1: 60.2, 5: 56.2, 10: 59.7},
        "LongChat-13B (16K)": {1: 72.1, 5: 58.9, 10: 58.5},
    },
    20: {
        "Claude-1.3": {1: 59.9, 5: 55.9, 10: 56.8, 15: 57.2, 20: 60.1},
        "Claude-1.3 (100K)": {1: 59.8, 5: 55.9, 10: 57.0, 15: 57.4, 20: 60.0},
        "GPT-3.5-Turbo": {1: 75.8, 5: 57.2, 10: 53.8, 15: 55.4, 20: 63.2},
        "GPT-3.5-Turbo (16K)": {1: 75.7, 5: 57.3, 10: 54.1, 15: 55.4, 20: 63.1},
        "MPT-30B-Instruct": {1: 53.7, 5: 51.8, 10: 52.2, 15: 52.7, 20: 56.3},
        "LongChat-13B (16K)": {1: 68.6, 5: 57.4, 10: 55.3, 15: 52.5, 20: 55.0},
    },
    30: {  # GPT-3.5-Turbo (4K) is not in Table 7: ~6K-token prompts do not fit its window
        "Claude-1.3": {1: 59.1, 5: 55.1, 10: 54.8, 15: 55.7, 20: 56.4, 25: 56.2, 30: 59.9},
        "Claude-1.3 (100K)": {1: 59.1, 5: 55.1, 10: 54.9, 15: 55.7, 20: 56.6, 25: 56.1, 30: 60.0},
        "GPT-3.5-Turbo (16K)": {1: 73.4, 5: 55.1, 10: 50.5, 15: 50.9, 20: 51.8, 25: 54.9, 30: 63.7},
        "MPT-30B-Instruct": {1: 51.6, 5: 51.3, 10: 51.2, 15: 49.0, 20: 49.6, 25: 51.3, 30: 54.1},
        "LongChat-13B (16K)": {1: 66.9, 5: 54.8, 10: 52.5, 15: 52.9, 20: 52.2, 25: 51.3, 30: 55.1},
    },
}

# Accuracy (%) with no documents at all ("closed-book"), Table 1.
CLOSED_BOOK: dict[str, float] = {
    "LongChat-13B (16K)": 35.0, "MPT-30B-Instruct": 31.5, "GPT-3.5-Turbo": 56.1,
    "GPT-3.5-Turbo (16K)": 56.0, "Claude-1.3": 48.3, "Claude-1.3 (100K)": 48.2,
}

INSTRUCTION = "Extract the value corresponding to the specified key in the JSON object below."


def published_accuracy() -> Any:
    """:data:`PUBLISHED_QA` as a long pandas table: documents, model, position, accuracy."""
    import pandas as pd

    return pd.DataFrame(
        [{"documents": k, "model": model, "position": p, "accuracy": acc}
         for k, by_model in PUBLISHED_QA.items()
         for model, by_position in by_model.items()
         for p, acc in by_position.items()]
    )


# ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class KVExample:
    """One key-value retrieval question: ``pairs`` in prompt order; ``key``'s value is asked."""

    pairs: tuple[tuple[str, str], ...]
    key: str
    value: str

    @property
    def position(self) -> int:
        """Where the gold pair sits (0 = first)."""
        return [k for k, _ in self.pairs].index(self.key)


def _uuid(rng: random.Random) -> str:
    return str(uuid.UUID(int=rng.getrandbits(128), version=4))


def kv_pairs(n_pairs: int, *, seed: int | str = 0) -> list[tuple[str, str]]:
    """``n_pairs`` (key, value) pairs of random UUIDs, the same for the same seed."""
    if n_pairs < 2:
        raise ValueError(f"the task needs at least 2 pairs, got n_pairs={n_pairs}")
    rng = random.Random(f"kv-{seed}-{n_pairs}")  # a str seed is hashed the same in every run
    return [(_uuid(rng), _uuid(rng)) for _ in range(n_pairs)]


def place(items: Sequence[Any], index: int, where: int | str) -> list[Any]:
    """A copy of ``items`` with ``items[index]`` moved to ``where``: a position (0 = first),
    or "first", "middle", "last".

        >>> place(["a", "b", "c", "d", "e"], 0, "middle")
        ['b', 'c', 'a', 'd', 'e']
        >>> place(["a", "b", "c"], 1, "last")
        ['a', 'c', 'b']
    """
    rest = [x for i, x in enumerate(items) if i != index]
    named = {"first": 0, "middle": len(items) // 2, "last": len(items) - 1}
    if isinstance(where, str):
        if where not in named:
            raise ValueError(f"where must be a position or one of {sorted(named)}, not {where!r}")
        where = named[where]
    if not 0 <= where < len(items):
        raise ValueError(f"position {where} is outside 0..{len(items) - 1}")
    return rest[:where] + [items[index]] + rest[where:]


def kv_example(n_pairs: int, position: int | str, *, seed: int | str = 0,
               trial: int = 0) -> KVExample:
    """Trial ``trial``'s pairs, with its gold pair (the first one drawn) moved to ``position``."""
    pairs = kv_pairs(n_pairs, seed=f"{seed}-{trial}")
    key, value = pairs[0]
    return KVExample(tuple(place(pairs, 0, position)), key, value)


def kv_prompt(example: KVExample, *, query_aware: bool = False) -> str:
    """The paper's prompt layout: instruction, the JSON object one pair per line, the key.

    ``query_aware`` also states the key before the data ("query-aware contextualization",
    §4.2 of the paper), which made its key-value retrieval near-perfect for every model.
    """
    lines = [f'"{k}": "{v}"' for k, v in example.pairs]
    data = "{" + ",\n ".join(lines) + "}"
    ask_for = f'Key: "{example.key}"\nCorresponding value:'
    before = f"{ask_for.splitlines()[0]}\n\n" if query_aware else ""
    return f"{INSTRUCTION}\n\n{before}JSON data:\n{data}\n\n{ask_for}"


def spread(n_pairs: int, count: int) -> list[int]:
    """``count`` positions spread evenly from the first (0) to the last (``n_pairs - 1``)."""
    if count < 2:
        return [0]
    return sorted({round(i * (n_pairs - 1) / (count - 1)) for i in range(count)})


# ---------------------------------------------------------------------------------------


def _request(client: Any, model: str, prompt: str, max_output: int,
             options: dict[str, Any]) -> tuple[Any, dict[str, Any]]:
    """The SDK method to call and its arguments, for either provider's client (sync or async)."""
    messages = [{"role": "user", "content": prompt}]
    if hasattr(client, "chat"):  # openai.OpenAI / AsyncOpenAI
        return client.chat.completions.create, {
            "model": model, "messages": messages, "max_completion_tokens": max_output, **options}
    return client.messages.create, {"model": model, "messages": messages,
                                    "max_tokens": max_output, **options}


def _reply(response: Any) -> tuple[str, Usage]:
    if hasattr(response, "choices"):
        return response.choices[0].message.content or "", Usage.from_openai(response)
    text = "".join(getattr(b, "text", "") for b in response.content if b.type == "text")
    return text, Usage.from_anthropic(response)


def ask(client: Any, model: str, prompt: str, *, max_output: int = 100,
        **options: Any) -> tuple[str, Usage]:
    """One user message to either SDK's client; returns (reply text, usage).

    OpenAI gets ``max_completion_tokens`` (the GPT-5 family rejects ``max_tokens``),
    Anthropic ``max_tokens`` (required there). ``options`` go to the SDK call unchanged
    (e.g. ``reasoning_effort="low"``, which then needs a larger ``max_output``).
    """
    method, arguments = _request(client, model, prompt, max_output, options)
    return _reply(method(**arguments))


async def aask(client: Any, model: str, prompt: str, *, max_output: int = 100,
               **options: Any) -> tuple[str, Usage]:
    """:func:`ask` for ``AsyncOpenAI`` / ``AsyncAnthropic`` clients."""
    method, arguments = _request(client, model, prompt, max_output, options)
    return _reply(await method(**arguments))


def _plan(n_pairs: int, positions: Sequence[int | str] | None, trials: int,
          seed: int) -> list[tuple[int, KVExample]]:
    positions = list(positions) if positions is not None else spread(n_pairs, 5)
    return [(trial, kv_example(n_pairs, where, seed=seed, trial=trial))
            for trial in range(trials) for where in positions]


def _table(model: str, plan: list[tuple[int, KVExample]],
           answers: list[tuple[str, Usage]]) -> Any:
    import pandas as pd

    from course_lib import models

    priced = models.find(model) is not None
    return pd.DataFrame([
        {"position": example.position, "trial": trial, "correct": example.value in reply,
         "reply": reply.strip(), "prompt_tokens": usage.prompt,
         "cost": usage.cost(model) if priced else None}
        for (trial, example), (reply, usage) in zip(plan, answers, strict=True)])


def run_kv_retrieval(client: Any, model: str, *, n_pairs: int = 75,
                     positions: Sequence[int | str] | None = None, trials: int = 1,
                     seed: int = 0, query_aware: bool = False, max_output: int = 100,
                     **options: Any) -> Any:
    """Ask for one key's value with the gold pair at each position, ``trials`` times.

    Returns a pandas table, one row per request: position, trial, correct (the value appears
    in the reply, the paper's metric), reply, prompt_tokens, cost (US dollars at ``model``'s
    list price, or None for a model not in data/models.csv).
    Requests: ``len(positions) * trials``; positions default to 5 spread from first to last.
    """
    plan = _plan(n_pairs, positions, trials, seed)
    answers = [ask(client, model, kv_prompt(example, query_aware=query_aware),
                   max_output=max_output, **options) for _, example in plan]
    return _table(model, plan, answers)


async def arun_kv_retrieval(client: Any, model: str, *, n_pairs: int = 75,
                            positions: Sequence[int | str] | None = None, trials: int = 1,
                            seed: int = 0, query_aware: bool = False, max_output: int = 100,
                            concurrency: int = 4, **options: Any) -> Any:
    """:func:`run_kv_retrieval` with an async client, at most ``concurrency`` requests at
    once (for scaling up with a key). Same rows in the same order; only ``cost`` may differ,
    because which request finds a shared prefix already cached depends on timing."""
    import asyncio

    plan = _plan(n_pairs, positions, trials, seed)
    gate = asyncio.Semaphore(concurrency)

    async def one(example: KVExample) -> tuple[str, Usage]:
        async with gate:
            return await aask(client, model, kv_prompt(example, query_aware=query_aware),
                              max_output=max_output, **options)

    answers = await asyncio.gather(*(one(example) for _, example in plan))
    return _table(model, plan, list(answers))
