"""What a detail page says about itself: its title and its publication date.

Read only when the list gave neither (the list is the better witness): the
title from ``og:title``, the article's ``h1`` or ``<title>`` without the site's
suffix; the date with htmldate (meta ``article:published_time``, JSON-LD
``datePublished``, ``<time datetime>``, a visible date line, the URL). No date
found is an answer too: the article stays undated, never "now".
"""

from __future__ import annotations

import re
from datetime import datetime, tzinfo

from selectolax.lexbor import LexborHTMLParser

__all__ = ["page_date", "page_title"]

_SUFFIX = re.compile(r"\s*(?:[|｜_–—-]|::)\s*")
_SPACE = re.compile(r"\s+")
_YEAR = re.compile(r"(?:19|20)\d\d")


def page_title(page: str) -> str | None:
    """The page's headline, or None."""
    tree = LexborHTMLParser(page)
    for selector in ('meta[property="og:title"]', 'meta[name="twitter:title"]'):
        node = tree.css_first(selector)
        content = _SPACE.sub(" ", node.attributes.get("content") or "").strip() if node else ""
        if content:
            return content
    headings = tree.css("h1")
    if len(headings) == 1:
        text = _SPACE.sub(" ", headings[0].text()).strip()
        if text:
            return text
    node = tree.css_first("title")
    text = _SPACE.sub(" ", node.text()).strip() if node else ""
    if not text:
        return None
    parts = [p for p in _SUFFIX.split(text) if p]
    return max(parts, key=len) if len(parts) > 1 else text  # "Headline - Site" → the headline


def page_date(page: str, url: str, tz: tzinfo) -> datetime | None:
    """The page's own publication time (naive ones in ``tz``), or None."""
    if not _YEAR.search(page) and not _YEAR.search(url):
        return None  # no year anywhere: nothing a date could be read from (and htmldate is slow)
    from htmldate import find_date  # heavy: loaded when a page needs it

    try:
        found = find_date(
            page, url=url or None, outputformat="%Y-%m-%dT%H:%M:%S", original_date=True, extensive_search=True
        )
    except (ValueError, TypeError):  # a hostile page may trip the library; no date is an answer
        return None
    if not found:
        return None
    try:
        parsed = datetime.fromisoformat(found)
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=tz)
