"""The served lists' addresses: a page's number, the numbers a pager links, the route
of a tag's, source's or language's list, and the redirects from where numbered pages
were (``page/N/``)."""

from __future__ import annotations

from datetime import datetime, timedelta, tzinfo
from typing import Any
from urllib.parse import quote

from fastapi import HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from newsdesk.models import ArticleFilter
from newsdesk.publish.lists import page_address
from newsdesk.web import filters

__all__ = ["archive_route", "list_moved", "list_route", "month_span", "numbered", "page_moved", "page_number"]


def page_number(number: int | None) -> int:
    """0 for a list's front page (no number in the URL); archive pages count from 1."""
    if number is not None and number < 1:
        raise HTTPException(404)
    return number or 0


def list_route(prefix: str, kind: str, field: str, named: Any, listing: Any, label: Any) -> Any:
    """The route of the lists under ``prefix`` (``tags``, ``sources``, ``lang``);
    ``named(kind, slug)`` finds the list's name."""

    async def route(request: Request, slug: str, number: int | None = None) -> HTMLResponse:
        name = await named(kind, slug)
        if name is None:
            raise HTTPException(404)
        where = filters.only(field, name)
        page: HTMLResponse = await listing(f"{prefix}/{slug}/", label(kind, name), where, page_number(number), request)
        return page

    return route


def month_span(year: str, month: str, tz: tzinfo) -> tuple[datetime, datetime]:
    """The first moment of a month of the site's zone and of the next (404 for no month),
    as the static build's ``archive/YYYY/MM/`` counts them."""
    if not (len(year) == 4 and year.isdigit() and len(month) == 2 and month.isdigit() and 1 <= int(month) <= 12):
        raise HTTPException(404)
    start = datetime(int(year), int(month), 1, tzinfo=tz)
    return start, (start + timedelta(days=32)).replace(day=1)


def archive_route(listing: Any, tz: tzinfo) -> Any:
    """The route of a month's list, ``archive/YYYY/MM/`` as the static site has it."""

    async def route(request: Request, year: str, month: str, number: int | None = None) -> HTMLResponse:
        since, until = month_span(year, month, tz)
        where = ArticleFilter(since=since, until=until - timedelta(microseconds=1))
        page: HTMLResponse = await listing(
            f"archive/{year}/{month}/", f"{year}-{month}", where, page_number(number), request
        )
        return page

    return route


def list_moved(prefix: str) -> Any:
    """The redirect of the lists under ``prefix`` from their old numbered pages."""

    async def moved(request: Request, slug: str, number: int) -> RedirectResponse:
        return page_moved(f"{prefix}/{quote(slug, safe='')}/", number, request)

    return moved


def page_moved(base: str, number: int, request: Request) -> RedirectResponse:
    """Where numbered list pages were before they became files (``page/N/``): old links
    keep working, with their filters."""
    query = f"?{request.url.query}" if request.url.query else ""
    return RedirectResponse(f"/{page_address(base, page_number(number))}{query}", status_code=301)


def numbered(number: int, last: int) -> list[int]:
    """Page numbers to link around ``number`` of ``last``: 0 marks a gap."""
    shown = sorted({1, last, *range(max(1, number - 2), min(last, number + 2) + 1)})
    out: list[int] = []
    for n in shown:
        if out and n - out[-1] > 1:
            out.append(0)
        out.append(n)
    return out
