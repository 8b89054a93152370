"""Lesson 7.27's checks: chunking a document to a token budget; the cost of a cached document."""

from course_lib.exercises import check_chunk_text, check_long_context_cost
from course_lib.tokens import count
from course_lib.usage import Usage


def chunk_right(text, max_tokens):
    pieces = []
    for para in text.split("\n\n"):
        if count(para) <= max_tokens:
            pieces.append(para)
            continue
        words, part = para.split(), []
        for word in words:
            if part and count(" ".join([*part, word])) > max_tokens:
                pieces.append(" ".join(part))
                part = []
            part.append(word)
        pieces.append(" ".join(part))
    chunks, current = [], []
    for piece in pieces:
        if current and count("\n\n".join([*current, piece])) > max_tokens:
            chunks.append("\n\n".join(current))
            current = []
        current.append(piece)
    return [*chunks, "\n\n".join(current)]


def test_chunk_text_accepts(verdict):
    verdict(check_chunk_text(chunk_right), True)


def test_chunk_text_rejects(verdict):
    def whole_paragraphs(text, max_tokens):  # never splits a paragraph that is too long
        chunks, current = [], []
        for para in text.split("\n\n"):
            if current and count("\n\n".join([*current, para])) > max_tokens:
                chunks.append("\n\n".join(current))
                current = []
            current.append(para)
        return [*chunks, "\n\n".join(current)]

    for wrong in (None, 3, lambda t, n: [t], lambda t, n: t.split("\n\n")[:-1],
                  lambda t, n: t.split(), lambda t, n: [w for w in t.split("\n\n")] + [""],
                  lambda t, n: chunk_right(t, n)[::-1], whole_paragraphs,
                  lambda t, n: "not a list"):
        verdict(check_chunk_text(wrong), False)


def cost_right(document_tokens, question_tokens, answer_tokens, questions, model):
    first = Usage(input=document_tokens + question_tokens, output=answer_tokens)
    later = Usage(input=question_tokens, cached_input=document_tokens, output=answer_tokens)
    return (first.cost(model) + (questions - 1) * later.cost(model)) / questions


def test_long_context_cost_accepts(verdict):
    verdict(check_long_context_cost(cost_right), True)


def test_long_context_cost_rejects(verdict):
    def never_cached(d, q, a, n, model):
        return Usage(input=d + q, output=a).cost(model)

    def all_cached(d, q, a, n, model):
        return Usage(input=q, cached_input=d, output=a).cost(model)

    def total_not_average(d, q, a, n, model):
        return cost_right(d, q, a, n, model) * n

    for wrong in (None, 0.01, never_cached, all_cached, total_not_average,
                  lambda *args: "cheap", lambda *args: True):
        verdict(check_long_context_cost(wrong), False)
