"""Questions about a document in the prompt: answer from the document itself.

    key-value retrieval ("lost in the middle"): {"k1": "v1", ...} + key "k2"  -> "v2" (exactly)
    <document>…</document> + <chunk>…</chunk> + "situate this chunk"   -> one context sentence
    a long document + a question                     -> the document's best-matching sentence

The stand-in finds the answer wherever it sits, so it shows no "lost in the middle" effect: a
real model is position-sensitive (Liu et al., 2023), which is why lesson 7.28 plots the
published curve. A document is text in <document> tags, after "Document:" or "Context:", or
any system/user message longer than LONG characters (about 200 tokens).
"""

from __future__ import annotations

import math
import re
from collections import Counter

from course_lib.model.behaviours.base import Reply, last_user_text, words
from course_lib.model.types import GenerationRequest

LONG = 800
PAIR = re.compile(r'"([^"\\]{1,200})"\s*:\s*"([^"\\]*)"')
QUESTION = re.compile(r"\?|^\s*(?:what|who|when|where|which|how|why|does|do|is|are|can|"
                      r"question|key|find|extract)\b", re.I | re.M)
MARKED = re.compile(r"<document[^>]*>|\bDocument:|\bContext:|<context>")


def answer_from_document(request: GenerationRequest) -> Reply | None:
    prompt = last_user_text(request)
    texts = [m.content for m in request.messages if m.role in ("system", "user")]
    documents = [t for t in texts if len(t) > LONG or MARKED.search(t)]
    if not documents:
        return None
    chunk = re.search(r"<chunk>(.*?)</chunk>", prompt, re.S)
    if chunk:
        return Reply(situate(chunk.group(1), "\n".join(documents)), behaviour="document")
    question = question_part(prompt)
    if not QUESTION.search(question):
        return None
    document = "\n".join(documents).replace(question, "")  # the question is not evidence
    pairs = dict(PAIR.findall(document))
    if len(pairs) >= 3:  # the key-value retrieval task: answer with the exact value
        for key in re.findall(r'"([^"]+)"', question) + re.findall(r"[\w-]{8,}", question):
            if key in pairs:
                return Reply(pairs[key], behaviour="document")
    return Reply(best_sentence(document, question), behaviour="document")


def question_part(prompt: str) -> str:
    """The question in a prompt that may also hold the document: what follows the document
    (its closing tag or JSON brace), else the last line with a "?" in it."""
    if len(prompt) <= LONG and not MARKED.search(prompt):
        return prompt
    asked = re.findall(r"(?im)^\s*question:\s*(.+)$", prompt)
    if asked:
        return asked[-1]
    after = re.split(r"</document>|</context>|\}\s*\n", prompt)[-1]
    if after.strip() and after != prompt:
        return after
    lines = [line for line in prompt.splitlines() if "?" in line]
    return lines[-1] if lines else prompt.strip().splitlines()[-1]


def sentences(text: str) -> list[str]:
    text = re.sub(r"</?\w+[^>]*>", "\n", text)  # tags are separators, not content
    parts = re.split(r"(?<=[.!?])\s+(?=[\"“(\[A-Z0-9])|\n\s*\n|\n(?=\s*(?:[-*•#]|\d+\.))", text)
    return [" ".join(p.split()) for p in parts if len(p.split()) >= 3]


def best_sentence(document: str, question: str) -> str:
    """BM25 over pairs of neighbouring sentences (a fact and its context often sit in two:
    "To boil an egg, ... Cook it for six minutes for a soft yolk"); ties go to the earlier."""
    found = sentences(document)
    candidates = [" ".join(found[i : i + 2]) for i in range(max(len(found) - 1, 1))][: len(found)]
    said = [words(s) for s in found] + [[]]
    bags = [Counter(said[i] + said[i + 1]) for i in range(len(candidates))]
    average = sum(sum(b.values()) for b in bags) / max(len(bags), 1)
    idf = {}
    for term in set(words(question)):
        df = sum(term in bag for bag in bags)
        idf[term] = math.log(1 + (len(bags) - df + 0.5) / (df + 0.5))
    scores = []
    for bag in bags:
        length = 0.25 + 0.75 * sum(bag.values()) / average  # BM25's k1 = 1.2, b = 0.75
        scores.append(sum(idf[t] * bag[t] * 2.2 / (bag[t] + 1.2 * length) for t in idf if t in bag))
    if not scores or max(scores) == 0:
        return "The document does not seem to say."
    return candidates[scores.index(max(scores))]


def situate(chunk: str, document: str) -> str:
    """Contextual retrieval: name the document, the section holding the chunk, its topic."""
    inner = re.search(r"<document[^>]*>(.*?)</document>", document, re.S)
    document = inner.group(1) if inner else document
    lines = [line.strip() for line in document.splitlines() if line.strip()]
    title = re.sub(r"^#+\s*", "", lines[0]) if lines else "the document"
    where = document.find(chunk.strip()[:80])
    headings = re.findall(r"^#+\s*(.+)$", document[: where if where > 0 else 0], re.M)
    section = f', in the section "{headings[-1].strip()}"' if headings else ""
    topics = [w for w, _ in Counter(w for w in words(chunk) if len(w) > 3).most_common(3)]
    about = ", ".join(topics) if topics else "its subject"
    return f'This chunk is from "{title[:80]}"{section}; it covers {about}.'
