"""course_lib makes no POSIX-only assumption, so Windows students (no make) can run it:
no fork, signals, shell=True, uid checks without a fallback, and every text file is read and
written as UTF-8 (Windows' default encoding is not)."""

import ast
from pathlib import Path

import course_lib

PACKAGE = Path(course_lib.__file__).parent
POSIX_ONLY = {("os", "fork"), ("os", "getuid"), ("os", "geteuid"), ("os", "killpg"),
              ("os", "setsid"), ("os", "getpgid"), ("os", "uname")}


def sources():
    for path in sorted(PACKAGE.rglob("*.py")):
        yield path.relative_to(PACKAGE.parent).as_posix(), ast.parse(path.read_text("utf-8"))


# signal.signal() on Windows takes only these (Python docs, signal module): not POSIX-only.
WINDOWS_SIGNALS = {"SIGABRT", "SIGFPE", "SIGILL", "SIGINT", "SIGSEGV", "SIGTERM", "SIGBREAK"}
# open()'s own keywords: a call with others (``pool.open(wait=True)``) opens no file.
OPEN_KEYWORDS = {"mode", "buffering", "encoding", "errors", "newline", "closefd", "opener"}


def problems(tree: ast.AST) -> list[str]:
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
            if (node.value.id, node.attr) in POSIX_ONLY:
                found.append(f"line {node.lineno}: {node.value.id}.{node.attr}")
            if (node.value.id == "signal" and node.attr.startswith("SIG")
                    and node.attr not in WINDOWS_SIGNALS):
                found.append(f"line {node.lineno}: signal.{node.attr}")
        if isinstance(node, ast.ImportFrom) and node.module in ("fcntl", "pwd", "grp", "termios"):
            found.append(f"line {node.lineno}: from {node.module} import")
        if isinstance(node, ast.Import):
            found += [f"line {node.lineno}: import {a.name}" for a in node.names
                      if a.name in ("fcntl", "pwd", "grp", "termios")]
        if not isinstance(node, ast.Call):
            continue
        keywords = {k.arg: k.value for k in node.keywords}
        shell = keywords.get("shell")
        if isinstance(shell, ast.Constant) and shell.value is True:
            found.append(f"line {node.lineno}: shell=True")
        name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(
            node.func, "id", "")
        if name in ("read_text", "write_text") and "encoding" not in keywords and not (
                name == "read_text" and node.args):
            found.append(f"line {node.lineno}: {name}() without encoding")
        if name == "open" and "encoding" not in keywords and set(keywords) <= OPEN_KEYWORDS:
            mode = node.args[1] if len(node.args) > 1 else keywords.get("mode")
            binary = isinstance(mode, ast.Constant) and "b" in str(mode.value)
            if not binary and not (isinstance(node.func, ast.Attribute)
                                   and node.func.attr == "open" and "gzip" in ast.dump(node.func)):
                found.append(f"line {node.lineno}: open() without encoding")
    return found


def test_course_lib_has_no_posix_only_calls_and_reads_text_as_utf8():
    found = [f"{path} {p}" for path, tree in sources() for p in problems(tree)]
    assert not found, "\n".join(found)


def test_the_checker_catches_each_kind():
    bad = ast.parse("import os, signal\nos.fork()\nsignal.SIGKILL\nPath('x').read_text()\n"
                    "open('f')\nsubprocess.run('ls', shell=True)\n")
    assert len(problems(bad)) == 5
    good = ast.parse("getattr(os, 'geteuid', lambda: 1)()\nopen('f', 'rb')\n"
                     "Path('x').read_text(encoding='utf-8')\n")
    assert problems(good) == []
