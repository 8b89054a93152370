"""Render the lesson tables from scripts/course_index.in.md: link lessons that exist.

`{{path}}Title` becomes `[Title](path)` when notebooks/path exists, else `Title *(coming)*`.
Writes notebooks/README.md (the course index) and the lesson table between the markers in
the top-level README.md. Run by `make notebooks`; a test checks both are up to date.
"""

import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = ROOT / "notebooks"
START, END = "<!-- lessons:start -->", "<!-- lessons:end -->"


def render(prefix: str = "") -> str:
    """The course index; ``prefix`` is prepended to links (``notebooks/`` for the top README)."""
    template = (ROOT / "scripts" / "course_index.in.md").read_text(encoding="utf-8")

    def link(match: re.Match) -> str:
        path, title = match.group(1), match.group(2)
        return f"[{title}]({prefix}{path})" if (NOTEBOOKS / path).exists() else f"{title} *(coming)*"

    note = "<!-- generated from scripts/course_index.in.md by scripts/build_index.py; edit that file -->\n"
    return note + re.sub(r"\{\{([^}]+)\}\}([^|]+?)(?= \|)", link, template)


def lesson_tables(prefix: str = "notebooks/") -> str:
    """Only the per-section tables, for the top-level README."""
    body = render(prefix)
    first = body.index("## Section A")
    last = body.index("## Independence check")
    return body[first:last].replace("## ", "### ").strip()


def render_top_readme() -> str:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    head, rest = text.split(START, 1)
    _, tail = rest.split(END, 1)
    return f"{head}{START}\n{lesson_tables()}\n{END}{tail}"


if __name__ == "__main__":
    (NOTEBOOKS / "README.md").write_text(render(), encoding="utf-8")
    (ROOT / "README.md").write_text(render_top_readme(), encoding="utf-8")
    sys.exit(0)
