"""RSS 2.0, Atom 1.0, JSON Feed 1.1 and sitemap.xml for the built site.

Every text and attribute value goes through XML escaping (ElementTree for the
items, :func:`_tag` for the few elements of a feed's head) or ``json``, so titles
and summaries from hostile sources cannot break out of their elements. Items
link to the article's page on the site; the original is in ``<source>`` (RSS),
``rel="via"`` (Atom) and ``external_url`` (JSON Feed).

One article appears in many feeds (the site's, its source's, each of its tags'),
so :class:`Items` serializes each article's item once per format and a feed is
its serialized head with the items spliced in before the closing tags.
"""

from __future__ import annotations

import html
import json
import xml.etree.ElementTree as ET
from collections.abc import Callable, Mapping, Sequence
from email.utils import format_datetime
from urllib.parse import quote
from xml.sax.saxutils import escape, quoteattr

from newsdesk.plaintext import NOT_XML, to_text
from newsdesk.publish.entry import Entry
from newsdesk.sources.opml import Outline, write_opml

__all__ = ["Items", "atom", "json_feed", "link_url", "opml", "rss", "sitemaps"]

_ATOM = "http://www.w3.org/2005/Atom"
_DC = "http://purl.org/dc/elements/1.1/"
ET.register_namespace("dc", _DC)
_SITEMAP = "http://www.sitemaps.org/schemas/sitemap/0.9"
_XML_DECLARATION = '<?xml version="1.0" encoding="utf-8"?>\n'
SITEMAP_URLS = 50_000  # the protocol's limit per file
ITEMS_KEPT = 20_000  # serialized feed items an Items keeps


def _text(parent: ET.Element, tag: str, text: str, **attributes: str) -> ET.Element:
    element = ET.SubElement(parent, tag, attributes)
    element.text = NOT_XML.sub("", text)
    return element


def _tag(tag: str, text: str | None = None, **attributes: str) -> str:
    """One element as escaped XML: ``<tag a="…">text</tag>`` (``<tag a="…"/>`` without text)."""
    attrs = "".join(f" {name}={quoteattr(NOT_XML.sub('', value))}" for name, value in attributes.items())
    if text is None:
        return f"<{tag}{attrs} />"
    return f"<{tag}{attrs}>{escape(NOT_XML.sub('', text))}</{tag}>"


