"""Settings: the .env file, which provider each SDK talks to, and the default models.

Rules (DESIGN.md, "The provider switch"):

- ``.env`` (found from the working directory upwards) is loaded once; real environment
  variables win over it.
- ``COURSE_OFFLINE=1`` forces the offline stand-in for both providers (CI and nbval set it).
- Otherwise a provider is real when its key (``OPENAI_API_KEY`` / ``ANTHROPIC_API_KEY``) is set.
- ``OPENAI_MODEL`` / ``ANTHROPIC_MODEL`` override the default models below.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import cache

# Current, cheap models that accept temperature (and, for OpenAI, logprobs): see
# data/models.csv. When one is retired, change it here and nowhere else.
DEFAULT_MODELS = {"openai": "gpt-5.4-mini", "anthropic": "claude-haiku-4-5"}
KEY_VARIABLES = {"openai": "OPENAI_API_KEY", "anthropic": "ANTHROPIC_API_KEY"}
MODEL_VARIABLES = {"openai": "OPENAI_MODEL", "anthropic": "ANTHROPIC_MODEL"}
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
    if name not in DEFAULT_MODELS:
        raise ValueError(f"Unknown provider {name!r}; use 'openai' or 'anthropic'.")
    load_env()
    model = os.environ.get(MODEL_VARIABLES[name]) or DEFAULT_MODELS[name]
    key_variable = KEY_VARIABLES[name]
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
