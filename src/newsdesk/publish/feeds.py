"""RSS 2.0, Atom 1.0, JSON Feed 1.1 and sitemap.xml for the built site.

Feeds are built with ElementTree / json, never by pasting strings, so titles
and summaries from hostile sources cannot break out of their elements. Items
link to the article's page on the site; the original is in ``<source>`` (RSS),
``rel="via"`` (Atom) and ``external_url`` (JSON Feed).
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from collections.abc import Sequence
from email.utils import format_datetime
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from newsdesk.publish.site import Entry

__all__ = ["atom", "json_feed", "rss", "sitemap"]

_ATOM = "http://www.w3.org/2005/Atom"
_XML_DECLARATION = '<?xml version="1.0" encoding="utf-8"?>\n'


def _text(parent: ET.Element, tag: str, text: str, **attributes: str) -> ET.Element:
    element = ET.SubElement(parent, tag, attributes)
    element.text = _clean(text)
    return element


def _clean(text: str) -> str:
    # XML 1.0 forbids most control characters even escaped.
    return "".join(c for c in text if c in "\t\n\r" or ord(c) >= 0x20 and c not in "\ufffe\uffff")


def _serialize(root: ET.Element) -> str:
    return _XML_DECLARATION + ET.tostring(root, encoding="unicode") + "\n"


def rss(site: str, base: str, title: str, entries: Sequence[Entry]) -> str:
    root = ET.Element("rss", {"version": "2.0", "xmlns:atom": _ATOM})
    channel = ET.SubElement(root, "channel")
    _text(channel, "title", title)
    _text(channel, "link", site + base)
    _text(channel, "description", title)
    ET.SubElement(channel, "atom:link", {"href": f"{site}{base}index.xml", "rel": "self", "type": "application/rss+xml"})
    if entries:
        _text(channel, "lastBuildDate", format_datetime(entries[0].published))
    for entry in entries:
        item = ET.SubElement(channel, "item")
        _text(item, "title", entry.title)
        _text(item, "link", site + entry.path)
        _text(item, "guid", entry.uuid, isPermaLink="false")
        _text(item, "pubDate", format_datetime(entry.published))
        _text(item, "description", entry.summary)
        _text(item, "source", entry.source, url=entry.link)
        for tag in entry.tags:
            _text(item, "category", tag)
    return _serialize(root)


def atom(site: str, base: str, title: str, entries: Sequence[Entry]) -> str:
    root = ET.Element("feed", {"xmlns": _ATOM})
    _text(root, "title", title)
    _text(root, "id", site + base)
    ET.SubElement(root, "link", {"href": f"{site}{base}atom.xml", "rel": "self"})
    ET.SubElement(root, "link", {"href": site + base, "rel": "alternate"})
    _text(root, "updated", entries[0].published.isoformat() if entries else "1970-01-01T00:00:00+00:00")
    for entry in entries:
        item = ET.SubElement(root, "entry")
        _text(item, "title", entry.title)
        _text(item, "id", f"urn:uuid:{entry.uuid[:8]}-{entry.uuid[8:12]}-{entry.uuid[12:16]}-{entry.uuid[16:20]}-{entry.uuid[20:]}")
        ET.SubElement(item, "link", {"href": site + entry.path, "rel": "alternate"})
        ET.SubElement(item, "link", {"href": entry.link, "rel": "via"})
        _text(item, "updated", entry.published.isoformat())
        _text(item, "published", entry.published.isoformat())
        author = ET.SubElement(item, "author")
        _text(author, "name", entry.source)
        _text(item, "summary", entry.summary)
        for tag in entry.tags:
            ET.SubElement(item, "category", {"term": _clean(tag)})
    return _serialize(root)


def json_feed(site: str, base: str, title: str, entries: Sequence[Entry]) -> str:
    feed = {
        "version": "https://jsonfeed.org/version/1.1",
        "title": title,
        "home_page_url": site + base,
        "feed_url": f"{site}{base}feed.json",
        "items": [
            {
                "id": entry.uuid, "url": site + entry.path, "external_url": entry.link, "title": entry.title,
                "summary": entry.summary, "date_published": entry.published.isoformat(), "tags": list(entry.tags),
                "authors": [{"name": entry.source}], **({"image": entry.image} if entry.image else {}),
            }
            for entry in entries
        ],
    }  # fmt: skip
    return json.dumps(feed, ensure_ascii=False, indent=1) + "\n"


def sitemap(site: str, articles: Sequence[str], files: Sequence[str]) -> str:
    root = ET.Element("urlset", {"xmlns": "http://www.sitemaps.org/schemas/sitemap/0.9"})
    pages = [f.removesuffix("index.html") for f in files if f.endswith("index.html")]
    for path in dict.fromkeys([*pages, *articles]):
        url = ET.SubElement(root, "url")
        _text(url, "loc", site + path)
    return _serialize(root)
