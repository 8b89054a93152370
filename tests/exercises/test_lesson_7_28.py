"""Lesson 7.28's checks: reordering documents for the edges; the gap read from the paper's table."""

from course_lib.context_eval import PUBLISHED_QA, published_accuracy
from course_lib.exercises import check_edges_order, check_middle_gap


def edges(ranked):
    front, back = [], []
    for i, doc in enumerate(ranked):
        (front if i % 2 == 0 else back).append(doc)
    return front + back[::-1]


def test_edges_order_accepts(verdict):
    assert edges(list("ABCDE")) == ["A", "C", "E", "D", "B"]
    verdict(check_edges_order(edges), True)


def test_edges_order_rejects(verdict):
    def mutates(ranked):
        ranked.reverse()
        return edges(ranked[::-1])

    for wrong in (None, "A", lambda r: list(r), lambda r: r[::-1], lambda r: edges(r)[::-1],
                  lambda r: r[:1] + r[2:] + r[1:2],  # best first, second last, rest in order
                  lambda r: edges(r)[:-1], lambda r: 1 / 0, mutates):
        verdict(check_edges_order(wrong), False)


def gaps():
    table = published_accuracy().query("documents == 20")
    by_model = table.groupby("model")["accuracy"]
    return (by_model.max() - by_model.min()).round(1)


def test_middle_gap_accepts(verdict):
    verdict(check_middle_gap(gaps()), True)
    verdict(check_middle_gap(gaps().to_dict()), True)


def test_middle_gap_rejects(verdict):
    first_minus_last = {m: p[1] - p[20] for m, p in PUBLISHED_QA[20].items()}
    fractions = (gaps() / 100).to_dict()
    missing = gaps().to_dict()
    missing.popitem()
    for wrong in (None, 22.0, first_minus_last, fractions, missing,
                  {m: "big" for m in PUBLISHED_QA[20]}):
        verdict(check_middle_gap(wrong), False)
