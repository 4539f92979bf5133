"""Stories as pages and feeds of ``newsdesk serve``.

``/stories/`` ranks the stories of the window (see :mod:`newsdesk.stories`) with the list
filters, each with its headline in every language it was reported in, its outlets, who
reported it first and its tickers; ``/stories/index.xml``, ``atom.xml`` and ``feed.json``
are the same list as feeds, and ``/stories/tags/<ticker>/…`` those of one ticker.
``/stories/<id>/`` puts every article of a story on one time line (see
:mod:`newsdesk.publish.stories`, which the static build uses too); an id merged into
another story redirects there.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from newsdesk.config import Settings
from newsdesk.models import ArticleFilter
from newsdesk.publish import feeds
from newsdesk.publish.site import FEED_ITEMS
from newsdesk.publish.stories import PAGE, lines_of, story_entry
from newsdesk.store import Store
from newsdesk.stories import summarize
from newsdesk.web import filters
from newsdesk.web.feeds import FORMATS, feed_response, site_url
from newsdesk.web.stories import MAX_ID, top
from newsdesk.web.stream import stream_url

__all__ = ["router"]


def router(
    store: Store,
    settings: Settings,
    cached: Callable[[str, Any], Awaitable[Any]],
    render: Callable[..., str],
) -> APIRouter:
    """The routes; ``cached`` is the web app's page cache, ``render`` (template, values) its page maker."""
    pages = APIRouter()

    @pages.get("/stories/", response_class=HTMLResponse, include_in_schema=False)
    async def top_stories(request: Request) -> HTMLResponse:
        chosen = filters.from_request(request, settings.tz)
        stories = (await top(store, settings, cached, chosen.where))[0][:PAGE]
        title = f"{settings.site_title} · 头条 Top stories"

        def make() -> str:
            return render(
                "stories.html",
                title=title,
                stories=stories,
                filters=chosen,
                feed="stories/",
                window=settings.stories_window_hours,
                stream=stream_url(chosen.where),
            )

        shown = ",".join(f"{s.id}:{s.score}" for s in stories)  # the page changes with its stories' ranks
        return HTMLResponse(await cached(f"page:stories:{chosen.query}:{hash(shown)}", make))

    @pages.get("/stories/{story}/", response_class=HTMLResponse, include_in_schema=False)
    async def story_page(story: str) -> Response:
        if len(story) > MAX_ID:
            raise HTTPException(404)

        def make() -> str | None:  # None: no such story (or one merged into another)
            members = store.cluster_members(story)
            made = summarize(story, members)
            return None if made is None else render("story.html", story=made, lines=lines_of(members, made.uuids))

        html = await cached(f"page:story:{story}", make)
        if html is None:
            merged_into = store.merged_into(story)
            if merged_into:
                return RedirectResponse(f"/stories/{merged_into}/", status_code=301)
            raise HTTPException(404)
        return HTMLResponse(html)

    async def feed(request: Request, file: str, base: str, title: str, where: ArticleFilter) -> Response:
        site = site_url(request, settings)
        make, media = FORMATS[file]
        stories, members = await top(store, settings, cached, where)
        entries = [story_entry(s, members[s.id]) for s in stories[:FEED_ITEMS]]
        return feed_response(request, make(feeds.Items(site), base, title, entries), media)

    for file in FORMATS:

        async def stories_feed(request: Request, file: str = file) -> Response:
            return await feed(request, file, "stories/", f"{settings.site_title} · 头条 Top stories", ArticleFilter())

        async def ticker_feed(request: Request, ticker: str, file: str = file) -> Response:
            symbol = ticker.upper()[:20]
            title = f"{settings.site_title} · {symbol} stories"
            return await feed(request, file, f"stories/tags/{ticker[:20]}/", title, ArticleFilter(ticker=symbol))

        pages.add_api_route(f"/stories/{file}", stories_feed, methods=["GET"], include_in_schema=False)
        pages.add_api_route(f"/stories/tags/{{ticker}}/{file}", ticker_feed, methods=["GET"], include_in_schema=False)

    return pages
