"""The stand-in's "model": one GenerationRequest in, one Generation out.

    generate(GenerationRequest("any", [Message("user", "A list is")], temperature=0))
    -> Generation(text=' a string, and the result of the "finally" clause, if the address is
                  reserved for link-local.', tokens=[TokenInfo(261, b' a', -1.92), ...], ...)

First the scripted behaviours (behaviours/__init__.py) get a chance; otherwise the n-gram model
(ngram.py) continues the last user message token by token until a natural end (a sentence or
paragraph end after MIN_TOKENS, at the latest MAX_NATURAL tokens), ``max_tokens`` ("length")
or a stop string ("stop_sequence"; the stop text is not included).

Determinism: a pure function of the request. ``seed`` drives the sampler (None means 0);
temperature 0 is greedy and ignores the seed. Logprobs are the model's own probabilities,
before temperature and top_p, as real APIs report them; scripted text is chosen with
certainty, so its tokens have logprob 0. Thread-safe: the model is read-only once loaded.
"""

from __future__ import annotations

import dataclasses
import json

import numpy as np

from course_lib.model.behaviours import Reply, last_user_text, respond
from course_lib.model.ngram import NGramModel, default_model, sample_index
from course_lib.model.types import Generation, GenerationRequest, TokenInfo

MIN_TOKENS, MAX_NATURAL = 20, 80


def warm_up() -> None:
    """Load the tokenizer and train the default model now (~0.5 s) rather than on a request."""
    default_model()


def generate(request: GenerationRequest) -> Generation:
    model = default_model()
    reply = respond(request)
    if reply is not None and reply.tool_calls:
        return _tool_calls(reply, request, model)
    if request.json_mode and (reply is None or not reply.behaviour.startswith("json")):
        # JSON mode promises a JSON object, so wrap whatever would have been said.
        unlimited = dataclasses.replace(request, max_tokens=None, stop=[])
        inner = reply.text if reply else _sample(unlimited, model).text
        text = json.dumps({"answer": inner.strip()}, ensure_ascii=False, separators=(",", ":"))
        reply = Reply(text, behaviour="json_mode")
    if reply is None:
        return _sample(request, model)
    return _scripted(reply, request, model)


# ------------------------------------------------------------------------------------------


def _sample(request: GenerationRequest, model: NGramModel) -> Generation:
    rng = np.random.default_rng((request.seed or 0) % (1 << 63))
    context = model.enc.encode_ordinary(_prompt(request))
    stops = [s.encode() for s in request.stop if s]
    limit, top_k = request.max_tokens, min(request.top_logprobs, 20)
    out: list[TokenInfo] = []
    data = pending = b""  # pending: the start of a character whose other bytes are to come
    finish, stop, skipped = "stop", None, 0
    while True:
        if limit is not None and len(out) >= limit:
            finish = "length"
            break
        tokens, probs = model.distribution(context)
        i = sample_index(probs, request.temperature, request.top_p, rng)
        token, raw = int(tokens[i]), model.enc.decode_single_token_bytes(int(tokens[i]))
        natural = len(out) >= MAX_NATURAL or (len(out) >= MIN_TOKENS and _ends(data, raw))
        if natural and not pending:
            break
        context.append(token)
        if not out and not raw.strip() and skipped < 8 and not any(s in raw for s in stops):
            skipped += 1  # a reply starts at its first visible character
            continue
        tail = _incomplete_tail(pending + raw)
        if tail is None:  # the token would make invalid UTF-8: take the likeliest that does not
            fits = [j for j, t in enumerate(tokens) if _incomplete_tail(
                pending + model.enc.decode_single_token_bytes(int(t))) is not None]
            if not fits:
                break
            i = fits[0]
            token = context[-1] = int(tokens[i])
            raw = model.enc.decode_single_token_bytes(token)
            tail = _incomplete_tail(pending + raw)
        top = [(int(t), model.enc.decode_single_token_bytes(int(t)), float(np.log(q)))
               for t, q in zip(tokens[:top_k], probs[:top_k], strict=True)]
        out.append(TokenInfo(token, raw, float(np.log(probs[i])), top))
        data, pending = data + raw, tail
        if (hit := _find_stop(data, stops)) is not None:
            out, finish, stop = _cut(out, hit[0], model), "stop_sequence", hit[1].decode()
            break
    if finish != "stop_sequence":
        complete = data[: len(data) - len(pending)]  # never end inside a character
        if finish == "stop":
            complete = complete.rstrip()  # nor with the newlines that closed a paragraph
        out = _cut(out, len(complete), model)
    if limit is not None and len(out) > limit:  # re-tokenizing a cut can, rarely, add one
        out, finish, stop = _truncate(out, limit, model), "length", None
    text = b"".join(t.text for t in out).decode("utf-8")
    return Generation(text, out, finish_reason=finish, stop_sequence=stop, behaviour="ngram")


