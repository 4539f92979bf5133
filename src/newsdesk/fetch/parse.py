"""Items out of a fetched list document: RSS/Atom, JSON or HTML, as a source says.

Each item becomes a plain dict of the fields the seed system kept (``id``,
``title``, ``link``, ``published``, ``image``, ``author``, ``summary``) with the
values as found; validation and cleaning happen later, in the import pipeline.
A document that cannot be read raises ParseError naming the source and URL.
"""

from __future__ import annotations

import json
import re
from typing import Any
from urllib.parse import urljoin

import feedparser
import jmespath
import jmespath.exceptions
from selectolax.lexbor import LexborHTMLParser, LexborNode

from newsdesk import markup
from newsdesk.errors import ParseError
from newsdesk.fetch.feeds import parse_feed
from newsdesk.sources.catalog import Source

__all__ = ["LIST_BOUNDS", "detail_html", "embedded_json", "items", "link_of", "parse_html"]
# Lists and pages in lexbor: its cost grows with depth × elements (see newsdesk.markup).
LIST_BOUNDS = markup.Bounds(depth=512, elements=200_000)

_TEMPLATE = re.compile(r"\{(\w+)\}")
_WRAPPER = re.compile(r"\s*(?:var\s+[\w$]+\s*=|[\w$.]+\s*\()\s*(?=[\[{])")


def items(source: Source, text: str, url: str) -> list[dict[str, Any]]:
    """The items of ``text`` (fetched from ``url``), filtered, at most ``source.max_items``."""
    where = f"{source.name} ({url})"
    if source.kind == "rss":
        found = _rss(text, where)
    elif source.kind == "json":
        found = _json(source, text, where)
    else:
        found = _html(source, text, url, where)
    if source.kind != "json" and source.filters:  # JSON filters see the raw item; these see its fields
        filters = source.compiled_filters()
        found = [item for item in found if _kept(item, filters)]
    for item in found:
        if source.link and not item.get("link"):
            item["link"] = link_of(source.link, item)
        if item.get("link"):
            item["link"] = urljoin(url, str(item["link"]).strip())
        if item.get("image"):
            item["image"] = urljoin(url, str(item["image"]).strip())
    return found[: source.max_items]


def _kept(item: dict[str, Any], filters: list[Any]) -> bool:
    try:
        return all(f.search(item) for f in filters)
    except jmespath.exceptions.JMESPathError:  # a field the filter needs is missing or of another type
        return False


def link_of(template: str, item: dict[str, Any]) -> str:
    """``https://site/news/{id}`` with the item's fields filled in."""
    return _TEMPLATE.sub(lambda m: str(item.get(m[1]) if item.get(m[1]) is not None else ""), template)


def _rss(text: str, where: str) -> list[dict[str, Any]]:
    fast = parse_feed(text)
    if fast is not None:
        return fast
    feed = feedparser.parse(text)
    if feed.bozo and not feed.entries:
        raise ParseError(f"not an RSS/Atom feed: {feed.get('bozo_exception')}", where=where)
    found = []
    for entry in feed.entries:
        content = entry.get("content") or []
        body = content[0].get("value") if content else None
        media = entry.get("media_content") or entry.get("media_thumbnail") or []
        enclosures = [e for e in entry.get("enclosures", []) if str(e.get("type", "")).startswith("image/")]
        image = (media[0].get("url") if media else None) or (enclosures[0].get("href") if enclosures else None)
        found.append(
            {
                "id": entry.get("id"),
                "title": entry.get("title"),
                "link": entry.get("link"),
                "published": entry.get("published") or entry.get("updated"),
                "author": entry.get("author"),
                "summary": body or entry.get("summary"),
                "image": image,
            }
        )
    return found


def parse_html(text: str, where: str) -> LexborHTMLParser:
    """``text`` parsed, once it is known to be within :data:`LIST_BOUNDS` (ParseError if not)."""
    why = markup.check(text, LIST_BOUNDS)
    if why:
        raise ParseError(f"page {why}", where=where)
    return LexborHTMLParser(text)


def embedded_json(text: str, selector: str, where: str) -> str:
    """The text of the ``<script>`` at ``selector`` (Next.js ``__NEXT_DATA__``, JSON-LD...)."""
    node = parse_html(text, where).css_first(selector)
    if node is None:
        raise ParseError(f"no {selector} in the page", where=where)
    return node.text(deep=True)


def _loaded(text: str) -> Any:
    """JSON, or JSON a script wraps: ``var newest = [...];`` (jin10) or JSONP ``cb({...})``."""
    try:
        return json.loads(text)
    except ValueError:
        wrapper = _WRAPPER.match(text)
        if wrapper is None:
            raise
        inner = text[wrapper.end() :].rstrip().removesuffix(";").rstrip()
        return json.loads(inner.removesuffix(")") if wrapper[0].rstrip().endswith("(") else inner)


def _json(source: Source, text: str, where: str) -> list[dict[str, Any]]:
    try:
        document = _loaded(embedded_json(text, source.json_in, where) if source.json_in else text)
    except ValueError as exc:
        raise ParseError(f"malformed JSON: {exc}", where=where) from None
    try:
        listed = jmespath.search(source.items, document)
    except jmespath.exceptions.JMESPathError as exc:
        raise ParseError(f"items {source.items!r}: {exc}", where=where) from None
    if listed is None:
        raise ParseError(f"no items at {source.items!r}", where=where)
    if not isinstance(listed, list):
        raise ParseError(f"items at {source.items!r} are a {type(listed).__name__}, not a list", where=where)
    filters = source.compiled_filters()
    found = []
    for raw in listed:
        if not isinstance(raw, dict | list):  # objects, or rows of arrays (DataTables: fields "[0]", "[1]")
            continue
        try:
            if not all(f.search(raw) for f in filters):
                continue
            item = {name: jmespath.search(path, raw) for name, path in source.fields.items()}
        except jmespath.exceptions.JMESPathError as exc:
            raise ParseError(f"field expression failed: {exc}", where=where) from None
        found.append(item)
    return found


def _html(source: Source, text: str, url: str, where: str) -> list[dict[str, Any]]:
    tree = parse_html(text, where)
    nodes = tree.css(source.items)
    found = []
    for node in nodes:
        found.append({name: _select(node, selector) for name, selector in source.fields.items()})
    if not nodes and not tree.css_first("body *"):
        raise ParseError("the page is empty or not HTML", where=where)
    return found


def _select(node: LexborNode, selector: str) -> str | None:
    """``css`` (text), ``css@attr`` (an attribute), ``@attr`` (of the item itself), ``css@html`` (outer HTML)."""
    path, _, attribute = selector.partition("@")
    target = node.css_first(path) if path.strip() else node
    if target is None:
        return None
    if attribute == "html":
        return target.html
    if attribute:
        return target.attributes.get(attribute)
    return " ".join(target.text(separator=" ").split()) or None


def detail_html(text: str, content: tuple[str, ...], remove: tuple[str, ...]) -> str | None:
    """Outer HTML of the first content selector that matches, with ``remove`` taken out
    (``body`` yields the inner HTML of the document's body: a fragment as it is)."""
    tree = LexborHTMLParser(text)
    for selector in content:
        node = tree.css_first(selector)
        if node is None:
            continue
        for unwanted in remove:
            for child in node.css(unwanted):
                if child.mem_id != node.mem_id:  # lexbor matches the node itself too ("div" in a div)
                    child.decompose()
        if selector == "body":
            return "".join(child.html or "" for child in node.iter(include_text=True))
        return node.html
    return None
