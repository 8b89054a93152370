"""Read a field the same way from an SDK object and from parsed JSON."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any


def field(obj: Any, name: str, default: Any = None) -> Any:
    """``obj[name]`` for a dict (any Mapping), ``obj.name`` otherwise; ``default`` if absent.

    SDK responses are objects and raw JSON bodies are dicts; code that reads both uses this.

    >>> field({"content": "hi"}, "content"), field(None, "content", "")
    ('hi', '')
    """
    if isinstance(obj, Mapping):
        return obj.get(name, default)
    return getattr(obj, name, default)
