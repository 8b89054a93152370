"""Build data/corpus/python_docs.txt: the training text of the offline stand-in's n-gram model.

Everything comes from the Python interpreter that runs this script, so no network is needed
and the licence is the PSF License 2.0 (CPython's documentation and docstrings):

1. the Language Reference topics that ``help()`` shows (``pydoc_data.topics.topics``),
2. then docstrings of a fixed list of standard-library modules, their functions, classes and
   methods, in a fixed order, until the corpus holds TARGET_TOKENS ``o200k_base`` tokens.

reST and plain-text markup is cleaned (headings' underlines, grid tables, grammar rules,
``:role:`x``` and ``*emphasis*``), docstrings are dedented and blank lines collapsed.

The output depends only on the Python version (docstrings change between releases), so the
build is deterministic for a given version; the version is written into the file's first
line. Run from the repository root:

    .venv/bin/python data/corpus/build_corpus.py
"""

from __future__ import annotations

import importlib
import inspect
import platform
import re
import warnings
from pathlib import Path

from course_lib.tokens import encoding

TARGET_TOKENS = 220_000
OUTPUT = Path(__file__).with_name("python_docs.txt")

# Modules whose docstrings are mostly prose, in the order they are added.
MODULES = [
    "builtins", "collections", "itertools", "functools", "os.path", "pathlib", "json", "re",
    "string", "textwrap", "datetime", "time", "calendar", "math", "statistics", "random",
    "decimal", "fractions", "dataclasses", "enum", "typing", "abc", "contextlib", "heapq",
    "bisect", "copy", "pprint", "csv", "io", "shutil", "glob", "fnmatch", "tempfile",
    "argparse", "logging", "subprocess", "threading", "queue", "asyncio", "concurrent.futures",
    "urllib.parse", "http.client", "socket", "hashlib", "base64", "secrets", "uuid", "zipfile",
    "tarfile", "sqlite3", "pickle", "struct", "difflib", "shlex", "configparser", "inspect",
    "unittest", "doctest", "traceback", "warnings", "operator", "types", "weakref", "codecs",
    "os", "sys", "email.message", "html.parser", "xml.etree.ElementTree", "ipaddress",
    "zoneinfo", "graphlib", "numbers", "reprlib", "timeit", "ast", "tokenize", "dis", "gzip",
    "zlib", "array", "sched", "selectors", "signal", "locale", "gettext", "platform",
    "mimetypes", "urllib.request", "http.server", "smtplib", "fileinput", "linecache", "shelve",
    "filecmp", "stat", "cmd", "code", "pdb", "trace", "cProfile", "pstats",
]


# ------------------------------------------------------------------------------------------
# Cleaning


def clean(text: str) -> str:
    """Strip markup noise; keep prose and code examples."""
    text = re.sub(r":[\w:.-]+:`~?([^`<]*?)(?:\s*<[^>]*>)?`", r'"\1"', text)  # :func:`len`
    text = re.sub(r"``([^`]+)``", r'"\1"', text)  # ``literal`` (topics write "literal")
    text = re.sub(r"`([^`]+)`_?", r"\1", text)  # `interpreted text`, links
    text = re.sub(r"(?<![\w*])\*\*?(\S(?:[^*]*?\S)?)\*\*?(?![\w*])", r"\1", text)  # *emph*
    text = re.sub(r" ?\[\d+\]", "", text)  # footnote marks
    lines = []
    for line in text.splitlines():
        stripped = line.strip()
        if (
            "::=" in line  # grammar rules read as noise to an n-gram model
            or stripped.startswith(("|", "+-", "+=", ".. "))  # grid tables, directives
            or (stripped and set(stripped) <= set("*=-~^+| "))  # underlines, table borders
        ):
            continue
        indent = line[: len(line) - len(line.lstrip())]
        lines.append(indent + re.sub(r"\s{2,}", " ", stripped))
    paragraphs = re.split(r"\n\s*\n", "\n".join(lines))
    return "\n\n".join(unwrap(p) for p in paragraphs if p.strip()).strip()


def unwrap(paragraph: str) -> str:
    """Join a prose paragraph's hard-wrapped lines, so generated text is not wrapped at
    70 columns; leave code (indented blocks, doctest sessions) exactly as it is.

    "* a bullet that\n  goes on" -> "* a bullet that goes on"
    """
    lines = paragraph.split("\n")
    indent = len(lines[0]) - len(lines[0].lstrip())
    is_bullet = lines[0].lstrip().startswith(("* ", "- "))
    body = indent + 2 if is_bullet else indent
    if ">>>" in paragraph or (indent and not is_bullet):
        return paragraph
    if any(len(line) - len(line.lstrip()) != body for line in lines[1:]):
        return paragraph
    return " " * indent + " ".join(line.strip() for line in lines)


# ------------------------------------------------------------------------------------------
# Sources


def topic_sections() -> list[str]:
    from pydoc_data.topics import topics

    return [clean(topics[key]) for key in sorted(topics)]


def _signature(qualname: str, obj: object) -> str:
    try:
        signature = str(inspect.signature(obj))  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return qualname
    # Default values may print as "<object at 0x7f...>", which would make the build vary.
    return qualname + re.sub(r" at 0x[0-9a-f]+", "", signature)


def docstring_sections() -> list[str]:
    sections, seen = [], set()

    def add(title: str, obj: object) -> None:
        doc = inspect.getdoc(obj)
        if doc and len(doc) >= 80 and doc not in seen:
            seen.add(doc)
            sections.append(f"{title}\n\n{clean(doc)}")

    for module_name in MODULES:
        module = importlib.import_module(module_name)
        add(f"Module {module_name}", module)
        for name in sorted(dir(module)):
            obj = getattr(module, name)
            defined_here = getattr(obj, "__module__", None) == module.__name__
            if name.startswith("_") or not (defined_here or module_name == "builtins"):
                continue
            if not (inspect.isclass(obj) or callable(obj)):
                continue
            add(_signature(f"{module_name}.{name}", obj), obj)
            if inspect.isclass(obj):
                for attr in sorted(vars(obj)):
                    if not attr.startswith("_"):
                        member = getattr(obj, attr, None)
                        add(_signature(f"{module_name}.{name}.{attr}", member), member)
    return sections


# ------------------------------------------------------------------------------------------


def build() -> str:
    enc = encoding("o200k_base")
    version = platform.python_version()
    parts = [f"Python {version} documentation: language reference topics and docstrings."]
    total = len(enc.encode_ordinary(parts[0]))
    for section in topic_sections() + docstring_sections():
        if total >= TARGET_TOKENS:
            break
        parts.append(section)
        total += len(enc.encode_ordinary(section)) + 1  # +1: the blank line between sections
    return "\n\n".join(parts) + "\n"


if __name__ == "__main__":
    # Reading typing.io / typing.re warns that they are deprecated; irrelevant here.
    warnings.simplefilter("ignore", DeprecationWarning)
    text = build()
    OUTPUT.write_text(text, encoding="utf-8")
    tokens = len(encoding("o200k_base").encode_ordinary(text))
    print(f"{OUTPUT}: {len(text.encode()):,} bytes, {tokens:,} o200k_base tokens")
