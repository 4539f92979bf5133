"""Briefs on the web (see :mod:`newsdesk.watch.briefs`), in the site's zone, with the
list filters: ``/briefs/morning/`` and ``/briefs/close/`` (the latest edition),
``/briefs/EDITION/YYYY-MM-DD/`` (one day's), their feeds (``/briefs/EDITION/index.xml``,
``atom.xml``, ``feed.json``: the last week's editions, one item each) and
``GET /api/briefs/EDITION`` (``?day=``, the list filters)."""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from datetime import UTC, date, datetime, timedelta
from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.responses import HTMLResponse, Response

from newsdesk.config import Settings
from newsdesk.models import ArticleFilter
from newsdesk.publish import feeds
from newsdesk.publish.briefs import brief_entry
from newsdesk.store import Store
from newsdesk.watch import briefs
from newsdesk.watch.briefs import EDITIONS, NAMES, Brief
from newsdesk.web import filters
from newsdesk.web.feeds import FORMATS, feed_response, site_url
from newsdesk.web.filters import ApiFilter
from newsdesk.web.problems import responses

__all__ = ["router"]

FEED_EDITIONS = 7  # editions in a brief's feed
_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
_OLDEST = date(2000, 1, 1)


def router(
    store: Store,
    settings: Settings,
    cached: Callable[[str, Any], Awaitable[Any]],
    render: Callable[..., str],
) -> APIRouter:
    """The routes; ``cached`` is the web app's page cache, ``render`` (template, values) its page maker."""
    routes = APIRouter()
    zone = settings.site_timezone

    async def brief(edition: str, day: str | None, where: ArticleFilter) -> Brief:
        if edition not in EDITIONS:
            raise HTTPException(404, f"no brief {edition[:20]!r}: morning or close")
        now = datetime.now(UTC)
        if day is None:
            when = briefs.latest(edition, now, zone, settings)
        else:
            when = briefs.period(edition, _day(day), zone, settings)
        if when.start > now:
            raise HTTPException(404, f"the {edition} brief of {when.day} has not begun")
        key = f"brief:{edition}:{when.day}:{where!r}:{int(now.timestamp() // 600) if when.end > now else ''}"
        return await cached(key, lambda: briefs.make(store, when, settings, where=where))  # type: ignore[no-any-return]

    async def page(request: Request, edition: str, day: str | None) -> HTMLResponse:
        chosen = filters.from_request(request, settings.tz)
        made = await brief(edition, day, chosen.where)
        html = render(
            "brief.html",
            title=f"{settings.site_title} · {made.period.title}",
            brief=made,
            filters=chosen,
            feed=f"briefs/{edition}/",
            other="close" if edition == "morning" else "morning",
            previous=(made.period.day - timedelta(days=1)).isoformat(),
        )
        return HTMLResponse(html)

    @routes.get("/briefs/{edition}/", response_class=HTMLResponse, include_in_schema=False)
    async def latest_page(request: Request, edition: str) -> HTMLResponse:
        return await page(request, edition, None)

    @routes.get("/briefs/{edition}/{day}/", response_class=HTMLResponse, include_in_schema=False)
    async def day_page(request: Request, edition: str, day: str) -> HTMLResponse:
        return await page(request, edition, day)

    @routes.get(
        "/api/briefs/{edition}",
        summary="A brief (morning or close): the period's top stories, with a headline and a sentence per language",
        responses=responses(400, 404),
    )
    async def api_brief(
        edition: str,
        where: ApiFilter,
        day: Annotated[str | None, Query(max_length=10, pattern=r"^\d{4}-\d{2}-\d{2}$")] = None,
    ) -> dict[str, object]:
        return (await brief(edition, day, where)).as_json()

    for file in FORMATS:

        async def brief_feed(request: Request, edition: str, file: str = file) -> Response:
            if edition not in EDITIONS:
                raise HTTPException(404)
            make, media = FORMATS[file]
            now = datetime.now(UTC)
            entries = []
            for when in briefs.recent(edition, now, zone, settings, FEED_EDITIONS):
                made = await brief(edition, when.day.isoformat(), ArticleFilter())
                if made.entries:
                    entries.append(brief_entry(made))
            title = f"{settings.site_title} · {NAMES[edition]}"
            text = make(feeds.Items(site_url(request, settings)), f"briefs/{edition}/", title, entries)
            return feed_response(request, text, media)

        routes.add_api_route(f"/briefs/{{edition}}/{file}", brief_feed, methods=["GET"], include_in_schema=False)

    return routes


def _day(text: str) -> date:
    """A day of the address, refused (404) when it is not one or out of range."""
    try:
        day = date.fromisoformat(text) if _DAY.fullmatch(text) else None
    except ValueError:
        day = None
    if day is None or day < _OLDEST:
        raise HTTPException(404, f"not a day: {text[:20]!r} (YYYY-MM-DD)")
    return day
