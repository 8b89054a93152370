"""The real SDK clients, pointed at the real API or at the offline stand-in.

Every function returns the SDK's own client object, so lessons call the real methods
(``client.chat.completions.create``, ``client.messages.stream``, ...). Keyword arguments
such as ``max_retries`` and ``timeout`` go straight to the SDK constructor.

    client = openai_client(max_retries=0)     # the first client of a provider prints its banner

The banner says which backend and model, and why, never the key:

    >>> print(banner(ProviderSettings("openai", offline=True, model="gpt-5.4-mini",
    ...                               reason="no OPENAI_API_KEY; put it in .env to use the real API")))
    OpenAI → offline stand-in, model gpt-5.4-mini (no OPENAI_API_KEY; put it in .env to use the real API)
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

from course_lib import providers
from course_lib.config import ProviderSettings, provider
from course_lib.providers import OFFLINE_KEY

if TYPE_CHECKING:
    import anthropic
    import openai

__all__ = [
    "OFFLINE_KEY",
    "anthropic_client",
    "async_anthropic_client",
    "async_openai_client",
    "banner",
    "offline_anthropic_client",
    "offline_async_anthropic_client",
    "offline_async_openai_client",
    "offline_openai_client",
    "openai_client",
]
_announced: set[str] = set()


def banner(settings: ProviderSettings) -> str:
    """One line naming provider, backend and model, and how to switch; never the key."""
    where = "offline stand-in" if settings.offline else "real API"
    label = providers.get(settings.name).label
    return f"{label} → {where}, model {settings.model} ({settings.reason})"


def _announce(settings: ProviderSettings) -> None:
    if settings.name not in _announced:
        _announced.add(settings.name)
        print(banner(settings))


def _offline_options(name: str, kwargs: dict[str, Any]) -> dict[str, Any]:
    from course_lib import offline

    base_url = offline.start().url + providers.get(name).offline_path
    options = {"base_url": base_url, "api_key": OFFLINE_KEY}
    return options | kwargs  # an explicit base_url or api_key from the caller wins


def _connection(name: str, kwargs: dict[str, Any]) -> dict[str, Any]:
    settings = provider(name)
    _announce(settings)
    return _offline_options(name, kwargs) if settings.offline else kwargs


def _sdk_class(name: str, *, is_async: bool) -> Any:
    """The SDK's client class for ``name``, imported only now (``import course_lib`` stays light)."""
    record = providers.get(name)
    return getattr(import_module(record.sdk),
                   record.async_client_class if is_async else record.client_class)


def _client(name: str, kwargs: dict[str, Any], *, is_async: bool = False,
            offline: bool = False) -> Any:
    options = _offline_options(name, kwargs) if offline else _connection(name, kwargs)
    return _sdk_class(name, is_async=is_async)(**options)


def openai_client(**kwargs: Any) -> openai.OpenAI:
    """``openai.OpenAI`` for the configured backend."""
    return _client("openai", kwargs)


def async_openai_client(**kwargs: Any) -> openai.AsyncOpenAI:
    """``openai.AsyncOpenAI`` for the configured backend."""
    return _client("openai", kwargs, is_async=True)


def anthropic_client(**kwargs: Any) -> anthropic.Anthropic:
    """``anthropic.Anthropic`` for the configured backend."""
    return _client("anthropic", kwargs)


def async_anthropic_client(**kwargs: Any) -> anthropic.AsyncAnthropic:
    """``anthropic.AsyncAnthropic`` for the configured backend."""
    return _client("anthropic", kwargs, is_async=True)


# ---------------------------------------------------------------------------------------
# Always the stand-in, whatever keys are set: for demos that inject faults (429s, latency,
# outages) with course_lib.offline.faults, which a real provider cannot be asked to produce.


def offline_openai_client(**kwargs: Any) -> openai.OpenAI:
    """``openai.OpenAI`` pointed at the offline stand-in, even when OPENAI_API_KEY is set."""
    return _client("openai", kwargs, offline=True)


def offline_anthropic_client(**kwargs: Any) -> anthropic.Anthropic:
    """``anthropic.Anthropic`` pointed at the offline stand-in, even with ANTHROPIC_API_KEY."""
    return _client("anthropic", kwargs, offline=True)


def offline_async_openai_client(**kwargs: Any) -> openai.AsyncOpenAI:
    """``openai.AsyncOpenAI`` pointed at the offline stand-in, even when OPENAI_API_KEY is set."""
    return _client("openai", kwargs, is_async=True, offline=True)


def offline_async_anthropic_client(**kwargs: Any) -> anthropic.AsyncAnthropic:
    """``anthropic.AsyncAnthropic`` pointed at the offline stand-in, even with ANTHROPIC_API_KEY."""
    return _client("anthropic", kwargs, is_async=True, offline=True)
