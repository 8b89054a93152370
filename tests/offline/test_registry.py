"""The registry is the one place in the HTTP layer that knows which provider a request is for."""

import re
from pathlib import Path

import pytest

from course_lib.offline import registry

OFFLINE = Path(registry.__file__).parent
NAMES = tuple(registry.ADAPTERS)


@pytest.mark.parametrize(("path", "headers", "provider"), [
    ("/v1/chat/completions", {}, "openai"),
    ("/v1/chat/completions", {"anthropic-version": "2023-06-01"}, "openai"),
    ("/v1/chat/other", {}, "openai"),
    ("/v1/messages", {}, "anthropic"),
    ("/v1/messages/count_tokens", {}, "anthropic"),
    ("/v1/models", {}, "openai"),
    ("/v1/models", {"anthropic-version": "2023-06-01"}, "anthropic"),
    ("/v1/models/claude-haiku-4-5", {"anthropic-version": "2023-06-01"}, "anthropic"),
    ("/v1/models", {"anthropic-version": ""}, "openai"),
    ("/", {}, "openai"),
    ("/nowhere", {"anthropic-version": "2023-06-01"}, "anthropic"),
])
def test_a_request_goes_to_its_providers_adapter(path, headers, provider):
    assert registry.for_request(path, headers).name == provider


def test_every_adapter_is_complete_and_named_by_its_folder():
    members = [m for m in vars(registry.Adapter) if not m.startswith("_")]
    members += list(registry.Adapter.__annotations__)
    for name, adapter in registry.ADAPTERS.items():
        assert adapter.name == name and registry.by_name(name) is adapter
        assert (OFFLINE / name / "adapter.py").is_file()
        assert [m for m in members if not hasattr(adapter, m)] == [], name
        wording = [m for m in vars(registry.ProviderErrors) if not m.startswith("_")]
        assert [m for m in wording if not callable(getattr(adapter.errors, m, None))] == [], name


def _code(path: Path) -> str:
    """The file without its comments and docstrings' prose (string literals stay)."""
    return "\n".join(line.split("#", 1)[0] for line in path.read_text(encoding="utf-8").splitlines())


def test_no_shared_module_names_a_provider():
    """Outside registry.py (and the command line's help text), the HTTP layer asks an adapter."""
    allowed = {"registry.py", "__main__.py"}
    for path in sorted(OFFLINE.glob("*.py")):
        if path.name in allowed:
            continue
        for name in NAMES:
            assert not re.search(rf"""["']{name}["']""", _code(path)), f"{path.name} names {name!r}"


def test_a_providers_folder_never_names_another_provider():
    for name in NAMES:
        for path in sorted((OFFLINE / name).glob("*.py")):
            for other in set(NAMES) - {name}:
                assert not re.search(rf"""["']{other}["']""", _code(path)), (path, other)
                assert f"offline.{other}" not in _code(path), (path, other)
