"""Diagnose an API-key setup without ever showing the key (lesson 7.8).

:func:`diagnose` looks at environment variables, the ``.env`` file and, optionally, files that
might hold a pasted key, and returns :class:`Finding` records; :func:`print_findings` prints
them. Nothing here changes the environment or touches the network, and no finding ever holds
a key: a key is described only by its kind and length, e.g. "an OpenAI project key (sk-proj-…),
164 characters".

    >>> for f in diagnose({"OPENAI_KEY": "sk-" + "x" * 48}, dotenv_path=None):
    ...     print(f.level, f.topic)
    error OPENAI_API_KEY
    info ANTHROPIC_API_KEY

:func:`explain_error` turns an SDK exception (401, connection error, ...) into a Finding with
advice; :func:`check_connection` makes one free request (``GET /v1/models``) and explains it.
"""

from __future__ import annotations

import fnmatch
import json
import os
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal
from urllib.parse import urlsplit

from course_lib import providers
from course_lib.config import KEY_VARIABLES, TRUTHY
from course_lib.providers import PROVIDERS

Level = Literal["ok", "info", "warning", "error"]
ICONS = {"ok": "✅", "info": "ℹ️ ", "warning": "⚠️ ", "error": "❌"}
# Shapes of real keys: each provider's prefixes (course_lib.providers: sk-, sk-proj-, sk-ant-,
# ...) followed by 20+ key characters, and the generic "Bearer <long token>" pasted from a curl
# command. tests/test_hygiene.py scans the repository with find_keys below, so this file and
# that test can never disagree.
_PREFIXES = sorted({s.prefix for p in PROVIDERS for s in p.key_shapes}, key=len, reverse=True)
KEY_PATTERN = re.compile(
    "(?:" + "|".join(map(re.escape, _PREFIXES)) + r")[A-Za-z0-9_-]{20,}"
    r"|Bearer\s+(?!offline)[A-Za-z0-9_-]{30,}"
)
# Words that mark a placeholder or a test fixture ("sk-your-key-here", "sk-proj-xxxx…").
# A placeholder word must stand on its own (between - _ or the ends): a random real key
# contains "here" or "test" by chance about once in a thousand, "-test-" practically never.
PLACEHOLDER = re.compile(
    r"(?<![A-Za-z0-9])(?:test|fake|secret|example|not-a-real|your|here|x{4,})(?![A-Za-z0-9])"
    r"|\.\.\.|<",
    re.I,
)
SHORTEST_REAL_KEY = 40  # every real OpenAI/Anthropic key is longer than this
PROXY_VARIABLES = ("HTTPS_PROXY", "HTTP_PROXY", "ALL_PROXY")


@dataclass(frozen=True)
class Finding:
    """One result of the check: ``level`` ok/info/warning/error, what it is about, and a fix."""

    level: Level
    topic: str
    message: str
    fix: str = ""

    def __str__(self) -> str:
        line = f"{ICONS[self.level]} {self.topic}: {self.message}"
        return line + (f"\n     → {self.fix}" if self.fix else "")


def describe_key(value: str) -> str:
    """Kind and length of a key, never its characters: ``"an OpenAI key (sk-…), 51 characters"``."""
    found = providers.key_shape(value)
    if found:
        kind = found[1].description
    elif value.startswith("offline"):
        kind = "the offline stand-in's key (offline…)"
    else:
        kind = "not a known key shape"
    return f"{kind}, {len(value)} characters"


# ---------------------------------------------------------------------------------------
# Problems with one key's value


def _other_providers_key(value: str, this: providers.Provider) -> tuple[str, str] | None:
    """(problem, fix) when ``value`` is shaped like another provider's key."""
    owner = providers.key_owner(value)
    if owner is None or owner is this:
        return None
    if this.key_prefix.startswith(owner.key_prefix):  # a shorter, shared prefix: only "looks like"
        return (f"looks like an {owner.label} key; {this.label} keys start with {this.key_prefix}",
                f"move it to {owner.key_variable} and put your {this.label} key here")
    return (f"is an {owner.label} key ({owner.key_prefix}…); {this.label} will answer 401",
            f"move it to {owner.key_variable} and put your {this.label} key ({this.key_prefix}…) here")


