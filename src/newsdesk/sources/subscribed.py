"""Feeds added by URL (subscriptions) as sources: an RSS/Atom/JSON-Feed source of the
feed's URL, beside the YAML catalog, run by the same fetcher with the same guard,
health and contract. A subscription's URL is a reader's choice, not the operator's:
its first hop is guarded like any link found in content (no loopback or private
address unless ``sources.subscribe_private``), and ``${NAME}`` is never expanded in it.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from urllib.parse import urlsplit

from newsdesk.errors import ConfigError
from newsdesk.sources.catalog import Source

__all__ = ["FILE_PREFIX", "feed_source", "is_subscribed", "name_for", "subscription_url"]

FILE_PREFIX = "subscription:"  # a subscribed source's ``file``: where its definition lives
_NOT_NAME = re.compile(r"[^a-z0-9_.-]+")


def feed_source(name: str, url: str, title: str, *, private: bool = False) -> Source:
    """The source that reads the feed at ``url``; ``private``: it may be on a loopback
    or private address (an intranet desk)."""
    return Source(
        name=name,
        kind="rss",
        url=subscription_url(url),
        file=FILE_PREFIX + name,
        title=title,
        timezone="UTC",
        allow_private=private,
        description="added by URL",
    )


def is_subscribed(source: Source) -> bool:
    return source.file.startswith(FILE_PREFIX)


def subscription_url(url: str) -> str:
    """``url`` when it can be subscribed to: http(s), a host, at most 2,000 characters,
    no ``${`` (never an environment variable) and no credentials; else ConfigError."""
    url = url.strip()
    parts = urlsplit(url)
    if len(url) > 2000 or parts.scheme not in ("http", "https") or not parts.hostname:
        raise ConfigError(f"not an http(s) URL: {url[:200]!r}")
    if "${" in url or parts.username or parts.password:
        raise ConfigError(f"a feed URL carries no ${{…}} and no user:password: {url[:200]!r}")
    return url


def name_for(url: str, taken: Collection[str]) -> str:
    """A source name for a feed at ``url``: its host without ``www.``, then ``-2``, ``-3``
    … while ``taken``."""
    host = (urlsplit(url).hostname or "feed").removeprefix("www.")
    base = _NOT_NAME.sub("-", host.lower()).strip("-._")[:60] or "feed"
    name, number = base, 1
    while name in taken:
        number += 1
        name = f"{base}-{number}"
    return name
