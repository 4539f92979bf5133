"""Finding the feed of a URL a reader gives: the URL itself when it is an RSS, Atom or
RDF feed, else the first feed a page links with ``<link rel="alternate">``. Every hop
is guarded (a reader's URL may point anywhere); a page links at most
:data:`MOST_CANDIDATES` feeds that are tried."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from urllib.parse import urljoin

import feedparser

from newsdesk.errors import FetchError, ParseError
from newsdesk.fetch.client import Fetcher
from newsdesk.fetch.feeds import parse_feed
from newsdesk.fetch.parse import parse_html
from newsdesk.plaintext import NOT_XML

__all__ = ["MOST_CANDIDATES", "Discovered", "discover"]

MOST_CANDIDATES = 3
_FEED_TYPES = ("application/rss+xml", "application/atom+xml", "application/rdf+xml", "application/xml", "text/xml")


@dataclass(frozen=True, slots=True)
class Discovered:
    url: str  # the feed's, after redirects
    title: str
    site: str | None  # the site the feed says it is of


async def discover(url: str, fetcher: Fetcher, *, guard: bool | Collection[str] = True) -> Discovered:
    """The feed at ``url`` or linked from the page there; FetchError when it cannot be
    had, ParseError (naming ``url``) when there is no feed."""
    response = await fetcher.get(url, source="subscribe", guard=guard)
    found = _feed(response.text, response.url)
    if found:
        return found
    tried = []
    for candidate in alternates(response.text, response.url)[:MOST_CANDIDATES]:
        tried.append(candidate)
        try:
            linked = await fetcher.get(candidate, source="subscribe", guard=guard)
        except FetchError:
            continue
        found = _feed(linked.text, linked.url)
        if found:
            return found
    said = f" (tried {', '.join(tried)})" if tried else ""
    raise ParseError(f"not a feed, and the page links no RSS or Atom feed{said}", where=url[:200])


def alternates(text: str, base: str) -> list[str]:
    """The feeds an HTML page links (``<link rel="alternate" type="application/rss+xml">``), absolute."""
    try:
        tree = parse_html(text, base)
    except ParseError:
        return []
    found = []
    for node in tree.css("link[rel][href]"):
        rel = (node.attributes.get("rel") or "").lower().split()
        kind = (node.attributes.get("type") or "").lower().split(";")[0].strip()
        href = (node.attributes.get("href") or "").strip()
        if "alternate" in rel and kind in _FEED_TYPES and href:
            absolute = urljoin(base, href)
            if absolute.startswith(("http://", "https://")) and absolute not in found:
                found.append(absolute)
    return found


def _feed(text: str, url: str) -> Discovered | None:
    head = text.lstrip()[:500].lower()
    if not (head.startswith("<?xml") or "<rss" in head or "<feed" in head or "<rdf" in head):
        return None
    parsed = feedparser.parse(text)
    if parse_feed(text) is None and not parsed.get("version"):
        return None
    channel = parsed.get("feed", {})
    title = " ".join(NOT_XML.sub("", str(channel.get("title") or "")).split())[:200]
    site = str(channel.get("link") or "") or None
    return Discovered(url, title or url[:200], site if site and site.startswith(("http://", "https://")) else None)
