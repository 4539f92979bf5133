"""财联社 (cls.cn): its JSON endpoints want a ``sign`` over the query.

The sign is the MD5 (hex) of the SHA-1 (hex) of the query's parameters sorted by name
and joined as ``k=v&k=v`` (empty values kept as ``k=``, commas left raw); a wrong one
answers 200 with ``errno 10012``. ``last_time`` (items older than it) is set to now
when the catalog's URL leaves it empty, so the first page is the newest.
"""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime
from urllib.parse import parse_qsl, quote, urlsplit, urlunsplit

__all__ = ["sign", "signed"]


def sign(params: dict[str, str]) -> str:
    """The ``sign`` cls.cn expects for these parameters (without ``sign`` itself)."""
    joined = "&".join(f"{key}={quote(value, safe=',')}" for key, value in sorted(params.items()))
    return hashlib.md5(hashlib.sha1(joined.encode()).hexdigest().encode()).hexdigest()


def signed(url: str, now: datetime | None = None) -> str:
    """``url`` with ``last_time`` filled in (when empty) and its ``sign`` appended."""
    parts = urlsplit(url)
    params = {k: v for k, v in parse_qsl(parts.query, keep_blank_values=True) if k != "sign"}
    if "last_time" in params and not params["last_time"]:
        params["last_time"] = str(int((now or datetime.now(UTC)).timestamp()))
    query = "&".join(f"{key}={quote(value, safe=',')}" for key, value in params.items())
    return urlunsplit(parts._replace(query=f"{query}&sign={sign(params)}"))
