"""course_lib.display: coloured tokens with a readable, deterministic text fallback."""

import subprocess
import sys

from course_lib.display import TokenView, piece_text, show_tokens
from course_lib.tokens import encoding


def test_text_view_separates_tokens_and_counts_them():
    view = show_tokens("Hello, world!")
    assert repr(view) == "Hello|,| world|!  (4 tokens, o200k_base)"
    assert str(view) == repr(view)
    assert len(view) == 4


def test_pieces_join_back_to_the_text_and_ids_match_tiktoken():
    text = "def f(x):\n\treturn x * 2  # naïve 日本語"
    for name in ("o200k_base", "cl100k_base"):
        view = show_tokens(text, name)
        assert list(view.ids) == encoding(name).encode(text)
        assert b"".join(view.pieces).decode("utf-8") == text


def test_line_breaks_and_tabs_are_visible_in_the_text_view():
    text = repr(show_tokens("a\n\tb"))
    assert "\n" not in text and "⏎" in text and "→" in text


def test_partial_utf8_is_shown_as_escaped_bytes():
    assert piece_text(b"\xf0\x9f\x91") == ("\\xf0\\x9f\\x91", False)
    assert piece_text(b" world") == (" world", True)
    view = show_tokens("👋🏽")  # 2 code points, 8 bytes, split mid-character by o200k_base
    assert len(view) > 2
    assert "\\x" in repr(view)
    html = view._repr_html_()
    assert "part of a character" in html and "dashed" in html


def test_html_marks_whitespace_escapes_markup_and_shows_ids_on_hover():
    view = show_tokens("<b>hi</b> there\n")
    html = view._repr_html_()
    assert repr(view).startswith("<b|")  # the text view is plain, unescaped text
    assert "<b>" not in html and "&lt;" in html
    assert "·there" in html and "⏎" in html
    for token_id in encoding("o200k_base").encode("<b>hi</b> there\n"):
        assert f'title="id {token_id}' in html
    assert "tokens, o200k_base" in html


def test_show_ids_adds_ids_to_both_views():
    view = show_tokens("Hi there", show_ids=True)
    ids = encoding("o200k_base").encode("Hi there")
    assert repr(view).splitlines()[1] == "ids: " + " ".join(map(str, ids))
    assert all(f">{i}</sub>" in view._repr_html_() for i in ids)


def test_special_token_text_is_tokenized_as_plain_text():
    view = show_tokens("<|endoftext|>")
    assert len(view) > 1  # not the single special token, and no ValueError


def test_token_view_from_any_tokenizer():
    view = TokenView((b"the ", b"cat"), (256, 257), "toy BPE")
    assert repr(view) == "the |cat  (2 tokens, toy BPE)"
    assert repr(TokenView((b"a",), (97,))) == "a  (1 token)"


def test_output_is_deterministic():
    text = "Tokens: 🤖 and 123456789"
    assert repr(show_tokens(text)) == repr(show_tokens(text))
    assert show_tokens(text)._repr_html_() == show_tokens(text)._repr_html_()


def test_importing_display_does_not_load_tiktoken():
    code = "import sys, course_lib.display; print('tiktoken' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
