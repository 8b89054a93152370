"""Configuration, read once from the environment (``.env`` included, as everywhere in the course).

| variable | default | what it sets |
|---|---|---|
| ``DATABASE_URL`` | unset: embedded PostgreSQL | the PostgreSQL to use (``postgresql://...``) |
| ``CHAT_API_DATA_DIR`` | the user's cache folder | where the embedded PostgreSQL keeps its data |
| ``CHAT_API_PROVIDER`` | ``openai`` | ``openai`` or ``anthropic`` (model: ``OPENAI_MODEL`` / ``ANTHROPIC_MODEL``) |
| ``CHAT_API_BUDGET_USD`` | ``0.50`` | default budget of a new conversation |
| ``CHAT_API_MAX_CONTENT`` | ``8000`` | longest user message, in characters |
| ``CHAT_API_MAX_OUTPUT`` | ``1024`` | output tokens per model request |
| ``CHAT_API_HISTORY_TOKENS`` | ``6000`` | history budget before old turns are trimmed |
| ``CHAT_API_MAX_RETRIES`` | ``2`` | retries of a failed provider request (SDK ``max_retries``) |
| ``CHAT_API_TIMEOUT`` | ``60`` | seconds: provider request timeout |

As root the default data folder is under the temp folder instead (see :func:`default_data_dir`).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

PROVIDERS = ("openai", "anthropic")


@dataclass(frozen=True)
class Settings:
    database_url: str | None
    data_dir: Path
    provider: str
    budget_usd: float
    max_content: int
    max_output: int
    history_tokens: int
    max_retries: int
    timeout: float


def _number(name: str, default: str, kind: type = int):
    raw = os.environ.get(name, default)
    try:
        value = kind(raw)
    except ValueError:
        raise SystemExit(f"{name} must be a number, not {raw!r}") from None
    if value < 0:
        raise SystemExit(f"{name} must be >= 0, not {raw!r}")
    return value


def default_data_dir() -> Path:
    """``~/.cache/course-lib/chat-api/pgdata`` (or the platform's cache folder).

    As root (a container, a cloud shell) the embedded PostgreSQL runs as a user of its own,
    which would need every folder above its data opened to others (``/root`` included), so
    root's data goes under the temp folder instead (lost at reboot: set CHAT_API_DATA_DIR).
    """
    import platformdirs

    if hasattr(os, "geteuid") and os.geteuid() == 0:
        import tempfile

        return Path(tempfile.gettempdir()) / "course-lib-chat-api" / "pgdata"
    return Path(platformdirs.user_cache_dir("course-lib")) / "chat-api" / "pgdata"


def load() -> Settings:
    from course_lib.config import load_env

    load_env()
    provider = os.environ.get("CHAT_API_PROVIDER", "openai").strip().lower()
    if provider not in PROVIDERS:
        raise SystemExit(f"CHAT_API_PROVIDER must be one of {', '.join(PROVIDERS)}, not {provider!r}")
    data_dir = os.environ.get("CHAT_API_DATA_DIR")
    return Settings(
        database_url=os.environ.get("DATABASE_URL") or None,
        data_dir=Path(data_dir).expanduser() if data_dir else default_data_dir(),
        provider=provider,
        budget_usd=_number("CHAT_API_BUDGET_USD", "0.50", float),
        max_content=_number("CHAT_API_MAX_CONTENT", "8000"),
        max_output=_number("CHAT_API_MAX_OUTPUT", "1024"),
        history_tokens=_number("CHAT_API_HISTORY_TOKENS", "6000"),
        max_retries=_number("CHAT_API_MAX_RETRIES", "2"),
        timeout=_number("CHAT_API_TIMEOUT", "60", float),
    )
