"""A static website of the whole course with its stored outputs (`make site`).

    python scripts/build_site.py                # -> build/site/index.html

One HTML page per notebook (nbconvert's JupyterLab template; nothing is executed, the pages
show the outputs stored in the notebooks), laid out as in the repository
(build/site/notebooks/<section>/<lesson>.html), and an index page from notebooks/README.md.
Links between lessons (``*.ipynb``) point to their pages (a lesson still to come, to the index,
which marks it "coming"); other repository files a lesson
links to (``../../course_lib/model/README.md``) are copied in, Markdown rendered as HTML.
Publish the folder anywhere static files are served (GitHub Pages, a course web server).
"""

from __future__ import annotations

import html
import re
import shutil
import sys
from pathlib import Path
from urllib.parse import unquote, urlsplit

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = ROOT / "notebooks"
OUT = ROOT / "build" / "site"
HREF = re.compile(r'(href=")([^"#?:]+)([^"]*")')
PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{title}</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>body {{ font-family: system-ui, sans-serif; max-width: 60rem; margin: 2rem auto;
padding: 0 1rem; line-height: 1.5; }} table {{ border-collapse: collapse; }}
td, th {{ border-bottom: 1px solid #ddd; padding: .3rem .6rem; text-align: left; }}
code {{ background: #f3f4f6; padding: 0 .2rem; }}</style></head>
<body>
{body}
</body></html>
"""


def notebooks() -> list[Path]:
    return sorted(p for p in NOTEBOOKS.rglob("*.ipynb") if ".ipynb_checkpoints" not in p.parts)


def markdown_page(text: str, title: str) -> str:
    import mistune

    render = mistune.create_markdown(plugins=["table", "strikethrough"], escape=False)
    return PAGE.format(title=html.escape(title), body=render(text))


def page_name(source: Path) -> Path:
    """Where a repository file's page goes in the site."""
    rel = source.relative_to(ROOT)
    if source.suffix in (".ipynb", ".md"):
        return OUT / rel.with_suffix(".html")
    return OUT / rel


def relink(body: str, source: Path, out: Path, extra: set[Path]) -> str:
    """Point relative links at pages of the site; note repository files to copy in."""

    def fix(match: re.Match) -> str:
        target = unquote(urlsplit(match.group(2)).path)
        resolved = (source.parent / target).resolve()
        if resolved.suffix == ".ipynb" and resolved.is_relative_to(NOTEBOOKS) \
                and not resolved.exists():  # a lesson still to come: the index lists it
            new = Path(shutil.os.path.relpath(OUT / "index.html", out.parent)).as_posix()
            return f'{match.group(1)}{new}"'
        if not target or not resolved.is_relative_to(ROOT) or not resolved.exists():
            return match.group(0)
        if resolved.is_dir():
            resolved = resolved / "README.md"
            if not resolved.exists():
                return match.group(0)
        if resolved.suffix != ".ipynb":
            extra.add(resolved)
        new = Path(shutil.os.path.relpath(page_name(resolved), out.parent)).as_posix()
        return f"{match.group(1)}{new}{match.group(3)}"

    return HREF.sub(fix, body)


def build(out: Path = OUT) -> list[Path]:
    global OUT
    OUT = out
    import nbformat
    from nbconvert import HTMLExporter

    shutil.rmtree(out, ignore_errors=True)
    exporter = HTMLExporter(template_name="lab")
    extra: set[Path] = set()
    written = []
    for path in notebooks():
        nb = nbformat.read(path, as_version=4)
        body, _ = exporter.from_notebook_node(nb, resources={"metadata": {"name": path.stem}})
        target = page_name(path)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(relink(body, path, target, extra), encoding="utf-8")
        written.append(target)
    index = OUT / "index.html"
    text = (NOTEBOOKS / "README.md").read_text(encoding="utf-8")
    body = markdown_page(text, "LLM APIs: The Hard Parts")
    index.write_text(relink(body, NOTEBOOKS / "README.md", index, extra), encoding="utf-8")
    done: set[Path] = set()
    while extra - done:  # files the lessons link to (and what those link to)
        source = sorted(extra - done)[0]
        done.add(source)
        target = page_name(source)
        target.parent.mkdir(parents=True, exist_ok=True)
        if source.suffix == ".md":
            page = markdown_page(source.read_text(encoding="utf-8"), source.name)
            target.write_text(relink(page, source, target, extra), encoding="utf-8")
        else:
            shutil.copy(source, target)
    return written


def main(argv: list[str]) -> int:
    out = Path(argv[argv.index("--out") + 1]) if "--out" in argv else OUT
    written = build(out.resolve())
    print(f"{len(written)} lesson pages and an index in {out} (open {out / 'index.html'})")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
