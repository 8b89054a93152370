"""``POST /v1/embeddings``: the real request checks, and a documented embedding of the stand-in's own.

The stand-in has no trained embedding model. Its vector for a text is a **hashed bag of words**:

1. lower-case words (``[a-z0-9]+``), minus a short list of English stop words;
2. features: each word (weight 1) and its character trigrams with boundary marks
   (``#wa``, ``war``, …, weight 0.3 each), so "warranty" and "warranties" share most features;
3. each feature is hashed (blake2b) to one of ``d`` dimensions with a sign of ±1 — ``d`` is
   the model's native size (1536 for ``text-embedding-3-small``, 3072 for ``-large``) or the
   ``dimensions`` asked for; counts are damped (1 + log tf);
4. the vector is L2-normalised.

OpenAI shortens a trained vector by cutting it and normalising again; cutting a hashed vector
would drop most of a short text's features, so the stand-in hashes into fewer buckets instead
(more collisions: a little less precise, like a shortened real embedding).

    >>> a, b, c = (embed(t, 1536) for t in ("battery life", "the battery lasts", "warranty"))
    >>> round(sum(x * x for x in a), 6)
    1.0
    >>> cosine(a, b) > 0.3 > cosine(a, c)
    True

So similar vectors mean *shared words*, not shared meaning: "price" and "cost" are unrelated
to it, and word order is ignored. A trained model (``text-embedding-3-*``) maps paraphrases,
synonyms and other languages close together. Same text -> same vector, on every machine.

Usage counts ``cl100k_base`` tokens, the tokenizer of the text-embedding-3 models (tiktoken's
model table). The errors follow what users report from the real API (README: Endpoints).
"""

from __future__ import annotations

import base64
import hashlib
import math
import re
import struct
from collections import Counter
from typing import Any

from course_lib import models, tokens
from course_lib.offline.errors import ApiError
from course_lib.offline.exchange import Call, Reply
from course_lib.offline.openai import limits
from course_lib.offline.openai.checks import bad, expect

# Native sizes (OpenAI's embeddings guide and model pages); not a column of data/models.csv.
DIMENSIONS = {"text-embedding-3-small": 1536, "text-embedding-3-large": 3072}
ENCODING = "cl100k_base"  # tiktoken: text-embedding-3-* -> cl100k_base
MAX_INPUTS = 2048  # items in one request (SDK docstring: "any array must be 2048 dimensions or less")
MAX_REQUEST_TOKENS = 300_000  # summed over the inputs of one request (SDK docstring)
KNOWN = {"input", "model", "dimensions", "encoding_format", "user"}
STOP_WORDS = frozenset({
    "a", "an", "and", "are", "as", "at", "be", "by", "do", "does", "for", "from", "has", "have",
    "how", "i", "in", "is", "it", "its", "of", "on", "or", "that", "the", "this", "to", "was",
    "what", "when", "where", "which", "who", "why", "will", "with", "you", "your",
})
TRIGRAM_WEIGHT = 0.3
INVALID_INPUT = (
    "'$.input' is invalid. Please check the API reference: "
    "https://platform.openai.com/docs/api-reference."
)


def is_embedding_model(info: models.ModelInfo) -> bool:
    """An embeddings model writes no tokens: its row in data/models.csv has ``max_output`` 0."""
    return info.embedding


# ---------------------------------------------------------------------------------------
# The embedding


def features(text: str) -> Counter[str]:
    """How often each feature of ``text`` occurs: ``w:`` its words, ``c:`` their trigrams."""
    found: Counter[str] = Counter()
    for word in re.findall(r"[a-z0-9]+", text.lower()):
        if word in STOP_WORDS:
            continue
        found["w:" + word] += 1
        marked = f"#{word}#"
        found.update("c:" + marked[i : i + 3] for i in range(len(marked) - 2))
    return found


