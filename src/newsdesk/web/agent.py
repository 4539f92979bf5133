"""Agents as readers: an MCP server (the official ``mcp`` SDK) over the same functions as
the JSON API — ``search_news`` (Chinese-aware full-text search), ``top_stories`` (ranked
across outlets and languages), ``story`` (one story and its articles), ``ticker_news`` (a
ticker's newest articles) and ``watchlist_matches`` (a public watchlist's stories).

``newsdesk mcp`` speaks it on standard input and output (a local agent, the operator's),
or with ``--http`` as streamable HTTP at ``/mcp`` behind the API's door: with
``web.public = false`` a request needs ``Authorization: Bearer`` with a user's API token
(or the admin token), else it is answered 401. Every argument is bounded (a query of
1,000 characters, at most 50 results); a bad one is a tool error naming it.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from mcp.server import MCPServer
from mcp.server.mcpserver.exceptions import ToolError
from starlette.types import ASGIApp, Receive, Scope, Send

import newsdesk
from newsdesk.config import Settings
from newsdesk.errors import NewsdeskError
from newsdesk.models import LANGUAGE_TAG, ArticleFilter
from newsdesk.search import search
from newsdesk.store import Store
from newsdesk.stories import summarize
from newsdesk.watch import load_watchers
from newsdesk.web.api import summary
from newsdesk.web.auth import user_of
from newsdesk.web.sources import admin_problem
from newsdesk.web.stories import ranked, story_json

__all__ = ["MOST", "Door", "build"]

MOST = 50  # results a tool gives at most


def build(store: Store, settings: Settings) -> MCPServer:
    """The MCP server of the desk in ``store``."""
    server: MCPServer = MCPServer(
        "newsdesk",
        instructions="A news desk of Chinese and English financial news: search it, read its top stories, "
        "a story's articles, a ticker's news and a watchlist's matches.",
        version=newsdesk.__version__,
    )

    @server.tool()
    @_refusing
    def search_news(query: str, limit: int = 10, lang: str = "", source: str = "", since: str = "") -> dict[str, Any]:
        """Full-text search, Chinese-aware: words (AND), "a phrase", -exclude, a OR b. Optional: lang (zh, en),
        source (a source name), since (YYYY-MM-DD). A company named in one language finds its other names."""
        if not 0 < len(query) <= 1000:
            raise ValueError("query: 1 to 1,000 characters")
        where = _filter(lang=lang, source=source, since=since)
        hits = search(store, query, limit=_limit(limit), where=where, expand=True)
        return {"query": query, "results": [hit.as_json() for hit in hits]}

    @server.tool()
    @_refusing
    def top_stories(limit: int = 10, lang: str = "") -> dict[str, Any]:
        """The top stories now, ranked by outlets, languages, importance and freshness, with their headlines."""
        stories, members = ranked(store, settings)
        where = _filter(lang=lang)
        chosen = [s for s in stories if any(where.matches(a) for a in members[s.id])][: _limit(limit)]
        return {"stories": [story_json(s, settings) for s in chosen]}

    @server.tool()
    @_refusing
    def story(story_id: str) -> dict[str, Any]:
        """One story (an id from top_stories or an article's story) with its articles in the order reported."""
        if not 0 < len(story_id) <= 64:
            raise ValueError("story_id: 1 to 64 characters")
        members = store.cluster_members(story_id, bodies=False)
        found = summarize(story_id, members)
        if found is None:
            raise ValueError(f"no story {story_id!r}")
        by_uuid = {a.uuid: a for a in members}
        return {**story_json(found, settings), "articles": [summary(by_uuid[u], settings) for u in found.uuids]}

    @server.tool()
    @_refusing
    def ticker_news(ticker: str, limit: int = 20) -> dict[str, Any]:
        """A ticker's newest articles (AAPL, NVDA, 0700.HK, 600519.SS)."""
        if not 0 < len(ticker) <= 20:
            raise ValueError("ticker: 1 to 20 characters")
        articles = store.page(ArticleFilter(ticker=ticker.strip().upper()), _limit(limit))
        return {"ticker": ticker.upper(), "articles": [summary(a, settings) for a in articles]}

    @server.tool()
    @_refusing
    def watchlist_matches(name: str, limit: int = 20) -> dict[str, Any]:
        """The stories a public watchlist matched, the newest alert first."""
        watchlist = load_watchers(store, settings, enabled_only=False).watchlists.get(name[:80])
        if watchlist is None or not watchlist.public:
            raise ValueError(f"no public watchlist {name[:80]!r}")
        return {
            "watchlist": name,
            "articles": [summary(a, settings) for a in store.watchlist_stories(name, _limit(limit))],
        }

    return server


def _refusing(tool: Callable[..., dict[str, Any]]) -> Callable[..., dict[str, Any]]:
    """``tool`` with its refusals (a bad argument, a query that cannot be searched) told to
    the agent as a tool error, without the server logging them as crashes."""

    @functools.wraps(tool)
    def told(*args: Any, **kwargs: Any) -> dict[str, Any]:
        try:
            return tool(*args, **kwargs)
        except (ValueError, NewsdeskError) as exc:
            raise ToolError(str(exc)) from None

    return told


def _limit(limit: int) -> int:
    if not 0 < limit <= MOST:
        raise ValueError(f"limit: 1 to {MOST}")
    return limit


def _filter(*, lang: str = "", source: str = "", since: str = "") -> ArticleFilter:
    if lang and not LANGUAGE_TAG.fullmatch(lang):
        raise ValueError(f"lang: a language such as zh or en, not {lang[:20]!r}")
    if len(source) > 200:
        raise ValueError("source: at most 200 characters")
    start = None
    if since:
        try:
            start = datetime.strptime(since, "%Y-%m-%d").replace(tzinfo=UTC)
        except ValueError:
            raise ValueError(f"since: a date YYYY-MM-DD, not {since[:20]!r}") from None
    return ArticleFilter(lang=lang or None, source=source or None, since=start)


class Door:
    """The API's door in front of the MCP app: with reading not public, a Bearer API
    token of a user or the admin token, else 401 in the API's error shape."""

    def __init__(self, app: ASGIApp, store: Store, settings: Settings) -> None:
        self.app, self.store, self.settings = app, store, settings

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and not self.settings.web_public:
            headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope.get("headers", [])}
            authorization = headers.get("authorization")
            admin = bool(authorization) and admin_problem(self.settings, authorization, self.store) is None
            if not admin and user_of(self.store, authorization, None) is None:
                body = json.dumps({"error": "sign in: a Bearer API token (newsdesk user token add NAME)"}).encode()
                start = {"type": "http.response.start", "status": 401, "headers": [
                    (b"content-type", b"application/json"), (b"www-authenticate", b"Bearer")]}  # fmt: skip
                await send(start)
                await send({"type": "http.response.body", "body": body})
                return
        await self.app(scope, receive, send)