def key_problems(value: str, provider: str = "openai") -> list[tuple[str, str]]:
    """``(problem, fix)`` pairs for a key value; an empty list means it looks right."""
    this = providers.get(provider)
    if value != value.strip():
        return [("has spaces or a line break at its start or end",
                 "delete them: the server compares keys character by character")]
    if value[:1] in "\"'" or value[-1:] in "\"'":
        return [("is wrapped in quotes, and the quotes became part of the key",
                 "remove the quotes (in .env write NAME=value, or NAME=\"value\" with straight quotes)")]
    if not value.isascii():
        return [("contains non-ASCII characters (curly quotes or invisible characters "
                 "copied from a web page or chat)", "paste the key again from the provider's page")]
    if value.lower().startswith("bearer "):
        return [("starts with 'Bearer ': that word belongs in the HTTP header, not in the key",
                 "keep only the key itself")]
    if re.match(r"[A-Za-z_]+\s*=", value):
        return [("contains 'NAME=': the whole line was pasted as the value",
                 "the value is only what comes after the '='")]
    if any(c.isspace() for c in value):
        return [("contains a space or line break", "paste the key again, on one line")]
    if is_placeholder(value) and not value.startswith("offline"):
        return [("looks like a placeholder, not a real key",
                 "paste your key from the provider's dashboard")]
    if (wrong := _other_providers_key(value, this)) is not None:
        return [wrong]
    if value.startswith("offline"):
        return [("is the offline stand-in's key; the real API will answer 401",
                 "remove it to use the stand-in, or paste a real key")]
    found = providers.key_shape(value)
    if found and found[0] is this and found[1].problem:  # e.g. an admin key
        return [found[1].problem]
    if not value.startswith("sk-"):
        return [(f"does not start with {this.key_prefix}",
                 "check that you copied the secret key, not its name or id")]
    if len(value) < SHORTEST_REAL_KEY:
        return [("is shorter than any real key: was it cut off when you copied it?",
                 "copy it again in full (most dashboards show it only once: create a new one)")]
    return []


# ---------------------------------------------------------------------------------------
# The .env file


def find_dotenv_file(start: Path) -> Path | None:
    """The nearest ``.env`` in ``start`` or a parent folder (python-dotenv's search)."""
    for folder in (start, *start.parents):
        if (folder / ".env").is_file():
            return folder / ".env"
    return None


def _read_env_file(path: Path) -> dict[str, str]:
    from dotenv import dotenv_values

    return {k: v or "" for k, v in dotenv_values(path).items()}


def _is_git_ignored(path: Path) -> bool | None:
    """Does a .gitignore between the file and its repository root ignore it? None: no repo."""
    for folder in (path.parent, *path.parent.parents):
        ignore = folder / ".gitignore"
        if ignore.is_file():
            rel = path.relative_to(folder).as_posix()
            for line in ignore.read_text(encoding="utf-8", errors="replace").splitlines():
                pattern = line.strip().lstrip("/")
                if pattern and not pattern.startswith(("#", "!")) and (
                    fnmatch.fnmatch(rel, pattern) or fnmatch.fnmatch(path.name, pattern)
                ):
                    return True
        if (folder / ".git").exists():
            return False
    return None


def _shown(path: Path, start: Path) -> str:
    """A path relative to ``start`` (never the user's home folder or name)."""
    try:
        return os.path.relpath(path, start).replace(os.sep, "/")
    except ValueError:  # another drive on Windows
        return path.name