def embed(text: str, size: int) -> list[float]:
    """The stand-in's unit vector of ``size`` numbers for ``text``."""
    vector = [0.0] * size
    for feature, tf in features(text).items():
        h = int.from_bytes(hashlib.blake2b(feature.encode(), digest_size=8).digest(), "little")
        sign = 1.0 if h >> 63 else -1.0
        weight = 1.0 if feature.startswith("w:") else TRIGRAM_WEIGHT
        vector[h % size] += sign * weight * (1.0 + math.log(tf))
    norm = math.sqrt(sum(x * x for x in vector))
    if norm == 0:  # only stop words: a fixed unit vector, so cosine stays defined
        vector[0] = norm = 1.0
    return [x / norm for x in vector]


def cosine(a: list[float], b: list[float]) -> float:
    """Cosine similarity; for unit vectors it is the dot product."""
    return sum(x * y for x, y in zip(a, b, strict=True))


# ---------------------------------------------------------------------------------------
# The request


def _inputs(value: Any) -> list[str | list[int]]:
    """The inputs as a list of texts or token arrays, or the real API's 400."""
    if value is None:
        raise bad("Missing required parameter: 'input'.", "input", "missing_required_parameter")
    if isinstance(value, str):
        items: list[Any] = [value]
    elif isinstance(value, list) and value and all(isinstance(t, int) for t in value):
        items = [value]  # one token array
    elif isinstance(value, list):
        items = value
    else:
        raise bad(INVALID_INPUT, None)
    if len(items) > MAX_INPUTS:
        raise bad(f"Invalid 'input': array length must be {MAX_INPUTS} or less.", "input")
    if not items:
        raise bad(INVALID_INPUT, None)
    vocabulary = tokens.encoding(ENCODING).n_vocab
    for item in items:
        if isinstance(item, str) and item:
            continue
        if (
            isinstance(item, list)
            and item
            and all(isinstance(t, int) and not isinstance(t, bool) and 0 <= t < vocabulary for t in item)
        ):
            continue
        raise bad(INVALID_INPUT, None)  # "" (also inside an array), numbers, objects, bad ids
    return items


def create(call: Call) -> Reply:
    body = call.body
    for name in body:
        if name not in KNOWN:
            raise bad(f"Unrecognized request argument supplied: {name}", None)
    info = limits.model_info(body)
    if not is_embedding_model(info):
        raise ApiError(403, "You are not allowed to generate embeddings from this model")
    items = _inputs(body.get("input"))
    size = DIMENSIONS[info.model]
    keep = body.get("dimensions")
    if keep is not None:
        expect(keep, (int,), "dimensions", ["integer"])
        if not 1 <= keep <= size:
            raise bad(
                f"Invalid value for 'dimensions' = {keep}. Must be greater than or equal to 1 "
                f"and less than or equal to {size}.",
                "dimensions",
            )
    fmt = body.get("encoding_format") or "float"
    if fmt not in ("float", "base64"):
        raise bad(
            f"Invalid value for 'encoding_format': '{fmt}'. Supported values are: 'float' and "
            "'base64'.",
            "encoding_format",
            "invalid_value",
        )
    encoder = tokens.encoding(ENCODING)
    texts, counts = [], []
    for item in items:
        if isinstance(item, str):
            ids = encoder.encode(item, disallowed_special=())
            texts.append(item)
        else:
            ids = item
            texts.append(encoder.decode(item))
        if len(ids) > info.max_input:
            raise bad(
                f"This model's maximum context length is {info.max_input} tokens, however you "
                f"requested {len(ids)} tokens ({len(ids)} in your prompt; 0 for the completion). "
                "Please reduce your prompt; or completion length.",
                None,
            )
        counts.append(len(ids))
    total = sum(counts)
    if total > MAX_REQUEST_TOKENS:
        raise ApiError(
            400,
            f"Requested {total} tokens, max {MAX_REQUEST_TOKENS} tokens per request",
            type="max_tokens_per_request",
            code="max_tokens_per_request",
        )
    data = []
    for i, text in enumerate(texts):
        vector = embed(text, keep or size)
        if fmt == "base64":
            packed = struct.pack(f"<{len(vector)}f", *vector)
            value: Any = base64.b64encode(packed).decode("ascii")
        else:
            value = vector
        data.append({"object": "embedding", "index": i, "embedding": value})
    return Reply(
        {
            "object": "list",
            "data": data,
            "model": body["model"],
            "usage": {"prompt_tokens": total, "total_tokens": total},
        }
    )
