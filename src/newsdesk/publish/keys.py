"""Page keys: short stable digests of what a page is made from."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable

__all__ = ["digest", "files_digest"]


def digest(*parts: object) -> str:
    """A short stable digest of ``parts`` (strings, numbers, nested sequences)."""
    return hashlib.md5(repr(parts).encode("utf-8", "surrogatepass")).hexdigest()[:20]


def files_digest(files: Iterable[tuple[str, bytes]]) -> str:
    """Digest of named contents (the templates a build renders with)."""
    md5 = hashlib.md5()
    for name, data in sorted(files):
        md5.update(name.encode() + b"\0" + hashlib.md5(data).digest())
    return md5.hexdigest()[:20]
