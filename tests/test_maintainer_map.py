"""README's map of course_lib matches the package: one line per folder and module, and every
import between rooms is one the map allows.

To add a room (a new module ``course_lib/x.py`` or folder ``course_lib/x/``), add one row to the
table under "Map of `course_lib`" in README.md: | `course_lib/x.py` | what it is for | importers |.
The importers column lists rooms in backticks (`offline`, `offline/openai`), or says "any" or
"lessons" (imported only by notebooks).
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import course_lib

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = Path(course_lib.__file__).parent
ROW = re.compile(r"^\| `(course_lib/[^`]*)` \| (.+?) \| (.+?) \|$")


def the_map() -> dict[str, set[str] | None]:
    """{room: the rooms that may import it (None: any)} from README.md's table."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("### Map of `course_lib`", 1)[1].split("\n#", 1)[0]
    rows: dict[str, set[str] | None] = {}
    for line in section.splitlines():
        match = ROW.match(line)
        if not match:
            continue
        path, _, importers = match.groups()
        assert path not in rows, f"README's map lists {path} twice"
        words = importers.strip()
        rows[path] = None if words == "any" else set(re.findall(r"`([^`]+)`", words))
    assert rows, "README.md has no 'Map of `course_lib`' table"
    return rows


def name(path: str) -> str:
    """`course_lib/offline/openai/` -> `offline/openai`; `course_lib/config.py` -> `config`."""
    return path.removeprefix("course_lib/").removesuffix("/").removesuffix(".py")


def the_tree() -> set[str]:
    """Every module of course_lib/ and every folder (package) below it, as the map spells them."""
    modules = {f"course_lib/{p.name}" for p in PACKAGE.glob("*.py") if p.name != "__init__.py"}
    folders = {
        f"course_lib/{p.parent.relative_to(PACKAGE).as_posix()}/"
        for p in PACKAGE.rglob("__init__.py")
        if p.parent != PACKAGE and "__pycache__" not in p.parts
    }
    return modules | folders


def test_the_map_lists_every_folder_and_module_once():
    rows, tree = set(the_map()), the_tree()
    missing, stale = sorted(tree - rows), sorted(rows - tree)
    assert not missing, (
        "add a row to the 'Map of `course_lib`' table in README.md for: " + ", ".join(missing)
    )
    assert not stale, "README's map lists what the package no longer has: " + ", ".join(stale)


def test_the_importers_column_names_rooms_that_exist():
    rooms = {name(path) for path in the_map()}
    for path, importers in the_map().items():
        assert not (importers or set()) - rooms, f"{path}: unknown rooms {importers - rooms}"


def room_of(module: str, rows: list[str]) -> str | None:
    """The room (longest matching row) holding ``course_lib.a.b``; None for ``course_lib`` itself."""
    parts = module.split(".")[1:]
    best = None
    for path in rows:
        own = name(path).split("/")
        if parts[: len(own)] == own and (best is None or len(own) > len(name(best).split("/"))):
            best = path
    return best


def module_name(path: Path) -> str:
    rel = path.relative_to(PACKAGE.parent).with_suffix("")
    parts = rel.parts[:-1] if rel.name == "__init__" else rel.parts
    return ".".join(parts)


def imports(path: Path) -> set[str]:
    """The course_lib modules a file imports, anywhere in it (also inside functions)."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            for alias in node.names:
                sub = f"{node.module}.{alias.name}"
                where = PACKAGE.parent.joinpath(*sub.split("."))
                is_module = where.with_suffix(".py").exists() or (where / "__init__.py").exists()
                found.add(sub if is_module else node.module)
    return {m for m in found if m.split(".")[0] == "course_lib"}


def test_every_import_between_rooms_is_one_the_map_allows():
    rows = the_map()
    paths = list(rows)
    wrong = []
    for file in sorted(PACKAGE.rglob("*.py")):
        here = room_of(module_name(file), paths)
        for target in sorted(imports(file)):
            there = room_of(target, paths)
            if here is None or there is None or there == here:
                continue
            allowed = rows[there]
            if allowed is not None and name(here) not in allowed:
                wrong.append(f"{file.relative_to(ROOT)} imports {target} ({name(there)} lists "
                             f"only {sorted(allowed) or 'lessons'} as importers)")
    assert not wrong, "\n".join(wrong)


def test_the_check_catches_a_room_that_is_not_on_the_map():
    tree = the_tree() | {"course_lib/new_room.py", "course_lib/new_folder/"}
    assert {"course_lib/new_room.py", "course_lib/new_folder/"} <= tree - set(the_map())
    assert room_of("course_lib.offline.openai.routes", list(the_map())) == "course_lib/offline/openai/"
    assert room_of("course_lib.offline.registry", list(the_map())) == "course_lib/offline/"
