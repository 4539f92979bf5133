"""Checks written from the feed specifications — RSS 2.0 (the RSS Advisory Board's
text), Atom (RFC 4287: its RELAX NG schema through xmllint, and the rules the schema
cannot say) and JSON Feed 1.1 — plus newsdesk's own: URLs in URL places are absolute
ASCII (percent-encoded), every item has a date and an author, no ``localhost:1313``.
Each check returns the problems found, as "where: what"."""

from __future__ import annotations

import json
import re
import subprocess
from datetime import datetime
from email.utils import parsedate_to_datetime
from pathlib import Path
from urllib.parse import urlsplit

from lxml import etree

SPECS = Path(__file__).parents[1] / "fixtures" / "specs"
ATOM = "{http://www.w3.org/2005/Atom}"
DC = "{http://purl.org/dc/elements/1.1/}"
RSS_CHANNEL = {
    "title", "link", "description", "language", "copyright", "managingEditor", "webMaster", "pubDate",
    "lastBuildDate", "category", "generator", "docs", "cloud", "ttl", "image", "rating", "textInput", "skipHours",
    "skipDays", "item",
}  # fmt: skip
RSS_ITEM = {"title", "link", "description", "author", "category", "comments", "enclosure", "guid", "pubDate", "source"}
RFC3339 = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})")


def url_problem(value: str | None) -> str | None:
    """Why ``value`` is not an absolute http(s) URL as RFC 3986 writes one, or None."""
    if not value:
        return "empty"
    if any(ord(ch) > 126 or ch.isspace() for ch in value):
        return f"not percent-encoded: {value[:80]!r}"
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return f"not absolute: {value[:80]!r}"
    if "localhost:1313" in value:
        return f"the default base URL: {value[:80]!r}"
    return None


def check_rss(text: str, where: str) -> list[str]:
    problems: list[str] = []
    root = etree.fromstring(text.encode("utf-8"))
    if root.tag != "rss" or root.get("version") != "2.0":
        return [f'{where}: not <rss version="2.0">']
    channels = root.findall("channel")
    if len(channels) != 1:
        return [f"{where}: {len(channels)} channels"]
    channel = channels[0]
    for name in ("title", "link", "description"):
        if channel.find(name) is None:
            problems.append(f"{where}: channel without <{name}>")
    problems += _urls(where, [channel.findtext("link")])
    for child in channel:
        if isinstance(child.tag, str) and not child.tag.startswith("{") and child.tag not in RSS_CHANNEL:
            problems.append(f"{where}: <{child.tag}> is not a channel element of RSS 2.0")
    for name in ("pubDate", "lastBuildDate"):
        problems += _date(where, channel.findtext(name)) if channel.find(name) is not None else []
    for link in channel.findall("{http://www.w3.org/2005/Atom}link"):
        problems += _urls(where, [link.get("href")])
    for number, item in enumerate(channel.findall("item")):
        at = f"{where} item {number}"
        if item.find("title") is None and item.find("description") is None:
            problems.append(f"{at}: neither title nor description")
        for child in item:
            if isinstance(child.tag, str) and not child.tag.startswith("{") and child.tag not in RSS_ITEM:
                problems.append(f"{at}: <{child.tag}> is not an item element of RSS 2.0")
        problems += _urls(at, [item.findtext("link"), item.findtext("comments")])
        problems += _urls(at, [e.get("url") for e in item.findall("enclosure") + item.findall("source")])
        guid = item.find("guid")
        if guid is not None and guid.get("isPermaLink", "true") not in ("true", "false"):
            problems.append(f"{at}: isPermaLink is true or false")
        if guid is not None and guid.get("isPermaLink", "true") == "true":
            problems += _urls(at, [guid.text])
        if item.find("author") is not None and "@" not in (item.findtext("author") or ""):
            problems.append(f"{at}: <author> is an email address in RSS 2.0")
        if item.find("pubDate") is None:
            problems.append(f"{at}: no pubDate")
        else:
            problems += _date(at, item.findtext("pubDate"))
        if not (item.findtext(f"{DC}creator") or "").strip():
            problems.append(f"{at}: no author (dc:creator)")
    return problems


