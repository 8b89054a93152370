"""Settings: the .env file, which provider each SDK talks to, and the default models.

Rules (DESIGN.md, "The provider switch"):

- ``.env`` (found from the working directory upwards) is loaded once; real environment
  variables win over it.
- ``COURSE_OFFLINE=1`` forces the offline stand-in for both providers (CI and nbval set it).
- Otherwise a provider is real when its key (``OPENAI_API_KEY`` / ``ANTHROPIC_API_KEY``) is set.
- ``OPENAI_MODEL`` / ``ANTHROPIC_MODEL`` override the default models (course_lib.providers).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import cache

from course_lib import providers

# Views of the provider records (course_lib.providers), by provider name; edit the records.
DEFAULT_MODELS = {p.name: p.default_model for p in providers.PROVIDERS}
KEY_VARIABLES = {p.name: p.key_variable for p in providers.PROVIDERS}
MODEL_VARIABLES = {p.name: p.model_variable for p in providers.PROVIDERS}
TRUTHY = {"1", "true", "yes", "on"}


@cache
def load_env() -> str | None:
    """Load the nearest ``.env`` once; return its path (or None when there is none)."""
    from dotenv import find_dotenv, load_dotenv

    path = find_dotenv(usecwd=True)
    if path:
        load_dotenv(path, override=False)
    return path or None


@dataclass(frozen=True)
class ProviderSettings:
    name: str  # "openai" | "anthropic"
    offline: bool  # True -> the offline stand-in
    model: str
    reason: str  # why this choice, in words a student can act on


def provider(name: str) -> ProviderSettings:
    """Which backend and model ``name`` ("openai" or "anthropic") uses right now."""
    record = providers.get(name)
    load_env()
    model = os.environ.get(record.model_variable) or record.default_model
    key_variable = record.key_variable
    if os.environ.get("COURSE_OFFLINE", "").strip().lower() in TRUTHY:
        return ProviderSettings(name, True, model, "COURSE_OFFLINE=1 forces the offline stand-in")
    if os.environ.get(key_variable, "").strip():
        return ProviderSettings(
            name, False, model, f"{key_variable} is set; unset it to use the offline stand-in"
        )
    return ProviderSettings(
        name, True, model, f"no {key_variable}; put it in .env to use the real API"
    )


def default_model(name: str) -> str:
    """The model id lessons use for ``name`` (configurable with OPENAI_MODEL/ANTHROPIC_MODEL)."""
    return provider(name).model


DEFAULT_EMBEDDING_MODEL = "text-embedding-3-small"  # OpenAI's cheaper embeddings model (7.29)


def embedding_model() -> str:
    """The OpenAI embeddings model lessons use (``OPENAI_EMBEDDING_MODEL`` overrides it)."""
    load_env()
    return os.environ.get("OPENAI_EMBEDDING_MODEL") or DEFAULT_EMBEDDING_MODEL
