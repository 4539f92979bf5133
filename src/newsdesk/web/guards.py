"""What every request passes before a route sees it: HEAD answered as GET without
the body, admin routes' token checked before their body is read, and every body
read against a cap (413 past it) before the app gets any of it.

A plain ASGI middleware: a route never reads an unbounded body, and an unauthorized
client never makes the server read one (an 86 MB PUT without a token used to be read
and parsed before its 401).
"""

from __future__ import annotations

import json

from starlette.concurrency import run_in_threadpool
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from newsdesk.config import Settings
from newsdesk.store import Store
from newsdesk.web.sources import admin_problem

__all__ = ["BODY_CAPS", "DEFAULT_BODY_CAP", "Guards"]

DEFAULT_BODY_CAP = 65_536
# Path prefix → the largest body it takes (a watchlist is a few KB, the sources form well under).
BODY_CAPS = (
    ("/api/admin/watchlists/", 16_384),
    ("/sources/", 16_384),
    ("/reader/api/0/", 1_000_000),  # an edit-tag of a few thousand item ids
    ("/api/subscriptions/opml", 5_000_000),  # newsdesk.sources.opml.MAX_BYTES
    ("/subscriptions/opml", 16_000_000),  # the same, form-encoded
)
_ADMIN = "/api/admin/"


def body_cap(path: str) -> int:
    return next((cap for prefix, cap in BODY_CAPS if path.startswith(prefix)), DEFAULT_BODY_CAP)


class Guards:
    def __init__(self, app: ASGIApp, settings: Settings, store: Store | None = None) -> None:
        self.app = app
        self.settings = settings
        self.store = store  # admin users' API tokens open the admin routes too

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path: str = scope["path"]
        if scope["method"] == "HEAD":
            await self.app({**scope, "method": "GET"}, *_headless(receive, send))
            return
        if path.startswith(_ADMIN):
            authorization = _header(scope, b"authorization")
            problem = await run_in_threadpool(admin_problem, self.settings, authorization, self.store)
            if problem:
                await _answer(send, path, *problem)
                return
        if scope["method"] in ("GET", "DELETE", "OPTIONS"):
            await self.app(scope, receive, send)
            return
        cap = body_cap(path)
        declared = _header(scope, b"content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > cap):
            await _answer(send, path, 413, f"the request body is over {cap:,} bytes")
            return
        body = await _read(receive, cap)
        if body is None:
            await _answer(send, path, 413, f"the request body is over {cap:,} bytes")
            return
        await self.app(scope, _replay(body, receive), send)


def _header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope.get("headers", ()):
        if key.lower() == name:
            return str(value.decode("latin-1")).strip()
    return None


async def _read(receive: Receive, cap: int) -> bytes | None:
    """The whole body, or None once it passes ``cap`` (nothing more is read)."""
    body = bytearray()
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            return bytes(body)
        body += message.get("body", b"")
        if len(body) > cap:
            return None
        if not message.get("more_body", False):
            return bytes(body)


def _replay(body: bytes, receive: Receive) -> Receive:
    sent = False

    async def replay() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return replay


def _headless(receive: Receive, send: Send) -> tuple[Receive, Send]:
    """``receive`` and ``send`` of a HEAD answered by a GET route: headers as the GET's,
    no body; a stream is told the client left once its headers are out."""
    started = done = False

    async def headless_send(message: Message) -> None:
        nonlocal started, done
        if message["type"] == "http.response.start":
            started = True
            await send(message)
        elif message["type"] == "http.response.body" and not done:
            done = True
            await send({"type": "http.response.body", "body": b"", "more_body": False})

    async def headless_receive() -> Message:
        if done:
            return {"type": "http.disconnect"}
        return await receive()

    return headless_receive, headless_send


async def _answer(send: Send, path: str, status: int, message: str) -> None:
    body = json.dumps({"error": message}, ensure_ascii=False).encode()
    headers = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
    if status == 401:
        headers.append((b"www-authenticate", b"Bearer"))
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})
