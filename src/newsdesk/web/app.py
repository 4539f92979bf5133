"""The web app (``newsdesk serve``): the static site's pages rendered on request,
plus a JSON API. Reads are public.

Pages use the templates of :mod:`newsdesk.publish.site` with absolute links; a
rendered page, and the results of a search, are reused until the articles change,
and for ``web.cache_seconds`` after that (setting; 0 turns the cache off). API errors are JSON with the
proper status code; anything that is not a page or an endpoint — including
``..`` tricks — is a 404.
"""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta
from typing import Annotated, Any, Literal
from urllib.parse import urlencode

from fastapi import FastAPI, HTTPException, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from fastapi.routing import APIRoute
from fastapi_offline import FastAPIOffline
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException as StarletteHTTPException

from newsdesk import telemetry
from newsdesk.config import Settings
from newsdesk.enrich.tickers import describe
from newsdesk.errors import QueryError
from newsdesk.models import Article, ArticleFilter
from newsdesk.publish.entry import page_path
from newsdesk.publish.lists import page_span, sealed_pages
from newsdesk.publish.site import RECENT, TAG_LIST, entry, environment, page_context, pager
from newsdesk.search import MAX_LIMIT, count, search
from newsdesk.sources.catalog import display_names
from newsdesk.store import Store
from newsdesk.watch import load_watchers
from newsdesk.web import api, apps, auth, filters, me, sources, story_pages
from newsdesk.web import briefs as brief_routes
from newsdesk.web import calendar as calendar_routes
from newsdesk.web import feeds as feed_routes
from newsdesk.web import stories as story_routes
from newsdesk.web import stream as live
from newsdesk.web import subscriptions as subscription_routes
from newsdesk.web import watchlists as watch_routes
from newsdesk.web.api import UUID, article_or_404, summary
from newsdesk.web.auth import Door
from newsdesk.web.cache import PageCache
from newsdesk.web.figures import SiteFigures
from newsdesk.web.guards import Guards
from newsdesk.web.headers import SecurityHeaders
from newsdesk.web.paging import archive_route, list_moved, list_route, numbered, page_moved, page_number
from newsdesk.web.stream import stream_url
from newsdesk.web.timing import RequestTiming

__all__ = ["create_app"]

SEARCH_PAGE = 20
TAG_LIST_SECONDS = 600