class Items:
    """Serialized feed items of articles, made once per article and format.

    With ``bodies`` (uuids → sanitized HTML, the store's), items carry the article's
    whole content (capped at ``cap`` characters of text, at a word boundary, when not
    0); ``author`` gives a source's display name (RSS ``dc:creator``, Atom and JSON Feed
    authors)."""

    def __init__(
        self,
        site: str,
        *,
        bodies: Callable[[Sequence[str]], Mapping[str, str]] | None = None,
        author: Callable[[str], str] | None = None,
        cap: int = 0,
    ) -> None:
        self.site = site
        self._cache: dict[tuple[str, str], str] = {}
        self._bodies: dict[str, str] | None = {} if bodies else None
        self._read, self._author, self.cap = bodies, author, cap

    def prime(self, entries: Sequence[Entry]) -> None:
        """Read the bodies of ``entries`` not read yet, in one go."""
        if self._bodies is None or self._read is None:
            return
        wanted = [e.uuid for e in entries if e.uuid not in self._bodies]
        if wanted:
            if len(self._bodies) >= ITEMS_KEPT:
                self._bodies.clear()
            self._bodies.update(dict.fromkeys(wanted, ""))
            self._bodies.update(self._read(wanted))

    def get(self, kind: str, entry: Entry) -> str:
        key = (kind, entry.uuid)
        if key not in self._cache:
            if len(self._cache) >= ITEMS_KEPT:  # a large build: start again rather than hold every item
                self._cache.clear()
            self._cache[key] = getattr(self, "_" + kind)(entry)
        return self._cache[key]

    def content(self, entry: Entry) -> str:
        """The article's content as HTML: its whole body (or the cap's worth of its text),
        else its summary."""
        body = (self._bodies or {}).get(entry.uuid, "")
        if body and self.cap:
            text = to_text(body)
            if len(text) > self.cap:
                cut = text[: self.cap].rsplit(None, 1)[0] if " " in text[: self.cap] else text[: self.cap]
                return f"<p>{html.escape(cut, quote=False)} …</p>"
        return body or f"<p>{html.escape(entry.summary or entry.title, quote=False)}</p>"

    def author(self, entry: Entry) -> str:
        return self._author(entry.source) if self._author else entry.source

    def _rss(self, entry: Entry) -> str:
        item = ET.Element("item")
        _text(item, "title", entry.title)
        _text(item, "link", self.site + entry.path)
        _text(item, "guid", entry.uuid, isPermaLink="false")
        _text(item, "pubDate", format_datetime(entry.published))  # an undated one's: when first seen
        _text(item, "description", self.content(entry))
        _text(item, f"{{{_DC}}}creator", self.author(entry))
        _text(item, "source", self.author(entry), url=link_url(entry.link))
        for tag in entry.tags:
            _text(item, "category", tag)
        return ET.tostring(item, encoding="unicode")

    def _atom(self, entry: Entry) -> str:
        item = ET.Element("entry")
        u = entry.uuid
        _text(item, "title", entry.title)
        _text(item, "id", f"urn:uuid:{u[:8]}-{u[8:12]}-{u[12:16]}-{u[16:20]}-{u[20:]}")
        ET.SubElement(item, "link", {"href": self.site + entry.path, "rel": "alternate"})
        ET.SubElement(item, "link", {"href": link_url(entry.link), "rel": "via"})
        _text(item, "updated", _updated(entry))
        if entry.dated:
            _text(item, "published", entry.published.isoformat())
        author = ET.SubElement(item, "author")
        _text(author, "name", self.author(entry))
        _text(item, "summary", entry.summary)
        _text(item, "content", self.content(entry), type="html")
        for tag in entry.tags:
            ET.SubElement(item, "category", {"term": NOT_XML.sub("", tag)})
        return ET.tostring(item, encoding="unicode")

    def _json(self, entry: Entry) -> str:
        item = {
            "id": entry.uuid,
            "url": self.site + entry.path,
            "external_url": link_url(entry.link),
            "title": entry.title,
            "summary": entry.summary,
            "content_html": self.content(entry),
            "tags": list(entry.tags),
            "date_published": entry.published.isoformat(),
            "authors": [{"name": self.author(entry)}],
            **({"image": link_url(entry.image)} if entry.image else {}),
        }
        return json.dumps(item, ensure_ascii=False)


def _updated(entry: Entry) -> str:
    """An entry's ``atom:updated``: its publication time, which sources give to the second
    (wires give many items the same one); when it has no fraction of a second, one made
    from the uuid, so that two entries of a feed rarely share the value (feed checkers
    warn of it: the second tells readers nothing more)."""
    moment = entry.published
    if moment.microsecond == 0:
        moment = moment.replace(microsecond=int(entry.uuid[:5], 16) % 1_000_000)
    return moment.isoformat()


def link_url(url: str) -> str:
    """``url`` as feeds must carry it: characters outside URLs (Chinese paths, spaces)
    percent-encoded, what is already encoded left as it is."""
    return quote(NOT_XML.sub("", url.strip()), safe=":/?#[]@!$&'()*+,;=%~")


def rss(items: Items, base: str, title: str, entries: Sequence[Entry]) -> str:
    site = items.site
    head = [
        _tag("title", title),
        _tag("link", site + link_url(base)),
        _tag("description", title),
        _tag("atom:link", href=f"{site}{link_url(base)}index.xml", rel="self", type="application/rss+xml"),
    ]
    if entries:
        head.append(_tag("lastBuildDate", format_datetime(entries[0].published)))
    items.prime(entries)
    body = "".join(items.get("rss", e) for e in entries)
    spaces = f'xmlns:atom="{_ATOM}" xmlns:dc="{_DC}"'
    return f'{_XML_DECLARATION}<rss version="2.0" {spaces}><channel>{"".join(head)}{body}</channel></rss>\n'