def check_atom(path: Path, where: str) -> list[str]:
    done = subprocess.run(
        ["xmllint", "--noout", "--relaxng", str(SPECS / "atom.rng"), str(path)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    problems = [] if done.returncode == 0 else [f"{where}: {line}" for line in done.stderr.splitlines()[:5]]
    root = etree.parse(str(path)).getroot()
    feed_author = root.find(f"{ATOM}author") is not None
    for link in root.iter(f"{ATOM}link"):
        problems += _urls(where, [link.get("href")])
    for number, entry in enumerate(root.findall(f"{ATOM}entry")):
        at = f"{where} entry {number}"
        has_author = entry.find(f"{ATOM}author") is not None or entry.find(f"{ATOM}source/{ATOM}author") is not None
        if not (feed_author or has_author):
            problems.append(f"{at}: no atom:author, here or in the feed (RFC 4287 4.1.2)")
        alternate = [x for x in entry.findall(f"{ATOM}link") if x.get("rel", "alternate") == "alternate"]
        if entry.find(f"{ATOM}content") is None and not alternate:
            problems.append(f"{at}: neither content nor an alternate link (RFC 4287 4.1.2)")
        if entry.find(f"{ATOM}content") is not None and entry.find(f"{ATOM}summary") is None:
            content = entry.find(f"{ATOM}content")
            if content.get("src") or content.get("type") not in (None, "text", "html", "xhtml"):
                problems.append(f"{at}: content not inline text needs a summary (RFC 4287 4.1.2)")
    return problems


def check_json_feed(text: str, where: str) -> list[str]:
    feed = json.loads(text)
    problems: list[str] = []
    if feed.get("version") != "https://jsonfeed.org/version/1.1":
        problems.append(f"{where}: version is not https://jsonfeed.org/version/1.1")
    if not isinstance(feed.get("title"), str) or not feed["title"]:
        problems.append(f"{where}: no title")
    problems += _urls(where, [feed[k] for k in ("home_page_url", "feed_url") if k in feed])
    if not isinstance(feed.get("items"), list):
        return [*problems, f"{where}: items is not an array"]
    for number, item in enumerate(feed["items"]):
        at = f"{where} item {number}"
        if not isinstance(item.get("id"), str) or not item["id"]:
            problems.append(f"{at}: id is a non-empty string")
        if not any(isinstance(item.get(k), str) for k in ("content_html", "content_text")):
            problems.append(f"{at}: neither content_html nor content_text")
        problems += _urls(at, [item[k] for k in ("url", "external_url", "image", "banner_image") if k in item])
        for key in ("date_published", "date_modified"):
            if key in item and not RFC3339.fullmatch(str(item[key])):
                problems.append(f"{at}: {key} is not RFC 3339: {item[key]!r}")
        if "date_published" not in item:
            problems.append(f"{at}: no date_published")
        authors = item.get("authors")
        if (
            not isinstance(authors, list)
            or not authors
            or not all(
                isinstance(a, dict) and any(isinstance(a.get(k), str) and a[k] for k in ("name", "url", "avatar"))
                for a in authors
            )
        ):
            problems.append(f"{at}: no author with a name")
        if "tags" in item and not all(isinstance(t, str) for t in item["tags"]):
            problems.append(f"{at}: tags are strings")
    return problems


def _urls(where: str, values: list[str | None]) -> list[str]:
    return [f"{where}: {why}" for value in values if value is not None and (why := url_problem(value))]


def _date(where: str, value: str | None) -> list[str]:
    try:
        moment = parsedate_to_datetime(value or "")
    except (TypeError, ValueError):
        return [f"{where}: not an RFC 822 date: {value!r}"]
    return [] if isinstance(moment, datetime) and re.search(r"\b\d{4}\b", value or "") else [f"{where}: {value!r}"]
