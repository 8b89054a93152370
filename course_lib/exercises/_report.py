"""The one way every check reports its verdict."""

from __future__ import annotations


def report(ok: bool, success: str, hint: str) -> bool:
    """Print ``✅ success`` or ``❌ hint`` and return ``ok``.

    >>> report(1 + 1 == 2, "Right: 2.", "Try adding again.")
    ✅ Right: 2.
    True
    """
    print(f"✅ {success}" if ok else f"❌ {hint}")
    return ok
