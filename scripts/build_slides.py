"""Static reveal.js slides of every lesson, for presenting without JupyterLab (`make slides`).

    python scripts/build_slides.py                  # every notebook -> build/slides/
    python scripts/build_slides.py --out DIR notebooks/a-what-is-an-llm/7.05-*.ipynb

Slides follow the metadata scripts/execute_notebooks.py's slides() sets (the same ones
JupyterLab's slide view uses) and show the stored outputs; nothing is executed. Works with no
network: reveal.js is copied from scripts/slides/reveal.js and the template
(scripts/slides/templates/course_reveal) loads nothing from a CDN. Open build/slides/index.html.
"""

from __future__ import annotations

import argparse
import html
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ASSETS = ROOT / "scripts" / "slides"
OUT = ROOT / "build" / "slides"


def notebooks(args: list[str]) -> list[Path]:
    if args:
        return [Path(a).resolve() for a in args]
    return sorted(p for p in (ROOT / "notebooks").rglob("*.ipynb")
                  if ".ipynb_checkpoints" not in p.parts)


def exporter():
    from nbconvert import SlidesExporter
    from traitlets.config import Config

    config = Config()
    config.SlidesExporter.reveal_url_prefix = "reveal.js"  # next to the slides, not a CDN
    config.SlidesExporter.reveal_theme = "course"  # white, with no web-font download
    config.SlidesExporter.reveal_transition = "none"
    return SlidesExporter(config=config, template_name="course_reveal",
                          extra_template_basedirs=[str(ASSETS / "templates")])


def build(paths: list[Path], out: Path = OUT) -> list[Path]:
    import nbformat

    out.mkdir(parents=True, exist_ok=True)
    shutil.rmtree(out / "reveal.js", ignore_errors=True)
    shutil.copytree(ASSETS / "reveal.js", out / "reveal.js")
    slides, written = exporter(), []
    for path in paths:
        nb = nbformat.read(path, as_version=4)
        body, _ = slides.from_notebook_node(nb, resources={"metadata": {"name": path.stem}})
        target = out / f"{path.stem}.slides.html"
        target.write_text(body, encoding="utf-8")
        written.append(target)
    items = "\n".join(
        f'<li><a href="{html.escape(p.name)}">{html.escape(p.name.removesuffix(".slides.html"))}</a></li>'
        for p in written)
    (out / "index.html").write_text(
        f"<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Slides</title>"
        f"</head><body><h1>LLM APIs: The Hard Parts — slides</h1>\n<ul>\n{items}\n</ul>"
        f"</body></html>\n", encoding="utf-8")
    return written


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=OUT)
    parser.add_argument("notebooks", nargs="*")
    args = parser.parse_args(argv)
    written = build(notebooks(args.notebooks), args.out)
    print(f"{len(written)} slide decks in {args.out} (open {args.out / 'index.html'})")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
