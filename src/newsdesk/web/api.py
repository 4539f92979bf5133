"""The JSON API of articles, search and tags: ``/api/articles`` (filtered, cursor-paged),
``/api/articles/{uuid}``, ``/api/search`` and ``/api/tags``, with the error shape of
:mod:`.problems`. The stream, sources and watchlists have routers of their own."""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from typing import Annotated, Any, Literal

from fastapi import APIRouter, HTTPException, Query
from fastapi.responses import Response

from newsdesk.config import Settings
from newsdesk.errors import QueryError
from newsdesk.models import Article
from newsdesk.publish.jsonl import article_json
from newsdesk.search import MAX_LIMIT, search
from newsdesk.store import Store
from newsdesk.web import cursors
from newsdesk.web.cursors import UUID
from newsdesk.web.filters import ApiFilter
from newsdesk.web.problems import responses

__all__ = ["UUID", "article_or_404", "router", "summary"]


def router(store: Store, settings: Settings, cached: Callable[[str, Any], Awaitable[Any]]) -> APIRouter:
    """The routes; ``cached`` is the web app's page cache (key, make → value)."""
    app = APIRouter()

    @app.get(
        "/api/articles", summary="Articles, newest first, with filters and cursor pagination", responses=responses(400)
    )
    def api_articles(
        where: ApiFilter,
        cursor: Annotated[str | None, Query(max_length=400)] = None,
        limit: Annotated[int, Query(ge=1, le=100)] = 20,
    ) -> dict[str, Any]:
        rows = store.page(where, limit + 1, cursors.decode(cursor))
        more = len(rows) > limit
        rows = rows[:limit]
        return {
            "articles": [summary(a, settings) for a in rows],
            "next_cursor": cursors.encode(rows[-1]) if more and rows else None,
        }

    @app.get("/api/articles/{uuid}", summary="One article, with its HTML, Markdown and text", responses=responses(404))
    def api_article(uuid: str) -> dict[str, Any]:
        return article_json(article_or_404(store, uuid), settings)

    @app.get("/api/search", summary="Full-text search (Chinese-aware)", responses=responses(400), response_model=None)
    async def api_search(
        q: Annotated[str, Query(min_length=1, max_length=1000)],
        where: ApiFilter,
        limit: Annotated[int, Query(ge=1, le=100)] = 10,
        offset: Annotated[int, Query(ge=0, le=MAX_LIMIT)] = 0,
        sort: Literal["relevance", "date"] = "relevance",
        expand: Annotated[
            bool, Query(description="A company named in one language also finds its other names (英伟达: Nvidia, NVDA)")
        ] = True,
        group: Annotated[
            bool,
            Query(description="One result per story, its other articles in `also`; limit and offset count stories"),
        ] = False,
    ) -> Response:

        def make() -> bytes:
            try:
                hits = search(
                    store, q, limit=limit, where=where, newest=sort == "date", offset=offset, expand=expand, group=group
                )
            except QueryError as exc:
                raise HTTPException(400, exc.message) from None
            return _json({"query": q, "results": [hit.as_json() for hit in hits]})

        # A cached answer is sent from the event loop; only a search goes to a thread.
        key = f"search:{q}|{where}|{limit}|{offset}|{sort}|{expand}|{group}"
        body = await cached(key, make)
        return Response(body, media_type="application/json")

    @app.get("/api/tags", summary="Most used tags (kind: ticker, topic, agency or source)", responses=responses())
    def api_tags(
        kind: Literal["ticker", "topic", "agency", "source"] | None = None,
        limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    ) -> dict[str, Any]:
        return {"tags": [{"tag": tag, "articles": n} for tag, n in store.tag_counts(kind, limit=limit)]}

    return app


def _json(value: Any) -> bytes:
    """JSON as FastAPI's JSONResponse writes it."""
    return json.dumps(value, ensure_ascii=False, allow_nan=False, separators=(",", ":")).encode("utf-8")


def article_or_404(store: Store, uuid: str) -> Article:
    article = store.get(uuid) if UUID.fullmatch(uuid) else None
    if article is None:
        raise HTTPException(404, f"no article {uuid[:64]!r}")
    return article


_SUMMARY = (
    "uuid link title source language published first_seen summary image tags tickers sections cluster importance story"
    "".split()
)


def summary(article: Article, settings: Settings) -> dict[str, Any]:
    data = article_json(article, settings)
    return {k: data[k] for k in _SUMMARY}
