"""Security headers on every answer: a CSP that allows no inline script (the API docs
pages excepted: Swagger UI and ReDoc start with one), nosniff, no framing, a strict
referrer policy. A plain ASGI middleware: it adds the headers as the response starts,
without the per-request cost of Starlette's ``BaseHTTPMiddleware``."""

from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send

__all__ = ["CSP", "DOCS_CSP", "SecurityHeaders"]

# No inline script anywhere (site.js and live.js are files); images from any https host
# (articles' thumbnails).
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' https: data:; "
    "connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
)
DOCS_CSP = (
    "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' https: data:; worker-src 'self' blob:; frame-ancestors 'none'"
)
_DOCS = frozenset(("/docs", "/redoc", "/docs/oauth2-redirect"))


def _headers(csp: str) -> list[tuple[bytes, bytes]]:
    return [
        (b"content-security-policy", csp.encode()),
        (b"x-content-type-options", b"nosniff"),
        (b"x-frame-options", b"DENY"),
        (b"referrer-policy", b"strict-origin-when-cross-origin"),
    ]


_PAGES, _DOCS_PAGES = _headers(CSP), _headers(DOCS_CSP)


class SecurityHeaders:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        extra = _DOCS_PAGES if scope["path"] in _DOCS else _PAGES

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                present = {name.lower() for name, _ in message.get("headers", [])}
                message["headers"] = [*message.get("headers", []), *(h for h in extra if h[0] not in present)]
            await send(message)

        await self.app(scope, receive, send_with_headers)
