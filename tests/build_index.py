"""Render notebooks/README.md from notebooks/README.in.md: link lessons that exist.

`{{path}}Title` becomes `[Title](path)` when notebooks/path exists, else `Title (coming)`.
Run by `make notebooks`; a test checks README.md is up to date.
"""

import re
import sys
from pathlib import Path

NOTEBOOKS = Path(__file__).resolve().parent.parent / "notebooks"


def render() -> str:
    template = (NOTEBOOKS / "README.in.md").read_text(encoding="utf-8")

    def link(match: re.Match) -> str:
        path, title = match.group(1), match.group(2)
        return f"[{title}]({path})" if (NOTEBOOKS / path).exists() else f"{title} *(coming)*"

    note = "<!-- generated from README.in.md by tests/build_index.py; edit that file -->\n"
    return note + re.sub(r"\{\{([^}]+)\}\}([^|]+?)(?= \|)", link, template)


if __name__ == "__main__":
    (NOTEBOOKS / "README.md").write_text(render(), encoding="utf-8")
    sys.exit(0)
