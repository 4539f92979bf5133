"""The time to answer each request, by route template (``/tags/{slug}/``, not the path:
a label per tag would have no end), method and status: ``newsdesk_http_request_seconds``.
A plain ASGI middleware, like :mod:`.headers`."""

from __future__ import annotations

import time

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from newsdesk import telemetry

__all__ = ["RequestTiming"]


class RequestTiming:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = [500]

        async def noting_status(message: Message) -> None:
            if message["type"] == "http.response.start":
                status[0] = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, noting_status)
        finally:
            route = getattr(scope.get("route"), "path", None) or "(no route)"
            telemetry.REQUEST_LATENCY.labels(route, scope["method"], str(status[0])).observe(
                time.perf_counter() - started
            )
