"""Accounts: user names, passwords and the tokens apps and scripts sign in with.

Passwords are hashed with argon2id (argon2-cffi's defaults, RFC 9106's second choice)
and checked against the hash; a password is 8 to 1,024 characters, the bound checked
before any hashing. App passwords (for reader apps) and API tokens (``Authorization:
Bearer``, for scripts) are random — 120 bits from :mod:`secrets` — so a fast digest
(SHA-256) is enough to keep them: the store holds the digest, the token is shown once.
Nothing here logs or repeats a secret.
"""

from __future__ import annotations

import hashlib
import re
import secrets

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from newsdesk.errors import AuthError, ConfigError

__all__ = [
    "KINDS", "MAX_PASSWORD", "MIN_PASSWORD", "NAME", "check_name", "check_password", "digest", "fever_key",
    "hash_password", "new_token", "verify_password",
]  # fmt: skip

NAME = re.compile(r"[a-z0-9][a-z0-9_.-]{0,39}")
MIN_PASSWORD = 8
MAX_PASSWORD = 1024
KINDS = ("app", "api")  # an app password (reader apps) or an API token (Bearer, scripts)
_HASHER = PasswordHasher()
_TOKEN_ALPHABET = "abcdefghijkmnpqrstuvwxyz23456789"  # no 0/o, 1/l: typed into phones


def check_name(name: str) -> str:
    """``name`` when it is a user name (lower case, digits, _ . -; up to 40), else ConfigError."""
    if not NAME.fullmatch(name):
        raise ConfigError(f"{name[:40]!r} is not a user name (lower case letters, digits, _ . -, up to 40)")
    return name


def check_password(password: str) -> str:
    """``password`` when long enough and not too long, else ConfigError (it is not repeated)."""
    if not MIN_PASSWORD <= len(password) <= MAX_PASSWORD:
        raise ConfigError(f"a password needs {MIN_PASSWORD} to {MAX_PASSWORD} characters")
    return password


def hash_password(password: str) -> str:
    return _HASHER.hash(check_password(password))


def verify_password(stored: str, password: str) -> bool:
    """Whether ``password`` is the one ``stored`` was made from (an over-long one is not
    hashed at all)."""
    if not 0 < len(password) <= MAX_PASSWORD or not stored:
        return False
    try:
        return _HASHER.verify(stored, password)
    except (VerificationError, InvalidHashError):
        return False


def new_token(kind: str) -> str:
    """A new app password (``abcd-efgh-ijkm-npqr-stuv-wxyz``, 120 bits) or API token
    (``nd_`` and 32 characters, 160 bits)."""
    if kind not in KINDS:
        raise AuthError(f"unknown token kind {kind!r}")
    if kind == "app":
        letters = "".join(secrets.choice(_TOKEN_ALPHABET) for _ in range(24))
        return "-".join(letters[i : i + 4] for i in range(0, 24, 4))
    return "nd_" + "".join(secrets.choice(_TOKEN_ALPHABET) for _ in range(32))


def fever_key(name: str, app_password: str) -> str:
    """The key a Fever client sends for this user and app password: md5 of ``name:password``
    (the Fever API's choice; the store keeps only its :func:`digest`)."""
    return hashlib.md5(f"{name}:{app_password}".encode(), usedforsecurity=False).hexdigest()


def digest(token: str) -> str:
    """What the store keeps of a token: its SHA-256, hex."""
    return hashlib.sha256(token.strip().encode("utf-8", "replace")).hexdigest()