def atom(items: Items, base: str, title: str, entries: Sequence[Entry]) -> str:
    site = items.site
    updated = entries[0].published.isoformat() if entries else "1970-01-01T00:00:00+00:00"
    head = [
        _tag("title", title),
        _tag("id", site + link_url(base)),
        _tag("link", href=f"{site}{link_url(base)}atom.xml", rel="self"),
        _tag("link", href=site + link_url(base), rel="alternate"),
        _tag("updated", updated),
    ]
    items.prime(entries)
    body = "".join(items.get("atom", e) for e in entries)
    return f'{_XML_DECLARATION}<feed xmlns="{_ATOM}">{"".join(head)}{body}</feed>\n'


def json_feed(items: Items, base: str, title: str, entries: Sequence[Entry]) -> str:
    head = {
        "version": "https://jsonfeed.org/version/1.1",
        "title": title,
        "home_page_url": items.site + link_url(base),
        "feed_url": f"{items.site}{link_url(base)}feed.json",
    }
    items.prime(entries)
    body = ",\n".join(items.get("json", e) for e in entries)
    return json.dumps(head, ensure_ascii=False)[:-1] + ',\n"items": [\n' + body + "\n]}\n"


def urlset(site: str, paths: Sequence[str]) -> str:
    """A sitemap of pages (at most :data:`SITEMAP_URLS`; a build makes one per day of articles)."""
    urls = "".join(f"<url>{_tag('loc', site + path.removesuffix('index.html'))}</url>" for path in paths)
    return f'{_XML_DECLARATION}<urlset xmlns="{_SITEMAP}">{urls}</urlset>\n'


def sitemap_index(site: str, names: Sequence[str]) -> str:
    """``sitemap.xml``: the index of a site's sitemaps."""
    maps = "".join(f"<sitemap>{_tag('loc', site + name)}</sitemap>" for name in names)
    return f'{_XML_DECLARATION}<sitemapindex xmlns="{_SITEMAP}">{maps}</sitemapindex>\n'


def sitemaps(site: str, paths: Sequence[str]) -> dict[str, str]:
    """``{file: xml}``: ``sitemap.xml`` alone, or an index of ``sitemap-N.xml``
    files when there are more URLs than one sitemap may hold."""
    chunks = [paths[i : i + SITEMAP_URLS] for i in range(0, len(paths), SITEMAP_URLS)] or [[]]
    files = {}
    for number, chunk in enumerate(chunks, 1):
        urls = "".join(f"<url>{_tag('loc', site + path)}</url>" for path in chunk)
        files["sitemap.xml" if len(chunks) == 1 else f"sitemap-{number}.xml"] = (
            f'{_XML_DECLARATION}<urlset xmlns="{_SITEMAP}">{urls}</urlset>\n'
        )
    if len(chunks) > 1:
        maps = "".join(f"<sitemap>{_tag('loc', site + name)}</sitemap>" for name in files)
        files["sitemap.xml"] = f'{_XML_DECLARATION}<sitemapindex xmlns="{_SITEMAP}">{maps}</sitemapindex>\n'
    return files


def opml(site: str, title: str, groups: Sequence[tuple[str, Sequence[tuple[str, str]]]]) -> str:
    """An OPML 2.0 subscription list: ``groups`` of (category, [(name, path of a list)]),
    each list's RSS feed at ``site + path + "index.xml"`` and its page at ``site + path``."""
    outlines = [
        Outline(site + quote(path) + "index.xml", name, site + quote(path), category)
        for category, lists in groups
        for name, path in lists
    ]
    return write_opml(title, outlines)
