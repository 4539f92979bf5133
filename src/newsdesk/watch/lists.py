"""A watchlist from a mapping (a ``[watch.NAME]`` table of the settings file, the
CLI's options, an API body), checked field by field; ConfigError names the field."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from newsdesk.enrich.sections import SECTIONS
from newsdesk.errors import ConfigError, QueryError
from newsdesk.models import LANGUAGE_TAG, Watchlist
from newsdesk.search import parse
from newsdesk.watch.schedule import parse_clock

__all__ = ["parse_watchlist"]

_NAME = re.compile(r"[a-z0-9][a-z0-9_.-]{0,79}")
_URL = re.compile(r"[a-z][a-z0-9+.-]*://\S+|\$\{[A-Z_][A-Z0-9_]*\}")
_FIELDS = {
    "tickers",
    "query",
    "sources",
    "languages",
    "kinds",
    "notify",
    "mode",
    "every",
    "at",
    "quiet",
    "zone",
    "enabled",
    "public",
    "per_hour",
    "outlets",
    "minutes",
    "important_only",
    "brief",
    "sections",
    "calendar",
    "stars",
}


def parse_watchlist(name: str, data: Mapping[str, Any], *, origin: str = "database") -> Watchlist:
    """The watchlist ``name`` defined by ``data``."""
    where = f"watchlist {name}" if origin == "database" else f"{origin}: [watch.{name}]"
    if not _NAME.fullmatch(name):
        raise ConfigError(f"{name!r} is not a watchlist name (lower case, digits, _ . -)", where=where)
    unknown = set(data) - _FIELDS
    if unknown:
        raise ConfigError(f"unknown field {sorted(unknown)[0]!r}", where=where)
    tickers = tuple(t.strip().upper() for t in _strings(data, "tickers", where))
    query = data.get("query") or None
    if query is not None:
        if not isinstance(query, str):
            raise ConfigError("field 'query': a string in the search language", where=where)
        try:
            parse(query)
        except QueryError as exc:
            raise ConfigError(f"field 'query': {exc.message}", where=where) from None
    sections = tuple(dict.fromkeys(_strings(data, "sections", where)))
    if not set(sections) <= set(SECTIONS):
        raise ConfigError(f"field 'sections': each one of {', '.join(SECTIONS)}", where=where)
    calendar = tuple(dict.fromkeys(c.strip().upper() for c in _strings(data, "calendar", where)))
    stars = data.get("stars", 0)
    if not all(re.fullmatch(r"[A-Z]{2}", c) for c in calendar) or not _count(stars, 0, 5):
        raise ConfigError("fields 'calendar' (country codes: US, CN, EU) and 'stars' (0 to 5)", where=where)
    if not tickers and not query and not sections and not calendar and not stars:
        raise ConfigError("a watchlist needs tickers, a query, sections or calendar countries", where=where)
    languages = _strings(data, "languages", where)
    for tag in languages:
        if not LANGUAGE_TAG.fullmatch(tag):
            raise ConfigError(f"field 'languages': {tag!r} is not a language tag", where=where)
    kinds = data.get("kinds") or []
    if not isinstance(kinds, list) or not all(isinstance(k, int) and not isinstance(k, bool) for k in kinds):
        raise ConfigError("field 'kinds': a list of item kinds (1 article, 2 flash)", where=where)
    notify = _strings(data, "notify", where)
    for url in notify:
        if not _URL.fullmatch(url) or ("${" in url and not url.startswith("${")):
            raise ConfigError(
                "field 'notify': an Apprise URL (json://host/path, mailto://…) or a whole ${NEWSDESK_NOTIFY_NAME}",
                where=where,
            )
    mode, every, at, quiet = data.get("mode", "instant"), data.get("every", 60), data.get("at"), data.get("quiet")
    if mode not in ("instant", "digest", "breaking"):
        raise ConfigError("field 'mode': instant, digest or breaking", where=where)
    if not isinstance(every, int) or isinstance(every, bool) or not 1 <= every <= 1440:
        raise ConfigError("field 'every': minutes between digests, 1 to 1440", where=where)
    try:
        if at is not None:
            parse_clock(str(at))
        if quiet is not None:
            start, dash, end = str(quiet).partition("-")
            parse_clock(start), parse_clock(end)
            if not dash:
                raise ValueError(quiet)
    except ValueError:
        raise ConfigError("fields 'at' (HH:MM) and 'quiet' (HH:MM-HH:MM): clock times", where=where) from None
    zone = data.get("zone", "Asia/Shanghai")
    try:
        ZoneInfo(str(zone))
    except (ZoneInfoNotFoundError, ValueError):
        raise ConfigError(f"field 'zone': unknown time zone {zone!r}", where=where) from None
    enabled, public = data.get("enabled", True), data.get("public", False)
    if not isinstance(enabled, bool) or not isinstance(public, bool):
        raise ConfigError("fields 'enabled' and 'public': true or false", where=where)
    per_hour = data.get("per_hour", 0)
    if not isinstance(per_hour, int) or isinstance(per_hour, bool) or not 0 <= per_hour <= 3600:
        raise ConfigError("field 'per_hour': sends an hour at the most, 0 (no limit) to 3600", where=where)
    outlets, minutes, important = data.get("outlets", 3), data.get("minutes", 30), data.get("important_only", False)
    if not _count(outlets, 2, 100) or not _count(minutes, 1, 1440):
        raise ConfigError("fields 'outlets' (2 to 100) and 'minutes' (1 to 1440): whole numbers", where=where)
    if not isinstance(important, bool):
        raise ConfigError("field 'important_only': true or false", where=where)
    brief = tuple(dict.fromkeys(_strings(data, "brief", where)))
    if not set(brief) <= {"morning", "close"}:
        raise ConfigError("field 'brief': morning, close or both", where=where)
    return Watchlist(
        name,
        tickers,
        query,
        tuple(_strings(data, "sources", where)),
        tuple(languages),
        tuple(kinds),
        tuple(notify),
        mode,
        every,
        str(at) if at else None,
        str(quiet) if quiet else None,
        str(zone),
        enabled,
        public,
        origin,
        per_hour,
        outlets,
        minutes,
        important,
        brief,
        sections,
        calendar,
        stars,
    )


def _count(value: Any, low: int, high: int) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and low <= value <= high


def _strings(data: Mapping[str, Any], key: str, where: str) -> list[str]:
    value = data.get(key) or []
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise ConfigError(f"field {key!r}: a list of strings", where=where)
    return [v.strip() for v in value]
