"""One record per provider: the facts that config, clients and setup_check share.

Adding a provider, renaming a variable or changing a default model is one edit here:

    >>> get("anthropic").key_variable
    'ANTHROPIC_API_KEY'
    >>> [p.label for p in PROVIDERS]
    ['OpenAI', 'Anthropic']
    >>> key_owner("sk-ant-api03-abc").name, key_owner("sk-proj-abc").name, key_owner("abc")
    ('anthropic', 'openai', None)

Only the standard library is imported, so reading a record costs nothing; the SDK classes are
named as text (``sdk``, ``client_class``) and imported by :mod:`course_lib.clients` on use.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["ANTHROPIC", "OFFLINE_KEY", "OPENAI", "PROVIDERS", "KeyShape", "Provider", "get",
           "key_owner", "key_shape"]

# The stand-in accepts any key that starts with "offline" and rejects others with a 401.
OFFLINE_KEY = "offline-stand-in"


@dataclass(frozen=True)
class KeyShape:
    """How one kind of key starts, what to call it, and (if any) why it cannot call models."""

    prefix: str
    description: str  # "an OpenAI project key (sk-proj-…)": shown instead of the key itself
    problem: tuple[str, str] | None = None  # (problem, fix) when the kind cannot call models


@dataclass(frozen=True)
class Provider:
    name: str  # "openai": the id code and settings use
    label: str  # "OpenAI": the name people read in banners and messages
    key_variable: str  # the environment variable the SDK reads the key from
    model_variable: str  # the course's variable that overrides default_model
    default_model: str  # a current, cheap model (see data/models.csv)
    offline_path: str  # appended to the stand-in's URL to make the SDK's base_url
    key_prefix: str  # every key of this provider starts with it
    key_shapes: tuple[KeyShape, ...]  # the kinds of key, each a longer prefix
    variable_brand: str  # regex for this provider in a variable name ("CLAUDE_KEY" is a lookalike)
    sdk: str  # the SDK's module
    client_class: str  # its sync client class
    async_client_class: str  # and the async twin


# Current, cheap models that accept temperature (and, for OpenAI, logprobs): see
# data/models.csv. When one is retired, change it here and nowhere else.
OPENAI = Provider(
    name="openai",
    label="OpenAI",
    key_variable="OPENAI_API_KEY",
    model_variable="OPENAI_MODEL",
    default_model="gpt-5.4-mini",
    offline_path="/v1",  # the OpenAI SDK's base_url ends in /v1; Anthropic's does not
    key_prefix="sk-",
    key_shapes=(
        KeyShape("sk-proj-", "an OpenAI project key (sk-proj-…)"),
        KeyShape("sk-svcacct-", "an OpenAI service-account key (sk-svcacct-…)"),
        KeyShape("sk-admin-", "an OpenAI admin key (sk-admin-…)", problem=(
            "is an admin key: it manages the organisation but cannot call models",
            "create a project key (sk-proj-…) in the dashboard")),
        KeyShape("sk-", "an OpenAI key (sk-…)"),
    ),
    variable_brand="OPENAI",
    sdk="openai",
    client_class="OpenAI",
    async_client_class="AsyncOpenAI",
)
ANTHROPIC = Provider(
    name="anthropic",
    label="Anthropic",
    key_variable="ANTHROPIC_API_KEY",
    model_variable="ANTHROPIC_MODEL",
    default_model="claude-haiku-4-5",
    offline_path="",
    key_prefix="sk-ant-",
    key_shapes=(
        KeyShape("sk-ant-admin", "an Anthropic admin key (sk-ant-admin…)"),
        KeyShape("sk-ant-", "an Anthropic key (sk-ant-…)"),
    ),
    variable_brand="ANTHROPIC|CLAUDE",
    sdk="anthropic",
    client_class="Anthropic",
    async_client_class="AsyncAnthropic",
)
PROVIDERS = (OPENAI, ANTHROPIC)
_BY_NAME = {p.name: p for p in PROVIDERS}


def get(name: str) -> Provider:
    """The record for ``name`` ("openai" or "anthropic")."""
    try:
        return _BY_NAME[name]
    except (KeyError, TypeError):
        names = " or ".join(repr(n) for n in _BY_NAME)
        raise ValueError(f"Unknown provider {name!r}; use {names}.") from None


def key_shape(value: str) -> tuple[Provider, KeyShape] | None:
    """The provider and kind of key whose prefix ``value`` starts with (the longest wins)."""
    shapes = [(p, s) for p in PROVIDERS for s in p.key_shapes if value.startswith(s.prefix)]
    return max(shapes, key=lambda ps: len(ps[1].prefix), default=None)


def key_owner(value: str) -> Provider | None:
    """Which provider's key ``value`` looks like, from its prefix alone (None: neither)."""
    found = key_shape(value)
    return found[0] if found else None