def _dotenv_findings(path: Path | None, start: Path) -> tuple[list[Finding], dict[str, str]]:
    if path is None or not path.is_file():
        findings = [Finding("info", ".env", "no .env file found from this folder or its parents",
                            "copy .env.example (repository root) to .env and fill in your key")]
        for folder in (start, *start.parents):  # near misses beside .env.example
            for name in (".env.txt", "env", ".env.example"):
                near = folder / name
                if near.is_file() and any(_read_env_file(near).get(k) for k in KEY_VARIABLES.values()):
                    where = _shown(near, start)
                    findings.append(Finding(
                        "error", ".env", f"a key is filled in {where}, which is not read"
                        + (" and IS committed to git" if name == ".env.example" else ""),
                        f"move the key into a file named exactly .env next to {where}"))
            if (folder / ".env.example").is_file() or (folder / ".git").exists():
                break
        return findings, {}
    values = _read_env_file(path)
    brands = "|".join(p.variable_brand for p in PROVIDERS)
    related = sorted(k for k in values if re.search(rf"{brands}|COURSE|KEY", k, re.I))
    findings = [Finding("ok", ".env", f"found {_shown(path, start)}"
                        + (f", setting {', '.join(related)}" if related else ""))]
    if _is_git_ignored(path) is False:
        findings.append(Finding("error", ".env", "is not ignored by git: a commit would publish your key",
                                "add a line `.env` to .gitignore"))
    return findings, values


# ---------------------------------------------------------------------------------------
# Keys


def _normal(name: str) -> str:
    return re.sub(r"[^A-Z]", "", name.upper())


def _key_findings(provider: str, values: Mapping[str, str], shell: Mapping[str, str],
                  file_values: Mapping[str, str]) -> list[Finding]:
    record = providers.get(provider)
    name, brand = record.key_variable, record.variable_brand
    lookalikes = sorted(
        k for k, v in values.items()
        if k != name and v and re.search(brand, _normal(k)) and re.search("KEY|TOKEN|SECRET", _normal(k))
        and not _normal(k).endswith(("MODEL", "URL", "BASE"))
    )
    findings = [
        Finding("error" if not values.get(name) else "warning", name,
                f"{k} is set, but the SDK reads only {name}"
                + (" (names are case-sensitive)" if _normal(k) == _normal(name) else ""),
                f"rename {k} to {name}")
        for k in lookalikes
    ]
    value = values.get(name, "")
    if not value:
        if not lookalikes:
            empty = " (the line is there but empty)" if name in file_values else ""
            findings.append(Finding("info", name, f"not set{empty}: lessons use the offline stand-in",
                                    f"to use the real API, put {name}=<your key> in .env"))
        return findings
    if name in shell and name in file_values and shell[name] != file_values[name]:
        findings.append(Finding(
            "warning", name, "set both in your shell and in .env, to different values; the shell's "
            "wins (python-dotenv never overrides a variable that is already set)",
            f"unset {name} in the shell (or fix it there) and restart Jupyter"))
    problems = key_problems(value, provider)
    for problem, fix in problems:
        shown = describe_key(value.strip().strip("\"'“”‘’"))  # the key as meant, if quoted
        findings.append(Finding("error", name, f"{shown}: {problem}", fix))
    if not problems:
        findings.append(Finding("ok", name, f"set: {describe_key(value)}"))
    return findings


def _model_findings(values: Mapping[str, str]) -> list[Finding]:
    from course_lib import models

    variable = providers.OPENAI.model_variable  # only OpenAI's model is checked (lesson 7.8)
    model = values.get(variable, "").strip()
    if not model:
        return []
    try:
        info = models.get(model)
    except models.UnknownModelError as exc:
        return [Finding("warning", variable, str(exc).split(" Add a row")[0],
                        "check the spelling against data/models.csv")]
    if info.retired:
        return [Finding("error", variable, f"{model} was shut down on {info.shutdown}",
                        "choose a current model from data/models.csv")]
    note = f" (shutdown announced for {info.shutdown})" if info.shutdown else ""
    return [Finding("ok" if not note else "warning", variable, f"{model}{note}")]


