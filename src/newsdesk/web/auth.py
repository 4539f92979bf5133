"""Signing in: who a request is, the login and logout pages, and — when reading is not
public (``web.public = false``) — the door every other page and API route is behind.

A request is a user's when it carries ``Authorization: Bearer`` with one of their API
tokens, or the cookie of a session opened at ``/login`` (HttpOnly, SameSite=Lax, Secure
over HTTPS; the store keeps its digest and the session's form token). The login form
carries a form token matched against a cookie of its own (double submit), the logout
form the session's; a form without the right one is refused (403) before anything else.
Failed logins are counted by client address and by name: after :data:`MAX_FAILURES`
within :data:`FAILURE_WINDOW` the next ones are refused (429) until the window passes,
right password or not. Passwords, tokens and cookies never appear in an answer or log.
"""

from __future__ import annotations

import functools
import hmac
import secrets
import time
from collections import OrderedDict, deque
from collections.abc import Callable
from datetime import timedelta
from urllib.parse import parse_qs, quote

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool
from starlette.types import ASGIApp, Receive, Scope, Send

from newsdesk import accounts
from newsdesk.config import Settings
from newsdesk.store import Store
from newsdesk.store.accounts import User
from newsdesk.web.sources import admin_problem

__all__ = ["FAILURE_WINDOW", "MAX_FAILURES", "SESSION_COOKIE", "Door", "Failures", "router", "session_of", "user_of"]

SESSION_COOKIE = "newsdesk_session"
FORM_COOKIE = "newsdesk_form"
MAX_FAILURES = 5
FAILURE_WINDOW = 900.0  # seconds
# Open doors: the login, the assets, the metrics; reader apps sign in their own way (web.apps).
_OPEN = (
    "/login", "/logout", "/style.css", "/site.js", "/favicon.ico", "/robots.txt", "/metrics",
    "/accounts/ClientLogin", "/reader/", "/fever/",
)  # fmt: skip


def user_of(store: Store, authorization: str | None, cookie: str | None) -> User | None:
    """The user a request's Bearer API token or session cookie belongs to, or None."""
    scheme, _, token = (authorization or "").partition(" ")
    if scheme.lower() == "bearer" and token.strip():
        found = store.token_user(accounts.digest(token), "api")
        if found:
            return found
    session = session_of(store, cookie)
    return session[0] if session else None


def session_of(store: Store, cookie: str | None) -> tuple[User, str] | None:
    """The user of a session cookie and the session's form token, or None."""
    return store.session(accounts.digest(cookie)) if cookie else None


class Failures:
    """Failed logins by key (a client address, a name), the last hour's, bounded in keys."""

    def __init__(self, most_keys: int = 10_000) -> None:
        self._seen: OrderedDict[str, deque[float]] = OrderedDict()
        self.most_keys = most_keys

    def blocked(self, *keys: str) -> float:
        """Seconds until a login under ``keys`` may be tried again (0: now)."""
        now, wait = time.monotonic(), 0.0
        for key in keys:
            times = self._seen.get(key)
            while times and now - times[0] > FAILURE_WINDOW:
                times.popleft()
            if times and len(times) >= MAX_FAILURES:
                wait = max(wait, FAILURE_WINDOW - (now - times[0]))
        return wait

    def add(self, *keys: str) -> None:
        for key in keys:
            self._seen.setdefault(key, deque(maxlen=MAX_FAILURES)).append(time.monotonic())
            self._seen.move_to_end(key)
        while len(self._seen) > self.most_keys:
            self._seen.popitem(last=False)