def _prompt(request: GenerationRequest) -> str:
    """What the n-gram continues: the end of the last user message, or of a partial
    assistant message (Anthropic's "prefill": the reply continues that text)."""
    last = request.messages[-1] if request.messages else None
    if last is not None and last.role == "assistant" and last.content and not last.tool_calls:
        return last.content
    return last_user_text(request) or "\n\n"


def _ends(data: bytes, raw: bytes) -> bool:
    """A natural end before token ``raw``: a paragraph break, or a space after . ! or ?"""
    sentence = data.rstrip(b"\"')]").endswith((b".", b"!", b"?")) and raw[:1] in (b" ", b"\n")
    return data.endswith(b"\n\n") or raw.startswith(b"\n\n") or sentence


def _incomplete_tail(data: bytes) -> bytes | None:
    """The unfinished character at the end of ``data`` (b"" if none); None if invalid."""
    try:
        data.decode("utf-8")
        return b""
    except UnicodeDecodeError as error:
        return data[error.start :] if error.reason == "unexpected end of data" else None


def _find_stop(data: bytes, stops: list[bytes]) -> tuple[int, bytes] | None:
    hits = [(data.find(s), s) for s in stops if s in data]
    return min(hits) if hits else None


def _cut(tokens: list[TokenInfo], n: int, model: NGramModel) -> list[TokenInfo]:
    """The tokens of the first ``n`` bytes (``n`` at a character boundary). A token cut in
    two is re-tokenized; the new pieces carry the cut token's logprob."""
    data, ends = b"", []
    for token in tokens:
        data += token.text
        ends.append(len(data))
    keep = sum(end <= n for end in ends)
    while keep and ends[keep - 1] < len(data) and data[ends[keep - 1]] & 0xC0 == 0x80:
        keep -= 1  # that token ended inside a character: re-tokenize from its start instead
    start = ends[keep - 1] if keep else 0
    if start == n:
        return tokens[:keep]
    source = tokens[keep]
    pieces = model.enc.encode_ordinary(data[start:n].decode("utf-8"))
    return tokens[:keep] + [
        TokenInfo(t, model.enc.decode_single_token_bytes(t), source.logprob, source.top)
        for t in pieces
    ]


def _truncate(tokens: list[TokenInfo], limit: int, model: NGramModel) -> list[TokenInfo]:
    """At most ``limit`` tokens that end on a whole character."""
    for k in range(min(limit, len(tokens)), -1, -1):
        kept = b"".join(t.text for t in tokens[:k])
        cut = _cut(tokens, len(kept) - len(_incomplete_tail(kept) or b""), model)
        if len(cut) <= limit:
            return cut
    return []


def _scripted(reply: Reply, request: GenerationRequest, model: NGramModel) -> Generation:
    ids = model.enc.encode_ordinary(reply.text)
    with_top = request.top_logprobs > 0
    tokens = []
    for t in ids:
        raw = model.enc.decode_single_token_bytes(t)
        tokens.append(TokenInfo(t, raw, 0.0, [(t, raw, 0.0)] if with_top else []))
    data, limit = reply.text.encode(), request.max_tokens
    finish, stop = "stop", None
    hit = _find_stop(data, [s.encode() for s in request.stop if s])
    if hit is not None:
        end, total, needed = hit[0] + len(hit[1]), 0, 0
        while total < end:
            total, needed = total + len(tokens[needed].text), needed + 1
        if limit is None or needed <= limit:
            tokens, finish, stop = _cut(tokens, hit[0], model), "stop_sequence", hit[1].decode()
    if limit is not None and len(tokens) > limit:
        tokens, finish, stop = _truncate(tokens, limit, model), "length", None
    text = b"".join(t.text for t in tokens).decode("utf-8")
    return Generation(text, tokens, finish_reason=finish, stop_sequence=stop,
                      behaviour=reply.behaviour)


def _tool_calls(reply: Reply, request: GenerationRequest, model: NGramModel) -> Generation:
    """Tool calls are all or nothing: those that fit in max_tokens, and "length" if any
    did not (a half-written JSON argument helps nobody)."""
    calls, used, limit = [], 0, request.max_tokens
    for call in reply.tool_calls:
        used += len(model.enc.encode_ordinary(call.name))
        used += len(model.enc.encode_ordinary(call.arguments))
        if limit is not None and used > limit:
            return Generation("", [], calls, finish_reason="length", behaviour=reply.behaviour)
        calls.append(call)
    return Generation("", [], calls, finish_reason="tool_calls", behaviour=reply.behaviour)
