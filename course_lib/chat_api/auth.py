"""API keys: made once, shown once, stored only as a hash.

    key = new_key()          # "ck_" + 43 random URL-safe characters (256 bits)
    key_hash(key)            # what the database keeps: sha256, hex

A fast hash is right here, unlike for passwords: the key is 256 random bits, so there is
nothing to guess and a slow hash (bcrypt, argon2) would only slow every request. A stolen
database gives hashes that cannot be turned back into keys.

    >>> key_hash("ck_example")[:16]
    'bcfd477840d680ae'
    >>> bearer("Bearer ck_example"), bearer("Basic xyz"), bearer(None)
    ('ck_example', None, None)
"""

from __future__ import annotations

import hashlib
import secrets

PREFIX = "ck_"


def new_key() -> str:
    return PREFIX + secrets.token_urlsafe(32)


def key_hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def bearer(header: str | None) -> str | None:
    """The key in an ``Authorization: Bearer <key>`` header, or None."""
    if not header:
        return None
    scheme, _, key = header.partition(" ")
    key = key.strip()
    if scheme.lower() != "bearer" or not key or len(key) > 200:
        return None
    return key