def _proxy_findings(values: Mapping[str, str]) -> list[Finding]:
    findings = []
    for name in PROXY_VARIABLES:
        url = values.get(name) or values.get(name.lower())
        if not url:
            continue
        parts = urlsplit(url if "://" in url else "http://" + url)
        secret = " (with a password, not shown)" if parts.password or parts.username else ""
        findings.append(Finding(
            "info", "proxy", f"{name} is set: requests go through {parts.hostname}:{parts.port or '-'}"
            f"{secret}", "if calls fail with APIConnectionError, check the proxy (or unset it)"))
    no_proxy = (values.get("NO_PROXY") or values.get("no_proxy") or "").replace(" ", "").split(",")
    plain = any(values.get(n) or values.get(n.lower()) for n in ("HTTP_PROXY", "ALL_PROXY"))
    if plain and not {"127.0.0.1", "localhost", "*"} & set(no_proxy):
        findings.append(Finding(
            "warning", "proxy", "the offline stand-in (http://127.0.0.1) would be reached through "
            "the proxy too", "set NO_PROXY=127.0.0.1,localhost"))
    return findings


# ---------------------------------------------------------------------------------------
# Keys pasted into notebooks or code


def _texts(path: Path) -> Iterable[tuple[str, str]]:
    """(where, text) pieces of a file: each notebook cell's source and outputs, or the file."""
    text = path.read_text(encoding="utf-8", errors="replace")
    if path.suffix != ".ipynb":
        yield "", text
        return
    try:
        cells = json.loads(text).get("cells", [])
    except json.JSONDecodeError:
        yield "", text
        return
    for n, cell in enumerate(cells, 1):
        yield f"cell {n} code", "".join(cell.get("source", []))
        yield f"cell {n} output", json.dumps(cell.get("outputs", []))


def is_placeholder(text: str) -> bool:
    """Does ``text`` look like a placeholder or a test fixture rather than a real key?"""
    return bool(PLACEHOLDER.search(text))


def find_keys(text: str) -> list[str]:
    """Key-shaped strings in ``text``, placeholders left out, each once, in order.

    >>> find_keys("api_key='offline-stand-in'  OPENAI_API_KEY=sk-your-key-goes-here-0123456789")
    []
    """
    return list(dict.fromkeys(m.group() for m in KEY_PATTERN.finditer(text)
                              if not is_placeholder(m.group())))


def scan_for_keys(paths: Iterable[str | Path], known: Iterable[str] = (),
                  start: Path | None = None) -> list[Finding]:
    """Find key-shaped strings (or the ``known`` key values) in files or folders.

    Placeholders with "test", "fake", "example"... are skipped, as the repository's hygiene
    test skips them. Files named .env are the right place for a key and are not scanned.
    """
    start = start or Path.cwd()
    known = [k for k in known if len(k) >= 8 and not k.startswith("offline")]
    files: list[Path] = []
    for p in map(Path, paths):
        files += sorted(f for f in p.rglob("*") if f.suffix in (".ipynb", ".py", ".md", ".txt",
                        ".json", ".cfg", ".toml", ".yml", ".yaml")) if p.is_dir() else [p]
    findings = []
    for file in files:
        if not file.is_file() or file.name.startswith(".env"):
            continue
        for where, text in _texts(file):
            hits = find_keys(text)
            hits += [k for k in known if k in text and k not in hits]
            for hit in dict.fromkeys(hits):
                place = _shown(file, start) + (f" ({where})" if where else "")
                findings.append(Finding(
                    "error", "key in code", f"{place} contains {describe_key(hit.split()[-1])}",
                    "delete it there (outputs too: clear them), keep keys only in .env, and "
                    "revoke the key if the file was ever shared or committed"))
    return findings


# ---------------------------------------------------------------------------------------


