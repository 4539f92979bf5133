"""Web stage: the pages and JSON API that ``newsdesk serve`` runs (FastAPI)."""

from __future__ import annotations

import asyncio
import socket

from fastapi import FastAPI
from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

from newsdesk import heap
from newsdesk.config import Settings
from newsdesk.store import Store
from newsdesk.web import stories
from newsdesk.web.app import create_app

__all__ = ["NoDelayProtocol", "app_for", "create_app", "served_app"]


def app_for(db: str, settings: Settings) -> FastAPI:
    """The app of a worker process of ``newsdesk serve --workers N`` (each opens the store)."""
    return served_app(Store(db, mapped=True), settings)


def served_app(store: Store, settings: Settings) -> FastAPI:
    """The app ``newsdesk serve`` runs, its startup heap set aside from garbage collection.

    What is made at startup (modules, the catalog, templates) lives as long as the
    process; frozen, the collector's full passes no longer walk it each time a request
    makes many objects — those passes were the 50 ms tail of a 1,000-item reader-app
    answer (p99 76 → 31 ms, docs/benchmarks.md)."""
    app = create_app(store, settings)
    heap.set_aside()
    stories.set_aside_rankings()
    return app


class NoDelayProtocol(HttpToolsProtocol):
    """uvicorn's HTTP/1.1 protocol (the httptools parser: the pure-Python h11 parser
    cost a third of a cached page's time) with TCP_NODELAY on every connection.

    With ``--workers`` uvicorn binds the socket itself, without the protocol
    number asyncio looks for before it disables Nagle's algorithm; a response
    written as headers then body then waited for the client's delayed ACK:
    every keep-alive request took 40 ms.
    """

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        sock = transport.get_extra_info("socket")
        if sock is not None and sock.family in (socket.AF_INET, socket.AF_INET6):
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        super().connection_made(transport)  # type: ignore[arg-type]
