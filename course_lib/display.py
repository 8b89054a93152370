"""Notebook visuals. Each returns an object that draws itself in Jupyter (``_repr_html_``)
and prints a readable, deterministic text version everywhere else (terminals, nbval).

    >>> show_tokens("Hello, world!")
    Hello|,| world|!  (4 tokens, o200k_base)

Nothing heavy is imported here: tiktoken loads only when a tokenizer is first needed.
"""

from __future__ import annotations

import html
from dataclasses import dataclass

__all__ = ["TokenView", "show_tokens"]

# ---------------------------------------------------------------------------------------
# Coloured tokens

# Light backgrounds with dark text, so tokens read in light and dark notebook themes alike.
PALETTE = ("#fde68a", "#bbf7d0", "#bfdbfe", "#fbcfe8", "#ddd6fe", "#fed7aa", "#a5f3fc")
# Whitespace drawn as a visible mark in the coloured view (the text view keeps real spaces,
# because "|" already shows where each token starts).
MARKS = {" ": "·", "\n": "⏎", "\t": "→", "\r": "␍"}


def piece_text(piece: bytes) -> tuple[str, bool]:
    """A token's bytes as text, and whether they were complete UTF-8.

    A token may hold only part of a character (an emoji is 4 bytes and is often split);
    those bytes are shown escaped: ``b"\\xf0\\x9f\\x91"`` -> ``("\\\\xf0\\\\x9f\\\\x91", False)``.
    """
    try:
        return piece.decode("utf-8"), True
    except UnicodeDecodeError:
        return piece.decode("utf-8", errors="backslashreplace"), False


@dataclass(frozen=True)
class TokenView:
    """Tokens drawn as coloured spans (hover for the id); prints as ``piece|piece  (n tokens)``.

    Build one with :func:`show_tokens`, or directly from any tokenizer's output, e.g. the
    toy byte-pair encoder of lesson 7.3: ``TokenView(pieces, ids, "toy BPE")``.
    """

    pieces: tuple[bytes, ...]
    ids: tuple[int, ...]
    label: str = ""
    show_ids: bool = False

    def __len__(self) -> int:
        return len(self.ids)

    def _summary(self) -> str:
        noun = "token" if len(self) == 1 else "tokens"
        return f"{len(self)} {noun}, {self.label}" if self.label else f"{len(self)} {noun}"

    def __repr__(self) -> str:
        shown = []
        for piece in self.pieces:
            text, _ = piece_text(piece)
            shown.append(text.replace("\n", MARKS["\n"]).replace("\t", MARKS["\t"]))
        line = f"{'|'.join(shown)}  ({self._summary()})"
        if self.show_ids:
            line += "\nids: " + " ".join(str(i) for i in self.ids)
        return line

    def _repr_html_(self) -> str:
        spans = []
        for n, (piece, token_id) in enumerate(zip(self.pieces, self.ids, strict=True)):
            text, complete = piece_text(piece)
            shown = html.escape(text)
            for char, mark in MARKS.items():
                # keep the real line break after the ⏎ so the layout follows the text
                shown = shown.replace(char, mark + "\n" if char == "\n" else mark)
            title = f"id {token_id}"
            style = f"background:{PALETTE[n % len(PALETTE)]};color:#111;border-radius:3px"
            if not complete:
                title += " · bytes " + piece.hex(" ") + " (part of a character)"
                style += ";outline:1px dashed #888;font-size:80%"
            if self.show_ids:  # before the first line break, so the id stays with its token
                sub = f'<sub style="color:#555;font-size:70%">{token_id}</sub>'
                head, newline, tail = shown.partition("\n")
                shown = head + sub + newline + tail
            spans.append(f'<span title="{title}" style="{style}">{shown}</span>')
        body = "\u200b".join(spans)  # zero-width space: lets long lines wrap between tokens
        return (
            '<div style="font-family:ui-monospace,Menlo,Consolas,monospace;'
            f'white-space:pre-wrap;line-height:1.9">{body}</div>'
            f'<div style="color:#666;font-size:85%">{html.escape(self._summary())}'
            " · hover a token for its id</div>"
        )


def show_tokens(
    text: str, encoding_name: str = "o200k_base", *, show_ids: bool = False
) -> TokenView:
    """Tokenize ``text`` with a tiktoken encoding and return a coloured view of the tokens.

    Special-token text such as ``<|endoftext|>`` is tokenized as ordinary text, never refused.
    """
    from course_lib.tokens import encoding

    enc = encoding(encoding_name)
    ids = enc.encode(text, disallowed_special=())
    pieces = tuple(enc.decode_single_token_bytes(i) for i in ids)
    return TokenView(pieces, tuple(ids), encoding_name, show_ids)
