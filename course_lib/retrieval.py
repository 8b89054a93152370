"""Retrieval helpers (lesson 7.29): documents → chunks, a chunk's parent context, hit rate.

The labelled set lives in ``data/retrieval/`` (documents in Markdown, ``questions.csv`` with
the words of each question's answer); see data/README.md. Ranking itself (BM25, embeddings)
is the lesson's teaching code and stays in the notebook.

    >>> text = "# Kettle guide\\n\\nIntro.\\n\\n## Warranty\\n\\nIt lasts two years."
    >>> [(c.section, c.text) for c in chunk_document("k.md", text)]
    [('', 'Intro.'), ('Warranty', 'It lasts two years.')]
    >>> hit_rate([["a", "b"], ["c", "d"]], ["b", "x"], k=2)
    0.5

A chunk's ``text`` is a verbatim slice of its document (``start``/``end``), never the
section heading: that is what makes it lose its parent context.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

DATA = Path(__file__).resolve().parent.parent / "data" / "retrieval"
STOP_WORDS = frozenset({
    "a", "an", "and", "are", "as", "at", "be", "by", "can", "do", "does", "for", "from", "has",
    "have", "how", "i", "in", "is", "it", "its", "my", "of", "on", "or", "should", "that", "the",
    "this", "to", "was", "what", "when", "where", "which", "who", "why", "will", "with", "you",
    "your",
})


@dataclass(frozen=True)
class Chunk:
    id: str  # "aurora-kettle.md#3": document and position
    document: str  # the document's file name
    title: str  # the document's "# " heading
    section: str  # the "## " heading above the chunk ("" before the first one)
    text: str  # document text[start:end], verbatim
    start: int
    end: int


@dataclass(frozen=True)
class Question:
    id: str
    document: str
    question: str
    evidence: str  # words of the answer, verbatim in exactly one chunk


def load_documents(folder: Path = DATA / "documents") -> dict[str, str]:
    """{file name: Markdown text} of every ``*.md`` in ``folder``, sorted by name."""
    return {p.name: p.read_text(encoding="utf-8") for p in sorted(Path(folder).glob("*.md"))}


def load_questions(path: Path = DATA / "questions.csv") -> list[Question]:
    with Path(path).open(newline="", encoding="utf-8") as f:
        return [Question(**row) for row in csv.DictReader(f)]


def chunk_document(name: str, text: str, max_tokens: int = 60) -> list[Chunk]:
    """Split Markdown ``text`` into chunks: paragraphs of one section packed together while they
    fit in ``max_tokens`` (``o200k_base``; a longer paragraph is a chunk of its own). Headings
    are never part of a chunk's text; they are kept as ``title`` and ``section``."""
    from course_lib.tokens import count

    title, section = "", ""
    pieces: list[tuple[str, int, int]] = []  # (section, start, end) of each paragraph
    for match in re.finditer(r"[^\n](?:.|\n(?!\s*\n))*", text):
        block = match.group()
        heading = re.match(r"(#+)\s+(.*)", block)
        if heading and len(heading.group(1)) == 1:
            title = heading.group(2).strip()
        elif heading:
            section = heading.group(2).strip()
        else:
            pieces.append((section, match.start(), match.end()))
    chunks: list[Chunk] = []
    run: list[tuple[str, int, int]] = []

    def flush() -> None:
        if run:
            start, end = run[0][1], run[-1][2]
            chunks.append(Chunk(f"{name}#{len(chunks)}", name, title, run[0][0],
                                text[start:end], start, end))
            run.clear()

    for piece in pieces:
        if run and (piece[0] != run[0][0] or count(text[run[0][1] : piece[2]]) > max_tokens):
            flush()
        run.append(piece)
    flush()
    return chunks


def chunk_documents(documents: dict[str, str], max_tokens: int = 60) -> list[Chunk]:
    """Every document's chunks, in order."""
    return [c for name, text in documents.items() for c in chunk_document(name, text, max_tokens)]


def title_context(chunk: Chunk) -> str:
    """The cheapest parent context: where the chunk sits, from the document's own headings."""
    where = f', section "{chunk.section}"' if chunk.section else ""
    return f'From "{chunk.title}"{where}.'


def contextualise(chunk: Chunk, context: str) -> str:
    """The text to index: the context, a blank line, then the chunk unchanged."""
    return f"{context.strip()}\n\n{chunk.text}"


def gold_chunks(questions: Sequence[Question], chunks: Sequence[Chunk]) -> dict[str, str]:
    """{question id: id of the one chunk of its document that holds its evidence}."""
    gold = {}
    for q in questions:
        found = [c.id for c in chunks if c.document == q.document and q.evidence in c.text]
        if len(found) != 1:
            raise ValueError(f"{q.id}: evidence {q.evidence!r} is in {len(found)} chunks of "
                             f"{q.document} ({found}); it must be in exactly one. Choose other "
                             "evidence words or another chunk size.")
        gold[q.id] = found[0]
    return gold


def words(text: str) -> list[str]:
    """Lower-case words minus common stop words: the tokens BM25 indexes.

    >>> words("How long is the warranty on the Aurora kettle?")
    ['long', 'warranty', 'aurora', 'kettle']
    """
    return [w for w in re.findall(r"[a-z0-9]+", text.lower()) if w not in STOP_WORDS]


def hit_rate(rankings: Sequence[Sequence[str]], gold: Sequence[str], k: int) -> float:
    """Recall@k with one relevant chunk per question: the share of questions whose gold chunk
    is among the first ``k`` ids of its ranking. (Anthropic reports 1 − recall@20 as the
    "failure rate".)"""
    if len(rankings) != len(gold) or not gold:
        raise ValueError("one ranking per question, and at least one question")
    return sum(g in list(r)[:k] for r, g in zip(rankings, gold, strict=True)) / len(gold)
