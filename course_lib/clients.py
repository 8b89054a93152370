"""The real SDK clients, pointed at the real API or at the offline stand-in.

Every function returns the SDK's own client object, so lessons call the real methods
(``client.chat.completions.create``, ``client.messages.stream``, ...). Keyword arguments
such as ``max_retries`` and ``timeout`` go straight to the SDK constructor.

    >>> client = openai_client(max_retries=0)          # doctest: +SKIP
    OpenAI → offline stand-in, model gpt-5.4-mini (no OPENAI_API_KEY; put it in .env to use the real API)
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from course_lib.config import ProviderSettings, provider

if TYPE_CHECKING:
    import anthropic
    import openai

# The stand-in accepts any key that starts with "offline" and rejects others with a 401.
OFFLINE_KEY = "offline-stand-in"
_announced: set[str] = set()
_LABELS = {"openai": "OpenAI", "anthropic": "Anthropic"}


def banner(settings: ProviderSettings) -> str:
    """One line naming provider, backend and model, and how to switch; never the key."""
    where = "offline stand-in" if settings.offline else "real API"
    return f"{_LABELS[settings.name]} → {where}, model {settings.model} ({settings.reason})"


def _announce(settings: ProviderSettings) -> None:
    if settings.name not in _announced:
        _announced.add(settings.name)
        print(banner(settings))


def _offline_options(name: str, kwargs: dict[str, Any]) -> dict[str, Any]:
    from course_lib import offline

    url = offline.start().url
    options = {"base_url": url + "/v1" if name == "openai" else url, "api_key": OFFLINE_KEY}
    return options | kwargs  # an explicit base_url or api_key from the caller wins


def _connection(name: str, kwargs: dict[str, Any]) -> dict[str, Any]:
    settings = provider(name)
    _announce(settings)
    return _offline_options(name, kwargs) if settings.offline else kwargs


def openai_client(**kwargs: Any) -> openai.OpenAI:
    """``openai.OpenAI`` for the configured backend."""
    import openai

    return openai.OpenAI(**_connection("openai", kwargs))


def async_openai_client(**kwargs: Any) -> openai.AsyncOpenAI:
    """``openai.AsyncOpenAI`` for the configured backend."""
    import openai

    return openai.AsyncOpenAI(**_connection("openai", kwargs))


def anthropic_client(**kwargs: Any) -> anthropic.Anthropic:
    """``anthropic.Anthropic`` for the configured backend."""
    import anthropic

    return anthropic.Anthropic(**_connection("anthropic", kwargs))


def async_anthropic_client(**kwargs: Any) -> anthropic.AsyncAnthropic:
    """``anthropic.AsyncAnthropic`` for the configured backend."""
    import anthropic

    return anthropic.AsyncAnthropic(**_connection("anthropic", kwargs))


# ---------------------------------------------------------------------------------------
# Always the stand-in, whatever keys are set: for demos that inject faults (429s, latency,
# outages) with course_lib.offline.faults, which a real provider cannot be asked to produce.


def offline_openai_client(**kwargs: Any) -> openai.OpenAI:
    """``openai.OpenAI`` pointed at the offline stand-in, even when OPENAI_API_KEY is set."""
    import openai

    return openai.OpenAI(**_offline_options("openai", kwargs))


def offline_anthropic_client(**kwargs: Any) -> anthropic.Anthropic:
    """``anthropic.Anthropic`` pointed at the offline stand-in, even with ANTHROPIC_API_KEY."""
    import anthropic

    return anthropic.Anthropic(**_offline_options("anthropic", kwargs))
