"""OPML subscription lists, read and written: feeds (``xmlUrl``) with their titles,
sites and categories (an outline holding feeds is a folder). Reading is bounded before
the work — :data:`MAX_BYTES` of text, :data:`MAX_FEEDS` feeds — and never resolves
entities or fetches anything; what Miniflux, FreshRSS and newsdesk export reads whole.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from xml.etree import ElementTree as ET

from lxml import etree

from newsdesk.errors import ParseError
from newsdesk.plaintext import NOT_XML

__all__ = ["MAX_BYTES", "MAX_FEEDS", "Outline", "parse_opml", "write_opml"]

MAX_BYTES = 5_000_000
MAX_FEEDS = 5_000
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False, remove_comments=True)
_DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>\n'


@dataclass(frozen=True, slots=True)
class Outline:
    """A feed of a list: its URL, title, site and category (None: in no folder)."""

    url: str
    title: str
    site: str | None = None
    category: str | None = None


def parse_opml(data: str | bytes, where: str) -> list[Outline]:
    """The feeds of an OPML document, in order; ParseError naming ``where`` when it is
    not OPML, too large, or lists no feed."""
    if len(data) > MAX_BYTES:
        raise ParseError(f"an OPML file is at most {MAX_BYTES:,} bytes", where=where)
    raw = data.encode("utf-8") if isinstance(data, str) else data
    try:
        root = etree.fromstring(raw.lstrip(), _PARSER)
    except (etree.XMLSyntaxError, ValueError) as exc:
        raise ParseError(f"not OPML: {str(exc)[:200]}", where=where) from None
    if root is None or root.tag != "opml" or root.find("body") is None:
        raise ParseError("not OPML: no <opml> with a <body>", where=where)
    found: list[Outline] = []
    for node in root.find("body").iter("outline"):
        url = (node.get("xmlUrl") or node.get("xmlurl") or "").strip()
        if not url:
            continue
        if len(found) == MAX_FEEDS:
            raise ParseError(f"an OPML file lists at most {MAX_FEEDS:,} feeds", where=where)
        title = _clean(node.get("title") or node.get("text") or "")
        parent = node.getparent()
        folder = _clean(parent.get("title") or parent.get("text") or "") if parent.tag == "outline" else ""
        site = (node.get("htmlUrl") or "").strip()
        found.append(Outline(url, title, site or None, folder or _clean(node.get("category") or "").strip("/") or None))
    if not found:
        raise ParseError("the OPML lists no feed (no outline with an xmlUrl)", where=where)
    return found


def write_opml(title: str, outlines: Sequence[Outline]) -> str:
    """An OPML 2.0 document of ``outlines``: those with a category in a folder of its
    name (folders in the order first met), the others at the top."""
    root = ET.Element("opml", {"version": "2.0"})
    ET.SubElement(ET.SubElement(root, "head"), "title").text = NOT_XML.sub("", title)
    body = ET.SubElement(root, "body")
    folders: dict[str, ET.Element] = {}
    for outline in outlines:
        parent = body
        if outline.category:
            name = NOT_XML.sub("", outline.category)
            if name not in folders:
                folders[name] = ET.SubElement(body, "outline", {"text": name, "title": name})
            parent = folders[name]
        text = NOT_XML.sub("", outline.title)
        attributes = {"type": "rss", "text": text, "title": text, "xmlUrl": outline.url}
        if outline.site:
            attributes["htmlUrl"] = outline.site
        ET.SubElement(parent, "outline", attributes)
    return _DECLARATION + ET.tostring(root, encoding="unicode") + "\n"


def _clean(text: str) -> str:
    return " ".join(NOT_XML.sub("", text).split())[:200]