def create_app(store: Store, settings: Settings) -> FastAPI:
    # Swagger UI and ReDoc served from the package's own files: the docs work offline.
    app = FastAPIOffline(
        title="newsdesk", description="Financial news in Chinese and English: articles, search, tags, sources."
    )
    app.add_middleware(Guards, settings=settings, store=store)
    app.add_middleware(Door, store=store, settings=settings)
    app.add_middleware(SecurityHeaders)
    app.add_middleware(RequestTiming)
    env = environment(None, settings.tz, display_names(settings.sources_folder))
    counted = threading.Event()  # the tag widget's first counts are in: pages made before lack it
    cache = PageCache(
        settings.web_cache_seconds, lambda: (store.version(), counted.is_set()), most_bytes=settings.web_cache_bytes
    )
    # The tag widget and the slug tables: site-wide, costly on a large database (a
    # GROUP BY over every tag), the same for every page until the articles change.
    shared = PageCache(settings.web_cache_seconds, store.version, while_unchanged=True)
    # The tag widget's counts take 1.5 s of a server process at a million articles:
    # they are made in the background, from the start (pages show no widget until
    # then), and with the cache on at most every ten minutes (new articles hardly
    # move them); pages are answered with the last counts meanwhile.
    seconds = max(TAG_LIST_SECONDS, settings.web_cache_seconds) if settings.web_cache_seconds > 0 else 0
    slow = PageCache(seconds, store.version, while_unchanged=True)

    def count_tags() -> list[tuple[str, int]]:
        tags = store.tag_counts(("section", "ticker"), limit=TAG_LIST)  # keywords stay searchable, not shown
        counted.set()
        return tags

    def tag_list() -> list[tuple[str, int]] | None:
        return slow.soon("tag_list", count_tags)

    def context() -> dict[str, Any]:
        def make(tags: list[tuple[str, int]]) -> dict[str, Any]:
            recent = [entry(a) for a in store.page(ArticleFilter(), RECENT)]
            return {**page_context(settings, recent, tags, inline=True), "served": True}

        tags = tag_list()
        return make([]) if tags is None else shared.get("context", lambda: make(tags))

    tag_list()

    figures = SiteFigures(store, shared)
    total = figures.total

    def label(kind: str, name: str) -> str:
        """What a page or feed title shows for a tag, source or language."""
        return str(env.filters["source_name"](name)) if kind == "sources" else name

    async def cached(key: str, make: Any) -> Any:
        """``cache.get`` that answers a cached value from the event loop and makes a
        missing one in a thread (the hot pages never wait for a thread hop)."""
        value = cache.fresh(key)
        return value if value is not None else await run_in_threadpool(cache.get, key, make)

    async def named(kind: str, slug: str) -> str | None:
        table = shared.fresh(f"names:{kind}")
        if table is not None and slug in table:
            return str(table[slug])
        return await run_in_threadpool(figures.named, kind, slug)

    def ticker_header(symbol: str) -> dict[str, Any] | None:
        """A ticker page's header: names, exchange, articles per day over the last 30 days."""
        described = describe(symbol)
        if described is None:
            return None
        today = datetime.now(settings.tz).date()
        days = {today - timedelta(days=n): 0 for n in range(29, -1, -1)}
        for published in store.daily_counts(ArticleFilter(ticker=symbol), datetime.now(UTC) - timedelta(days=31)):
            day = published.astimezone(settings.tz).date()
            if day in days:
                days[day] += 1
        return {**described, "days": list(days.items()), "most": max(days.values()) or 1}

    async def listing(base: str, title: str, own: ArticleFilter, number: int, request: Request) -> HTMLResponse:
        chosen = filters.from_request(request, settings.tz)
        where = chosen.applied_to(own)

        def make() -> str:
            found = total(where)
            sealed = sealed_pages(found, settings.site_per_page)
            if number > sealed:
                raise HTTPException(404)
            start, stop = page_span(found, settings.site_per_page, number)
            members = store.page(where, stop - start, offset=start, total=found) if stop > start else []
            first_run = _health_summary(store) if base == "" and found == 0 and not chosen.values else None
            return env.get_template("list.html").render(
                context(),
                title=title,
                entries=[entry(a) for a in members],
                pager=pager(base, number, sealed),
                root="/",
                feed=base,
                first_run=first_run,
                filters=chosen,
                total=found,
                stream=stream_url(where) if number == 0 else None,
                ticker=ticker_header(own.tag) if own.tag and number == 0 else None,
            )

        return HTMLResponse(await cached(f"list:{base}:{number}:{chosen.query}", make))

    @app.exception_handler(StarletteHTTPException)  # the router's 404 and 405 too, not only ours
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        if request.url.path.startswith("/api/"):
            headers = getattr(exc, "headers", None)  # a 405's Allow
            return JSONResponse({"error": exc.detail or "not found"}, status_code=exc.status_code, headers=headers)
        # A 404 is the site's not-found page; any other status says what went wrong (a bad
        # filter, a wrong admin token, a source already being fetched).
        problem = None if exc.status_code == 404 else (exc.detail or "")
        page = env.get_template("404.html").render(context(), root="/", status=exc.status_code, problem=problem)
        return HTMLResponse(page, status_code=exc.status_code)

    @app.exception_handler(RequestValidationError)
    async def validation_error(request: Request, exc: RequestValidationError) -> Response:
        # Where and what, never the input itself: it may be bytes, or anything a client sent.
        details = [
            {"loc": list(e.get("loc", ())), "msg": str(e.get("msg", "")), "type": str(e.get("type", ""))}
            for e in exc.errors()
        ]
        return JSONResponse({"error": "invalid request", "details": details}, status_code=422)

    metrics = telemetry.StoreCollector(lambda: store.engine)

    @app.get("/metrics", include_in_schema=False)
    def prometheus_metrics() -> Response:
        """Prometheus text format: this server's requests, the fetch and alert figures of
        the processes sharing its metrics folder, and what the database says."""
        return Response(telemetry.exposition(metrics), media_type=telemetry.CONTENT_TYPE_LATEST)

    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    @app.get("/page/{number}.html", response_class=HTMLResponse, include_in_schema=False)
    async def home(request: Request, number: int | None = None) -> HTMLResponse:
        return await listing("", settings.site_title, ArticleFilter(), page_number(number), request)

    @app.get("/page/{number}/", include_in_schema=False)
    async def home_folder(request: Request, number: int) -> RedirectResponse:
        return page_moved("", number, request)

    for prefix, kind, field in (
        ("tags", "tags", "tag"),
        ("sources", "sources", "source"),
        ("lang", "languages", "lang"),
    ):
        route = list_route(prefix, kind, field, named, listing, label)
        app.add_api_route(f"/{prefix}/{{slug}}/", route, include_in_schema=False)
        app.add_api_route(f"/{prefix}/{{slug}}/page/{{number}}.html", route, include_in_schema=False)
        app.add_api_route(f"/{prefix}/{{slug}}/page/{{number}}/", list_moved(prefix), include_in_schema=False)

    month = archive_route(listing, settings.tz)
    app.add_api_route("/archive/{year}/{month}/", month, include_in_schema=False)
    app.add_api_route("/archive/{year}/{month}/page/{number}.html", month, include_in_schema=False)

    @app.get("/posts/{uuid}/", include_in_schema=False)
    async def article_folder(uuid: str) -> RedirectResponse:
        """Where article pages were before they became files: old links keep working."""
        if not UUID.fullmatch(uuid):
            raise HTTPException(404, f"no article {uuid[:64]!r}")
        return RedirectResponse("/" + page_path(uuid), status_code=301)

    @app.get("/posts/{uuid}.html", response_class=HTMLResponse, include_in_schema=False)
    async def article_page(uuid: str) -> HTMLResponse:
        def make() -> str:  # the article is read only when its page is not cached
            article = article_or_404(store, uuid)
            also = [
                entry(a) for a in store.cluster_members(article.cluster or article.uuid, bodies=False) if a.uuid != uuid
            ]
            return env.get_template("article.html").render(context(), article=article, also=also, root="/")

        return HTMLResponse(await cached(f"post:{uuid}", make))

    @app.get("/search/", response_class=HTMLResponse, include_in_schema=False)
    def search_page(
        request: Request,
        q: Annotated[str, Query(max_length=1000)] = "",
        sort: Literal["relevance", "date"] = "relevance",
        page: Annotated[int, Query(ge=1, le=MAX_LIMIT // SEARCH_PAGE)] = 1,
        every: Annotated[Literal["", "1"], Query(alias="all")] = "",
        expand: Literal["", "0"] = "",
    ) -> HTMLResponse:
        chosen = filters.from_request(request, settings.tz)
        found: dict[str, Any] = {"hits": [], "error": None, "total": 0}
        grouped, expanded = not every, not expand
        if q.strip():
            try:
                # counted up to one past what the pages can show: a common word at
                # a million articles has 100,000 matches, and "1000+" says enough
                found["total"] = count(store, q, where=chosen.where, limit=MAX_LIMIT + 1, expand=expanded)
                found["hits"] = search(
                    store,
                    q,
                    limit=SEARCH_PAGE,
                    where=chosen.where,
                    newest=sort == "date",
                    offset=(page - 1) * SEARCH_PAGE,
                    expand=expanded,
                    group=grouped,
                )
            except QueryError as exc:
                found["error"] = exc.message
        last = max(1, -(-min(found["total"], MAX_LIMIT) // SEARCH_PAGE))
        if grouped:  # pages of stories: how many there are is known only as far as read
            last = min(last, page + 1 if len(found["hits"]) == SEARCH_PAGE else page)
        carry = _search_query(q, chosen.values, sort, grouped=grouped, expanded=expanded)
        html = env.get_template("search.html").render(
            context(),
            query=q,
            root="/",
            filters=chosen,
            sort=sort,
            carry=carry,
            **found,
            shown=MAX_LIMIT,
            pages=numbered(page, last),
            number=page,
            grouped=grouped,
            expanded=expanded,
            toggles={
                "all": _search_query(q, chosen.values, sort, grouped=not grouped, expanded=expanded),
                "expand": _search_query(q, chosen.values, sort, grouped=grouped, expanded=not expanded),
            },
        )
        return HTMLResponse(html, status_code=400 if found["error"] else 200)

    @app.get("/style.css", include_in_schema=False)
    def style() -> Response:
        return Response(env.get_template("style.css").render(), media_type="text/css")

    @app.get("/live.js", include_in_schema=False)
    @app.get("/reader.js", include_in_schema=False)
    def script(request: Request) -> Response:  # live updates; a signed-in reader's own state
        return Response(env.get_template(request.url.path[1:]).render(), media_type="text/javascript")

    def payload(article: Article) -> dict[str, Any]:
        return summary(article, settings)

    @app.get("/entries/", response_class=HTMLResponse, include_in_schema=False)
    def entries(ids: Annotated[str, Query(max_length=33 * 100)] = "") -> HTMLResponse:
        """Rendered list entries of these articles (the live banner inserts them), newest first."""
        wanted = [uuid for uuid in ids.split(",") if UUID.fullmatch(uuid)][:100]
        found = sorted(store.arrivals(wanted), key=lambda a: (a.published, a.uuid), reverse=True)
        template = env.get_template("entry.html")
        return HTMLResponse("".join(template.render(entry=entry(a), root="/") for a in found))

    hub = live.Hub(store, payload, most=settings.web_streams, per_client=settings.web_streams_per_client)
    app.include_router(live.router(hub))

    app.include_router(api.router(store, settings, cached))
    app.include_router(story_routes.router(store, settings, cached))

    def render(template: str, **values: Any) -> str:
        return env.get_template(template).render(context(), root="/", **values)

    app.include_router(sources.router(store, settings, render))
    app.include_router(auth.router(store, settings, render))
    app.include_router(me.router(store, settings))
    app.include_router(apps.router(store, settings))
    app.include_router(subscription_routes.router(store, settings, render))
    app.include_router(story_pages.router(store, settings, cached, render))
    app.include_router(brief_routes.router(store, settings, cached, render))
    app.include_router(calendar_routes.router(store, settings, render))
    app.include_router(watch_routes.router(store, settings, load_watchers, render))  # before /{prefix}/{slug}/{feed}
    app.include_router(feed_routes.router(store, settings, cache, figures, label))

    @app.api_route("/{path:path}", methods=["GET", "HEAD"], include_in_schema=False)
    def not_found(request: Request, path: str) -> Response:
        # A path that other routes serve by other methods: 405 naming them, not this catch-all's 404.
        allowed = sorted({m for r in app.routes if isinstance(r, APIRoute) and r.path != "/{path:path}"
                          and r.path_regex.match(request.url.path) for m in r.methods or ()})  # fmt: skip
        raise (
            HTTPException(405, "Method Not Allowed", headers={"Allow": ", ".join(allowed)})
            if allowed
            else HTTPException(404)
        )

    return app


def _search_query(q: str, values: dict[str, str], sort: str, *, grouped: bool, expanded: bool) -> str:
    """A search page's query string: its words, filters, order and modes (defaults left out)."""
    modes = {**({"sort": sort} if sort != "relevance" else {}), **({} if grouped else {"all": "1"})}
    return urlencode({"q": q, **values, **modes, **({} if expanded else {"expand": "0"})})


def _health_summary(store: Store) -> dict[str, int]:
    """Sources by state, for the first-run page (an empty database)."""
    counts: dict[str, int] = {}
    for health in store.health().values():
        counts[health.state] = counts.get(health.state, 0) + 1
    return counts
