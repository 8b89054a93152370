"""course_lib.context: the context-window fill bar."""

import doctest

import pytest

from course_lib import context
from course_lib.context import context_bar


def test_docstring_examples():
    assert doctest.testmod(context).failed == 0


def test_text_bar_fills_and_reports_free_tokens():
    bar = context_bar(32_000, 128_000)
    assert repr(bar).startswith("[█████░░░░░░░░░░░░░░░]")
    assert "25.0% of 128,000 tokens (96,000 free)" in repr(bar)


def test_reserved_reply_space_counts_against_the_window():
    bar = context_bar(100_000, 128_000, reserved=16_384)
    assert bar.free == 128_000 - 100_000 - 16_384
    assert "▒" in repr(bar) and "reserved for the reply" in repr(bar)
    assert "over" in repr(context_bar(120_000, 128_000, reserved=16_384))


def test_html_colours_follow_the_fill():
    assert "#16a34a" in context_bar(10, 100)._repr_html_()  # green
    assert "#d97706" in context_bar(90, 100)._repr_html_()  # amber
    over = context_bar(150, 100, label="<turn>")._repr_html_()
    assert "#dc2626" in over and "width:100.00%" in over and "&lt;turn&gt;" in over


def test_rejects_nonsense():
    with pytest.raises(ValueError):
        context_bar(1, 0)
    with pytest.raises(ValueError):
        context_bar(-1, 10)
