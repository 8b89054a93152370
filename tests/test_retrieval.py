"""course_lib.retrieval: chunking, a chunk's context, gold chunks and hit rate, on data/retrieval/."""

import pytest

from course_lib import retrieval
from course_lib.tokens import count

DOCS = retrieval.load_documents()
QUESTIONS = retrieval.load_questions()


def test_the_labelled_set_is_a_handful_of_documents_and_20_to_40_questions():
    assert 4 <= len(DOCS) <= 8 and 20 <= len(QUESTIONS) <= 40
    assert len({q.id for q in QUESTIONS}) == len(QUESTIONS)
    assert {q.document for q in QUESTIONS} == set(DOCS)


@pytest.mark.parametrize("size", [20, 40, 60, 80, 200])
def test_chunks_are_verbatim_slices_without_headings(size):
    for name, text in DOCS.items():
        chunks = retrieval.chunk_document(name, text, size)
        assert [c.id for c in chunks] == [f"{name}#{i}" for i in range(len(chunks))]
        for c in chunks:
            assert text[c.start : c.end] == c.text and "#" not in c.text
            assert c.title == text.splitlines()[0].removeprefix("# ")
            assert c.section in text
        # every paragraph lands in exactly one chunk, in order
        body = [p for p in text.split("\n\n") if not p.startswith("#")]
        assert "\n\n".join(c.text for c in chunks) == "\n\n".join(body)
        several = [c for c in chunks if "\n\n" in c.text]
        assert all(count(c.text) <= size for c in several)  # packed runs fit the budget
    retrieval.gold_chunks(QUESTIONS, retrieval.chunk_documents(DOCS, size))  # labels still hold


def test_every_question_has_exactly_one_gold_chunk():
    chunks = retrieval.chunk_documents(DOCS)
    gold = retrieval.gold_chunks(QUESTIONS, chunks)
    assert set(gold) == {q.id for q in QUESTIONS}
    by_id = {c.id: c for c in chunks}
    assert all(by_id[gold[q.id]].document == q.document for q in QUESTIONS)


def test_ambiguous_evidence_is_refused():
    chunks = retrieval.chunk_documents(DOCS)
    vague = retrieval.Question("x", "aurora-kettle.md", "?", "the")
    with pytest.raises(ValueError, match="exactly one"):
        retrieval.gold_chunks([vague], chunks)


def test_context_is_prepended_and_names_title_and_section():
    chunk = retrieval.chunk_documents(DOCS)[3]
    context = retrieval.title_context(chunk)
    assert context == f'From "{chunk.title}", section "{chunk.section}".'
    assert retrieval.contextualise(chunk, context + "  ") == f"{context}\n\n{chunk.text}"
    intro = retrieval.chunk_documents(DOCS)[0]
    assert intro.section == "" and "section" not in retrieval.title_context(intro)


def test_hit_rate():
    assert retrieval.hit_rate([["a", "b"], ["b", "a"]], ["a", "a"], 1) == 0.5
    assert retrieval.hit_rate([["a", "b"], ["b", "a"]], ["a", "a"], 2) == 1.0
    with pytest.raises(ValueError):
        retrieval.hit_rate([["a"]], [], 1)