def router(store: Store, settings: Settings, render: Callable[..., str]) -> APIRouter:
    """``/login`` (GET: the form; POST: sign in) and ``/logout`` (POST)."""
    pages = APIRouter()
    failures = Failures()

    def form_page(request: Request, status: int = 200, error: str = "", next_path: str = "/") -> HTMLResponse:
        token = request.cookies.get(FORM_COOKIE) or secrets.token_urlsafe(24)
        session = session_of(store, request.cookies.get(SESSION_COOKIE))
        html = render(
            "login.html",
            title=f"{settings.site_title} · 登录 Log in",
            form_token=token,
            error=error,
            next_path=next_path,
            user=session[0] if session else None,
            logout_token=session[1] if session else "",
        )
        page = HTMLResponse(html, status_code=status)
        page.set_cookie(FORM_COOKIE, token, httponly=True, samesite="strict", secure=request.url.scheme == "https")
        return page

    @pages.get("/login", response_class=HTMLResponse, include_in_schema=False)
    def login_form(request: Request, next: str = "/") -> HTMLResponse:  # noqa: A002 - the query's name
        return form_page(request, next_path=_local(next))

    @pages.post("/login", include_in_schema=False)
    async def login(request: Request) -> Response:
        form = parse_qs((await request.body()).decode("utf-8", "replace"))  # capped by web.guards
        field = {name: (values or [""])[0] for name, values in form.items()}
        expected = request.cookies.get(FORM_COOKIE, "")
        if not expected or not hmac.compare_digest(field.get("form_token", ""), expected):
            return form_page(request, 403, "这个表单已过期 The form expired: try again.")
        name, password, next_path = field.get("name", "").strip(), field.get("password", ""), _local(field.get("next"))
        client = request.client.host if request.client else "unknown"
        wait = failures.blocked(f"ip:{client}", f"name:{name}")
        if wait:
            page = form_page(request, 429, f"尝试次数过多 Too many failed logins: wait {int(wait // 60) + 1} minutes.")
            page.headers["retry-after"] = str(int(wait) + 1)
            return page
        user = store.user(name) if accounts.NAME.fullmatch(name) else None
        if not accounts.verify_password(user.password if user else _dummy(), password) or user is None:
            failures.add(f"ip:{client}", f"name:{name}")
            return form_page(request, 401, "用户名或密码错误 Wrong name or password.", next_path)
        token = secrets.token_urlsafe(32)
        lasts = timedelta(days=settings.web_session_days)
        store.open_session(user.name, accounts.digest(token), secrets.token_urlsafe(24), lasts)
        answer = RedirectResponse(next_path, status_code=303)
        answer.set_cookie(
            SESSION_COOKIE,
            token,
            max_age=int(lasts.total_seconds()),
            httponly=True,
            samesite="lax",
            secure=request.url.scheme == "https",
        )
        return answer

    @pages.post("/logout", include_in_schema=False)
    async def logout(request: Request) -> Response:
        form = parse_qs((await request.body()).decode("utf-8", "replace"))
        cookie = request.cookies.get(SESSION_COOKIE, "")
        session = session_of(store, cookie)
        if session is None or not hmac.compare_digest((form.get("form_token") or [""])[0], session[1]):
            return form_page(request, 403, "这个表单已过期 The form expired: try again.")
        store.close_session(accounts.digest(cookie))
        answer = RedirectResponse("/", status_code=303)
        answer.delete_cookie(SESSION_COOKIE)
        return answer

    return pages


@functools.cache
def _dummy() -> str:
    """A hash to check an unknown name's password against: a failed login costs the same
    time whether the name exists or not."""
    return accounts.hash_password(secrets.token_urlsafe(16))


def _local(path: str | None) -> str:
    """Where to go after signing in: a path of this site only (never ``//host`` or a URL)."""
    if not path or not path.startswith("/") or path.startswith("//") or "\\" in path or "\n" in path:
        return "/"
    return path[:500]


class Door:
    """When reading is not public, every request but the login's and the assets' needs a
    user (or, on the admin routes, the admin token): pages are sent to ``/login``, API
    routes answered 401."""

    def __init__(self, app: ASGIApp, store: Store, settings: Settings) -> None:
        self.app, self.store, self.settings = app, store, settings

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or self.settings.web_public or scope["path"].startswith(_OPEN):
            await self.app(scope, receive, send)
            return
        request = Request(scope)
        authorization = request.headers.get("authorization")
        admin = bool(authorization) and admin_problem(self.settings, authorization, self.store) is None
        cookie = request.cookies.get(SESSION_COOKIE)
        user = None if admin else await run_in_threadpool(user_of, self.store, authorization, cookie)
        if admin or user is not None:
            await self.app(scope, receive, send)
            return
        path = scope["path"]
        if path.startswith("/api/"):
            answer: Response = Response(
                '{"error": "sign in: a Bearer API token (newsdesk user token add NAME)"}',
                status_code=401,
                media_type="application/json",
                headers={"www-authenticate": "Bearer"},
            )
        else:
            query = scope.get("query_string", b"").decode("latin-1")
            answer = RedirectResponse(f"/login?next={quote(path + ('?' + query if query else ''))}", status_code=303)
        await answer(scope, receive, send)
