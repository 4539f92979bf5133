"""The live stream: ``GET /api/stream``, Server-Sent Events with each article as it
arrives, narrowed by the list filters (source, lang, ticker, tag, since, until).

One poller per app (:class:`Hub`) reads the store's arrivals every ``POLL`` seconds
while a stream is open and hands each new article to every open stream, which sends
it if it passes that stream's filter: 200 streams cost one query per poll, not 200.
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

from fastapi import APIRouter
from sse_starlette.sse import EventSourceResponse

from newsdesk.errors import NewsdeskError
from newsdesk.models import Article, ArticleFilter
from newsdesk.store import Store
from newsdesk.web.dates import When, aware
from newsdesk.web.problems import responses

__all__ = ["Hub", "router"]

POLL = 0.5
OVERLAP = timedelta(seconds=3)
BACKLOG = 1000  # events a slow stream may lag behind before it is closed
log = logging.getLogger("newsdesk.web")

Event = tuple[Article, str]  # an article and its event data (JSON)


class Hub:
    """Reads arrivals from the store and fans them out to the open streams."""

    def __init__(self, store: Store, payload: Callable[[Article], dict[str, Any]], poll: float = POLL) -> None:
        self.store = store
        self.payload = payload
        self.poll = poll
        self.streams: set[asyncio.Queue[Event | None]] = set()
        self._task: asyncio.Task[None] | None = None
        self._sent: dict[str, datetime] = {}  # uuid → first_seen, over the overlap window
        self._newest = datetime.now(UTC)

    async def open(self) -> asyncio.Queue[Event | None]:
        """A new stream's queue: it gets what arrives from now on."""
        queue: asyncio.Queue[Event | None] = asyncio.Queue(BACKLOG)
        if self._task is None or self._task.done():
            # What arrived before (over the overlap window) counts as sent.
            self._newest = max(self._newest, datetime.now(UTC))
            await asyncio.to_thread(self._read)
            self._task = asyncio.create_task(self._run())
        self.streams.add(queue)
        return queue

    def close(self, queue: asyncio.Queue[Event | None]) -> None:
        self.streams.discard(queue)

    async def _run(self) -> None:
        while self.streams:
            try:
                fresh = await asyncio.to_thread(self._read)
            except NewsdeskError as exc:  # the database is away for a moment: streams stay open
                log.warning("live stream: %s", exc)
                fresh = []
            for article in fresh:
                event = (article, json.dumps(self.payload(article), ensure_ascii=False))
                for queue in list(self.streams):
                    try:
                        queue.put_nowait(event)
                    except asyncio.QueueFull:  # a client that does not read: closed (EventSource reconnects)
                        self.streams.discard(queue)
                        while not queue.empty():
                            queue.get_nowait()
                        queue.put_nowait(None)
            await asyncio.sleep(self.poll)

    def _read(self) -> list[Article]:
        start = self._newest - OVERLAP
        found: list[Article] = []
        after = (start, "")
        while batch := self.store.arrivals(after, 500):
            found += [a for a in batch if a.uuid not in self._sent]
            after = (batch[-1].first_seen or start, batch[-1].uuid)
            if len(batch) < 500:
                break
        for article in found:
            self._sent[article.uuid] = article.first_seen or start
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
        responses={200: {"content": {"text/event-stream": {}}, "description": "`event: article`, data: the article as in /api/articles"},
                   **responses(400)},
    )
    async def stream(
        source: str | None = None, lang: str | None = None, ticker: str | None = None,
        tag: str | None = None, since: When = None, until: When = None,
    ) -> EventSourceResponse:  # fmt: skip
        where = ArticleFilter(source=source, lang=lang, since=aware(since), until=aware(until), ticker=ticker, tag=tag)
        queue = await hub.open()
        return EventSourceResponse(_events(hub, queue, where), ping=15, headers={"x-accel-buffering": "no"})

    return routes


async def _events(hub: Hub, queue: asyncio.Queue[Event | None], where: ArticleFilter) -> AsyncIterator[dict[str, str]]:
    try:
        yield {"event": "ready", "data": "{}"}
        while (event := await queue.get()) is not None:
            article, data = event
            if where.matches(article):
                yield {"event": "article", "id": article.uuid, "data": data}
    finally:
        hub.close(queue)
