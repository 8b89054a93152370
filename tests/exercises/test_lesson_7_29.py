"""Lesson 7.29's checks: a chunk's context, hit rate, Anthropic's published reduction."""

from course_lib.exercises import check_add_context, check_failure_reduction, check_hit_rate


def context_right(chunk):
    where = f', section "{chunk.section}"' if chunk.section else ""
    return f'From "{chunk.title}"{where}.\n\n{chunk.text}'


def test_add_context(verdict):
    verdict(check_add_context(context_right), True)
    verdict(check_add_context(lambda c: f'{c.title}, section "{c.section}"\n\n{c.text}'), False)
    for bad in (None, "text",
                lambda c: c.text,                                       # no context
                lambda c: f"{c.text}\n\n{c.title} {c.section}",         # appended
                lambda c: f"{c.title}: {c.text.upper()}",               # text changed
                lambda c: f"{c.section}\n\n{c.text}",                   # no title
                lambda c: ("context " * 50) + c.title + c.section + "\n" + c.text,  # too long
                lambda c: 1 / 0,
                lambda c: [c.title, c.text]):
        verdict(check_add_context(bad), False)


def hit_rate_right(rankings, gold, k):
    return sum(g in r[:k] for r, g in zip(rankings, gold, strict=True)) / len(gold)


def test_hit_rate(verdict):
    verdict(check_hit_rate(hit_rate_right), True)
    for bad in (None, 3,
                lambda r, g, k: sum(x in y[:k] for y, x in zip(r, g, strict=True)),              # a count
                lambda r, g, k: sum(x in y[: k + 1] for y, x in zip(r, g, strict=True)) / len(g),  # off by one
                lambda r, g, k: sum(x in y for y, x in zip(r, g, strict=True)) / len(g),         # ignores k
                lambda r, g, k: sum(r[0][:k].count(x) for x in g) / len(g),         # one ranking
                lambda r, g, k: True,
                lambda r, g, k: 1 / 0):
        verdict(check_hit_rate(bad), False)


def test_failure_reduction(verdict):
    verdict(check_failure_reduction(1 - 2.9 / 5.7), True)
    verdict(check_failure_reduction(0.49), True)
    for bad in (None, "49%", True, 49.1, 2.8, 0.028, 0.51, 0.35, 0.67):
        verdict(check_failure_reduction(bad), False)
