"""The live stream: ``GET /api/stream``, Server-Sent Events with each article as it
arrives, narrowed by the list filters (source, lang, ticker, tag, since, until).

One poller per app (:class:`Hub`) reads the store's arrivals every ``POLL`` seconds
while a stream is open and hands each poll's articles, each already encoded as an
event, to every open stream, which sends those that pass its filter in one write (an
unfiltered stream sends the poll's bytes as they are): 200 streams cost one query and
one encoding per article, not 200.
Arrivals are read again over the last ``OVERLAP`` (a batch written by another process
may commit after a later one) and sent once (the uuids of that window are kept).
Works for imports and fetches in other processes alike: the store is the meeting point.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import AsyncIterator, Callable
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, Response
from sse_starlette.sse import EventSourceResponse
from starlette.types import Receive, Scope, Send

from newsdesk.errors import NewsdeskError
from newsdesk.models import Article, ArticleFilter
from newsdesk.store import Store
from newsdesk.web.filters import ApiFilter
from newsdesk.web.problems import responses

__all__ = ["Hub", "router", "stream_url"]

POLL = 0.5
OVERLAP = timedelta(seconds=3)
BACKLOG = 600  # polls (5 minutes) a slow stream may lag behind before it is closed
log = logging.getLogger("newsdesk.web")


class Batch:
    """One poll's new articles, each with its encoded ``event: article``."""

    def __init__(self, events: list[tuple[Article, bytes]]) -> None:
        self.events = events
        self.everything = b"".join(event for _, event in events)

    def matching(self, where: ArticleFilter) -> bytes:
        if where == _EVERYTHING:
            return self.everything
        return b"".join(event for article, event in self.events if where.matches(article))


_EVERYTHING = ArticleFilter()


def encode(article: Article, data: str) -> bytes:
    """An SSE ``article`` event (``data`` is one line of JSON)."""
    return f"event: article\r\nid: {article.uuid}\r\ndata: {data}\r\n\r\n".encode()


