"""The served lists' addresses: a page's number, the numbers a pager links, the route
of a tag's, source's or language's list, and the redirects from where numbered pages
were (``page/N/``)."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from fastapi import HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from newsdesk.publish.lists import page_address
from newsdesk.web import filters

__all__ = ["list_moved", "list_route", "numbered", "page_moved", "page_number"]


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
