"""The one rule for URLs taken from third parties (links, images)."""

from __future__ import annotations

from urllib.parse import urljoin, urlsplit

SAFE_SCHEMES = ("http", "https")


def safe_url(value: str, base: str = "") -> str | None:
    """``value`` resolved against ``base`` if relative; None unless it is http(s),
    so javascript:, data: and the like never reach a page attribute."""
    url = urljoin(base, value.strip()) if base else value.strip()
    return url if urlsplit(url).scheme in SAFE_SCHEMES else None