def diagnose(
    env: Mapping[str, str] = os.environ,
    dotenv_path: str | Path | None = "auto",
    *,
    scan: Iterable[str | Path] = (),
    start: str | Path | None = None,
) -> list[Finding]:
    """Check a setup: ``.env``, key names, key shapes, model, proxies, keys pasted in files.

    ``env``: the environment (a plain dict in tests). ``dotenv_path``: a ``.env`` file,
    ``"auto"`` to search from ``start`` (default: the working folder) upwards, or None to
    ignore files. ``scan``: files or folders to search for pasted keys. Variables in ``env``
    win over the file, as with ``load_dotenv(override=False)``.
    """
    start = Path(start or Path.cwd()).resolve()
    findings: list[Finding] = []
    file_values: dict[str, str] = {}
    if dotenv_path is not None:
        path = find_dotenv_file(start) if dotenv_path == "auto" else Path(dotenv_path)
        found, file_values = _dotenv_findings(path, start)
        findings += found
    values = {**file_values, **{k: v for k, v in env.items() if v is not None}}
    if values.get("COURSE_OFFLINE", "").strip().lower() in TRUTHY:
        findings.append(Finding("info", "COURSE_OFFLINE", "is set: every lesson uses the offline "
                                "stand-in, even with keys", "remove it to use the real APIs"))
    for record in PROVIDERS:
        findings += _key_findings(record.name, values, env, file_values)
    findings += _model_findings(values)
    findings += _proxy_findings(values)
    keys = [values.get(name, "") for name in KEY_VARIABLES.values()]
    findings += scan_for_keys(scan, known=keys, start=start)
    return findings


def format_findings(findings: list[Finding]) -> str:
    """Findings, one per line, then a one-line summary."""
    counts = {level: sum(f.level == level for f in findings) for level in ICONS}
    summary = (f"{counts['error']} error(s), {counts['warning']} warning(s), "
               f"{counts['ok']} ok, {counts['info']} note(s)")
    return "\n".join([*map(str, findings), summary])


def print_findings(findings: list[Finding]) -> None:
    print(format_findings(findings))


# ---------------------------------------------------------------------------------------
# What the server (or the network) said


def explain_error(exc: BaseException) -> Finding:
    """Advice for an exception from an SDK call; the message never repeats the request's key."""
    name = type(exc).__name__
    status = getattr(exc, "status_code", None)
    code = getattr(exc, "code", None)
    if name == "APITimeoutError":
        return Finding("error", "network", "the request timed out",
                       "check your connection; a proxy or firewall may be holding the request")
    if name == "APIConnectionError":
        return Finding("error", "network", "could not connect to the API (APIConnectionError)",
                       "check the internet connection, HTTPS_PROXY / NO_PROXY, a firewall or VPN, "
                       "and the base_url")
    advice = {
        401: ("the server rejected the key (401 AuthenticationError)",
              "check the key for typos, that it was not revoked, and that it belongs to this "
              "provider; make a new key if unsure"),
        403: ("the key is valid but not allowed to do this (403 PermissionDeniedError)",
              "check the project's model permissions and your region"),
        404: ("not found (404): usually a model name your key cannot use",
              "check OPENAI_MODEL against data/models.csv"),
        429: ("too many requests or no credit left (429 RateLimitError)",
              "insufficient_quota means billing: add credit; otherwise wait and retry"),
    }
    if status in advice:
        message, fix = advice[status]
        if status == 429 and code == "insufficient_quota":
            message = "the account has no credit left (429 insufficient_quota): retrying will not help"
        return Finding("error", "server", message, fix)
    if isinstance(status, int) and status >= 500:
        return Finding("warning", "server", f"the provider had a problem ({status})",
                       "not your setup: retry in a minute")
    return Finding("error", "server", f"{name}: {exc}"[:300], "read the message above")


def check_connection(client: Any) -> list[Finding]:
    """One free request (``client.models.list()``): does the key work from here?"""
    try:
        client.models.list()
    except Exception as exc:  # every failure becomes advice
        return [explain_error(exc)]
    return [Finding("ok", "connection", f"the server at {client.base_url.host} accepted the key")]
