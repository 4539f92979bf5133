"""Articles as Google Reader items: JSON for ``stream/contents`` and
``stream/items/contents``, and the Atom of ``/reader/atom/STREAM`` (Google Reader's
original form, which newsboat reads): the full sanitized content, the read, unread and
starred states as categories, the feed the item came from."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from xml.etree import ElementTree as ET

from newsdesk.models import Article
from newsdesk.plaintext import NOT_XML
from newsdesk.web.apps.streams import Feed, long_id

__all__ = ["GOOGLE", "atom", "item", "usec"]

GOOGLE = "http://www.google.com/reader/"
_ATOM = "http://www.w3.org/2005/Atom"
_GR = "http://www.google.com/schemas/reader/atom/"
_READING_LIST = "user/-/state/com.google/reading-list"


def usec(moment: datetime | None) -> int:
    return int((moment or datetime.now(UTC)).timestamp() * 1_000_000)


def categories(state: tuple[bool, bool], feed: Feed | None) -> list[str]:
    """The stream ids an item is in: the reading list, its folder, read (or kept unread), starred."""
    read, starred = state
    found = [_READING_LIST, "user/-/state/com.google/read" if read else "user/-/state/com.google/kept-unread"]
    if starred:
        found.append("user/-/state/com.google/starred")
    if feed and feed.category:
        found.append(f"user/-/label/{feed.category}")
    return found


def item(number: int, article: Article, state: tuple[bool, bool], feed: Feed | None) -> dict[str, Any]:
    """One item of ``stream/contents`` (the content in ``summary``, as FreshRSS and Miniflux give it)."""
    seen = article.first_seen or article.published
    return {
        "id": long_id(number),
        "crawlTimeMsec": str(usec(seen) // 1000),
        "timestampUsec": str(usec(seen)),
        "published": int(article.published.timestamp()),
        "updated": int((article.updated or article.published).timestamp()),
        "title": article.title,
        "author": article.author or (feed.title if feed else article.source),
        "canonical": [{"href": article.link}],
        "alternate": [{"href": article.link, "type": "text/html"}],
        "summary": {"direction": "ltr", "content": article.html or article.summary},
        "categories": categories(state, feed),
        "origin": {
            "streamId": f"feed/{article.source}",
            "title": feed.title if feed else article.source,
            "htmlUrl": (feed.site if feed else None) or "",
        },
        **({"enclosure": [{"href": article.image, "type": "image/jpeg"}]} if article.image else {}),
    }


def atom(
    stream_id: str,
    title: str,
    entries: list[tuple[int, Article, tuple[bool, bool], Feed | None]],
    continuation: str | None,
) -> bytes:
    """The Atom feed of a stream's page, each entry with Google Reader's state categories."""
    ET.register_namespace("", _ATOM)
    ET.register_namespace("gr", _GR)
    root = ET.Element(f"{{{_ATOM}}}feed")
    _text(root, "id", f"tag:google.com,2005:reader/{stream_id}")
    _text(root, "title", title)
    newest = max((a.published for _, a, _, _ in entries), default=datetime.now(UTC))
    _text(root, "updated", _iso(newest))
    if continuation:
        ET.SubElement(root, f"{{{_GR}}}continuation").text = continuation
    for number, article, state, feed in entries:
        _entry(root, number, article, state, feed)
    body: bytes = ET.tostring(root, encoding="utf-8", xml_declaration=False)
    return b'<?xml version="1.0" encoding="utf-8"?>\n' + body


def _entry(root: ET.Element, number: int, article: Article, state: tuple[bool, bool], feed: Feed | None) -> None:
    seen = article.first_seen or article.published
    entry = ET.SubElement(root, f"{{{_ATOM}}}entry", {f"{{{_GR}}}crawl-timestamp-msec": str(usec(seen) // 1000)})
    ET.SubElement(entry, f"{{{_ATOM}}}id", {f"{{{_GR}}}original-id": NOT_XML.sub("", article.link)}).text = long_id(
        number
    )
    for term in categories(state, feed):
        label = term.rsplit("/", 1)[-1]
        ET.SubElement(entry, f"{{{_ATOM}}}category", {"term": NOT_XML.sub("", term), "scheme": GOOGLE, "label": label})
    _text(entry, "title", article.title)
    _text(entry, "published", _iso(article.published))
    _text(entry, "updated", _iso(article.updated or article.published))
    ET.SubElement(entry, f"{{{_ATOM}}}link", {"rel": "alternate", "href": NOT_XML.sub("", article.link)})
    ET.SubElement(entry, f"{{{_ATOM}}}content", {"type": "html"}).text = NOT_XML.sub(
        "", article.html or article.summary
    )
    _text(
        ET.SubElement(entry, f"{{{_ATOM}}}author"), "name", article.author or (feed.title if feed else article.source)
    )
    source = ET.SubElement(entry, f"{{{_ATOM}}}source", {f"{{{_GR}}}stream-id": f"feed/{article.source}"})
    _text(source, "id", f"tag:google.com,2005:reader/feed/{article.source}")
    _text(source, "title", feed.title if feed else article.source)


def _text(parent: ET.Element, tag: str, text: str) -> None:
    ET.SubElement(parent, f"{{{_ATOM}}}{tag}").text = NOT_XML.sub("", text)


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
