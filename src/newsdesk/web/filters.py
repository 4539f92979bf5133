"""List and search filters as URL parameters, so that a filtered page can be shared:
``?source=&lang=&ticker=&tag=&since=&until=&important=`` on the home, tag, source,
language and search pages (dates: ``2025-02-05``, a whole day in the site's zone, or ISO
times; ``important=1``: items their source marked important, ``2``: its top ones)."""

from __future__ import annotations

import dataclasses
from datetime import datetime, tzinfo
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import Depends, HTTPException, Query, Request

from newsdesk.enrich.sections import SECTIONS
from newsdesk.models import LANGUAGE_TAG, ArticleFilter
from newsdesk.sources.dates import day_or_time
from newsdesk.web.dates import When, aware

__all__ = ["FIELDS", "ApiFilter", "PageFilters", "api_filter", "from_request", "only"]

_SECTION = "^(" + "|".join(SECTIONS) + ")$"
FIELDS = ("source", "lang", "ticker", "tag", "since", "until", "important", "section")


@dataclasses.dataclass(frozen=True, slots=True)
class PageFilters:
    """The filters a page was asked for: the values as given (for the form and links)
    and the query string that carries them on (``?…``, or empty)."""

    values: dict[str, str]
    where: ArticleFilter

    @property
    def query(self) -> str:
        return "?" + urlencode(self.values) if self.values else ""

    def applied_to(self, base: ArticleFilter) -> ArticleFilter:
        """``base`` (the page's own: a tag, a source) narrowed by these filters."""
        chosen = {
            f.name: getattr(self.where, f.name) for f in dataclasses.fields(self.where) if getattr(self.where, f.name)
        }
        return dataclasses.replace(base, **chosen)


def api_filter(
    source: str | None = None,
    lang: str | None = None,
    since: When = None,
    until: When = None,
    ticker: str | None = None,
    tag: str | None = None,
    important: Annotated[
        int, Query(ge=0, le=2, description="1: items their source marked important; 2: its top ones")
    ] = 0,
    section: Annotated[str | None, Query(pattern=_SECTION, description="one of the sections (macro, fx, …)")] = None,
) -> ArticleFilter:
    """The list filters of the JSON API's endpoints, as query parameters."""
    return ArticleFilter(
        source=source,
        lang=lang,
        since=aware(since),
        until=aware(until),
        ticker=ticker,
        tag=tag,
        importance=important,
        section=section,
    )


ApiFilter = Annotated[ArticleFilter, Depends(api_filter)]


def only(field: str, value: str) -> ArticleFilter:
    """The filter of one list page: ``field`` (tag, source, language) equal to ``value``."""
    where: dict[str, Any] = {field: value}
    return ArticleFilter(**where)


def from_request(request: Request, tz: tzinfo) -> PageFilters:
    """The filters in ``request``'s query string; HTTPException 400 naming a bad one."""
    values = {name: value.strip()[:200] for name in FIELDS if (value := request.query_params.get(name, "")).strip()}
    if "lang" in values and not LANGUAGE_TAG.fullmatch(values["lang"]):
        raise HTTPException(400, f"lang: {values['lang']!r} is not a language tag (zh, zh-CN, en)")
    if values.get("section", "other") not in SECTIONS:
        raise HTTPException(400, f"section: {values['section'][:40]!r} is not one of {', '.join(SECTIONS)}")
    if values.get("important", "1") not in ("0", "1", "2"):
        raise HTTPException(400, f"important: {values['important'][:20]!r} is not 1 (important) or 2 (top)")
    where = ArticleFilter(
        source=values.get("source"),
        lang=values.get("lang"),
        ticker=values.get("ticker"),
        tag=values.get("tag"),
        since=_date(values.get("since"), tz, end=False, name="since"),
        until=_date(values.get("until"), tz, end=True, name="until"),
        importance=int(values.get("important", "0")),
        section=values.get("section"),
    )
    return PageFilters(values, where)


def _date(value: str | None, tz: tzinfo, *, end: bool, name: str) -> datetime | None:
    if not value:
        return None
    try:
        return day_or_time(value, tz, end=end)
    except ValueError as exc:
        raise HTTPException(400, f"{name}: {exc}") from None
