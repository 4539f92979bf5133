"""Feeds and sitemaps served by ``newsdesk serve``: the files the static build writes.

``/index.xml``, ``/atom.xml``, ``/feed.json`` for the site and the same three under
each tag, source and language list (``/tags/<slug>/index.xml`` …); ``/sitemap.xml``
(an index of ``/sitemap-N.xml`` past 50,000 URLs). Their absolute links point at the
host the request came to when it is a loopback name or one of ``web.hosts``, else at
``site.base_url``: a client's Host header cannot plant links, nor make the cache keep
a copy per name. Rendered by :mod:`newsdesk.publish.feeds` and cached like pages.
"""

from __future__ import annotations

import gzip
import hashlib
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import Response

from newsdesk.config import Settings
from newsdesk.models import ArticleFilter
from newsdesk.publish import feeds
from newsdesk.publish.site import FEED_ITEMS, entry
from newsdesk.store import Store
from newsdesk.web.figures import SiteFigures
from newsdesk.web.filters import only
from newsdesk.web.paging import month_span

__all__ = ["feed_response", "router", "site_url"]

LOOPBACK = frozenset({"localhost", "127.0.0.1", "[::1]"})


def site_url(request: Request, settings: Settings) -> str:
    """The site's absolute URL for links in what answers ``request``."""
    host = (request.headers.get("host") or "").strip().lower()
    name = host.split("]")[0] + "]" if host.startswith("[") else host.partition(":")[0]
    allowed = LOOPBACK | {h.strip().lower() for h in settings.web_hosts.split(",") if h.strip()}
    if name in allowed and all(c.isalnum() or c in ".-:[]" for c in host):
        return f"{request.url.scheme}://{host}/"
    return settings.site_base_url.rstrip("/") + "/"


def feed_response(request: Request, text: str, media: str) -> Response:
    """A feed's answer as clients that poll expect it: an ETag (a digest of the feed) and
    304 with no body when ``If-None-Match`` names it; gzip when the client takes it."""
    body = text.encode("utf-8")
    tag = f'"{hashlib.md5(body).hexdigest()}"'
    headers = {"etag": tag, "vary": "Accept-Encoding", "cache-control": "no-cache"}
    wanted = request.headers.get("if-none-match", "")
    if tag in {t.strip().removeprefix("W/") for t in wanted.split(",")}:
        return Response(status_code=304, headers=headers)
    if len(body) > GZIP_FROM and "gzip" in request.headers.get("accept-encoding", "").lower():
        return Response(gzip.compress(body, 6), media_type=media, headers={**headers, "content-encoding": "gzip"})
    return Response(body, media_type=media, headers=headers)


GZIP_FROM = 1024  # bytes: smaller feeds go as they are
FORMATS = {
    "index.xml": (feeds.rss, "application/rss+xml; charset=utf-8"),
    "atom.xml": (feeds.atom, "application/atom+xml; charset=utf-8"),
    "feed.json": (feeds.json_feed, "application/feed+json; charset=utf-8"),
}
GROUPS = {"tags": ("tags", "tag"), "sources": ("sources", "source"), "lang": ("languages", "lang")}


def router(
    store: Store,
    settings: Settings,
    cache: Any,
    figures: SiteFigures,
    label: Callable[[str, str], str],
) -> APIRouter:
    """The feed and sitemap routes; ``cache``, ``figures`` (the slugs of tags, sources
    and languages) and ``label`` (kind, name → what a title shows) are the web app's."""
    api = APIRouter()

    def author(source: str) -> str:
        return label("sources", source)

    def feed(request: Request, file: str, base: str, title: str, where: ArticleFilter) -> Response:
        site = site_url(request, settings)
        render, media = FORMATS[file]

        def make() -> str:
            latest = [entry(a) for a in store.page(where, FEED_ITEMS)]
            items = feeds.Items(site, bodies=store.bodies, author=author, cap=settings.feeds_content_chars)
            return render(items, base, title, latest)

        return feed_response(request, cache.get(f"feed:{site}{base}{file}", make), media)

    for file in FORMATS:

        def site_feed(request: Request, file: str = file) -> Response:
            return feed(request, file, "", settings.site_title, ArticleFilter())

        def group_feed(request: Request, prefix: str, slug: str, file: str = file) -> Response:
            kind, field = GROUPS.get(prefix, ("", ""))
            name = figures.named(kind, slug) if kind else None
            if name is None:
                raise HTTPException(404)
            return feed(
                request,
                file,
                f"{prefix}/{slug}/",
                f"{settings.site_title} · {label(kind, name)}",
                only(field, name),
            )

        def month_feed(request: Request, year: str, month: str, file: str = file) -> Response:
            since, until = month_span(year, month, settings.tz)
            where = ArticleFilter(since=since, until=until - timedelta(microseconds=1))
            return feed(request, file, f"archive/{year}/{month}/", f"{settings.site_title} · {year}-{month}", where)

        api.add_api_route(f"/archive/{{year}}/{{month}}/{file}", month_feed, methods=["GET"], include_in_schema=False)
        api.add_api_route(f"/{file}", site_feed, methods=["GET"], include_in_schema=False)
        api.add_api_route(f"/{{prefix}}/{{slug}}/{file}", group_feed, methods=["GET"], include_in_schema=False)

    def sitemap_files(site: str) -> dict[str, str]:
        def make() -> dict[str, str]:
            paths = [""] + [entry(a).path for a in store.iter_articles(bodies=False)]
            for prefix, (kind, _) in GROUPS.items():
                paths += [f"{prefix}/{slug}/" for slug in sorted(figures.names(kind))]
            return feeds.sitemaps(site, paths)

        return cache.get(f"sitemaps:{site}", make)  # type: ignore[no-any-return]

    @api.get("/opml.xml", include_in_schema=False)
    def opml(request: Request) -> Response:
        """Every feed a reader app can follow here, as an OPML 2.0 subscription list: the
        site's, the top stories', each source's and each language's (by their display names)."""
        site = site_url(request, settings)
        groups = [("newsdesk", [(settings.site_title, ""), ("Top stories", "stories/")])]
        for prefix, (kind, _) in (("sources", GROUPS["sources"]), ("lang", GROUPS["lang"])):
            named = sorted(figures.names(kind).items(), key=lambda item: label(kind, item[1]).casefold())
            groups.append((kind.capitalize(), [(label(kind, name), f"{prefix}/{slug}/") for slug, name in named]))
        return feed_response(request, feeds.opml(site, settings.site_title, groups), "text/x-opml; charset=utf-8")

    @api.get("/{name}.xml", include_in_schema=False)
    def sitemap(request: Request, name: str) -> Response:
        files = sitemap_files(site_url(request, settings))
        if f"{name}.xml" not in files:
            raise HTTPException(404)
        return Response(files[f"{name}.xml"], media_type="application/xml; charset=utf-8")

    return api