class Hub:
    """Reads arrivals from the store and fans them out to the open streams."""

    def __init__(
        self,
        store: Store,
        payload: Callable[[Article], dict[str, Any]],
        poll: float = POLL,
        *,
        most: int = 256,
        per_client: int = 8,
    ) -> None:
        self.store = store
        self.payload = payload
        self.poll = poll
        # Each stream holds a socket: never more than a quarter of the open-file limit.
        self.most = min(most, max(1, _open_file_limit() // 4))
        self.per_client = per_client
        self.streams: set[asyncio.Queue[Batch | None]] = set()
        self.clients: dict[asyncio.Queue[Batch | None], str] = {}
        self._task: asyncio.Task[None] | None = None
        self._sent: dict[str, datetime] = {}  # uuid → first_seen, over the overlap window
        self._newest = datetime.now(UTC)
        self._version: object = None

    def full(self, client: str) -> str | None:
        """Why another stream for ``client`` cannot be opened now, or None."""
        if len(self.clients) >= self.most:
            return f"the server holds its most live streams ({self.most}); try again later"
        if sum(1 for held in self.clients.values() if held == client) >= self.per_client:
            return f"this client holds its most live streams ({self.per_client}); close one first"
        return None

    async def open(self, client: str = "") -> asyncio.Queue[Batch | None]:
        """A new stream's queue: it gets what arrives from now on."""
        queue: asyncio.Queue[Batch | None] = asyncio.Queue(BACKLOG)
        self.clients[queue] = client
        if self._task is None or self._task.done():
            # What arrived before (over the overlap window) counts as sent.
            self._newest = max(self._newest, datetime.now(UTC))
            await asyncio.to_thread(self._read)
            self._task = asyncio.create_task(self._run())
        self.streams.add(queue)
        return queue

    def close(self, queue: asyncio.Queue[Batch | None]) -> None:
        self.streams.discard(queue)
        self.clients.pop(queue, None)

    async def _run(self) -> None:
        while self.streams:
            try:
                fresh = await asyncio.to_thread(self._read)
            except NewsdeskError as exc:  # the database is away for a moment: streams stay open
                log.warning("live stream: %s", exc)
                fresh = []
            if fresh:
                batch = Batch([(a, encode(a, json.dumps(self.payload(a), ensure_ascii=False))) for a in fresh])
                for queue in list(self.streams):
                    try:
                        queue.put_nowait(batch)
                    except asyncio.QueueFull:  # a client that does not read: closed (EventSource reconnects)
                        self.close(queue)
                        while not queue.empty():
                            queue.get_nowait()
                        queue.put_nowait(None)
            await asyncio.sleep(self.poll)

    def _read(self) -> list[Article]:
        version = self.store.version()  # one index read: nothing changed, nothing to read
        if version == self._version:
            return []
        self._version = version
        start = self._newest - OVERLAP
        found: list[Article] = []
        after = (start, "")
        while True:
            # Ids first: the overlap window's articles already sent cost an index read, not a row.
            keys = self.store.arrival_keys(after, 2000)
            fresh = self.store.arrivals([uuid for _, uuid in keys if uuid not in self._sent]) if keys else []
            found += fresh
            for article in fresh:
                self._sent[article.uuid] = article.first_seen or start
            if len(keys) < 2000:
                break
            after = keys[-1]
        for article in found:
            self._newest = max(self._newest, article.first_seen or start)
        horizon = self._newest - OVERLAP
        self._sent = {uuid: seen for uuid, seen in self._sent.items() if seen >= horizon}
        return found


def router(hub: Hub) -> APIRouter:
    routes = APIRouter()

    @routes.get(
        "/api/stream",
        summary="New articles as they arrive (Server-Sent Events), with the list filters",
        response_class=EventSourceResponse,
        responses={
            200: {
                "content": {"text/event-stream": {}},
                "description": "`event: article`, data: the article as in /api/articles",
            },
            **responses(400, 503),
        },
        response_model=None,
    )
    async def stream(
        request: Request,
        where: ApiFilter,
    ) -> Response:
        client = request.client.host if request.client else ""
        full = hub.full(client)
        if full:
            return JSONResponse({"error": full}, status_code=503, headers={"retry-after": "30"})
        queue = await hub.open(client)
        return _Held(hub, queue, _events(hub, queue, where), ping=15, headers={"x-accel-buffering": "no"})

    return routes


class _Held(EventSourceResponse):
    """A stream that gives its place back however it ends, even when its events were
    never read (the client left before the response started)."""

    def __init__(self, hub: Hub, queue: asyncio.Queue[Batch | None], *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._hub, self._queue = hub, queue

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        try:
            await super().__call__(scope, receive, send)
        finally:
            self._hub.close(self._queue)


def _open_file_limit() -> int:
    try:
        import resource

        soft = resource.getrlimit(resource.RLIMIT_NOFILE)[0]
    except (ImportError, ValueError, OSError):
        return 1024
    return soft if soft > 0 else 1024


async def _events(
    hub: Hub, queue: asyncio.Queue[Batch | None], where: ArticleFilter
) -> AsyncIterator[dict[str, str] | bytes]:
    try:
        yield {"event": "ready", "data": "{}"}
        while (batch := await queue.get()) is not None:
            if chunk := batch.matching(where):
                yield chunk
    finally:
        hub.close(queue)


def stream_url(where: ArticleFilter) -> str:
    """``/api/stream`` with a list's filters, for its live banner."""
    names = ("source", "lang", "ticker", "tag", "since", "until", "section")
    values = {f: getattr(where, f) for f in names if getattr(where, f)}
    query = {k: v.isoformat() if isinstance(v, datetime) else v for k, v in values.items()}
    if where.importance:
        query["important"] = str(where.importance)
    return "/api/stream" + ("?" + urlencode(query) if query else "")
