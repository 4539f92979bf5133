"""Feeds added by URL, from the web: the JSON API (``/api/subscriptions``: list, add by a
feed's or a page's URL, remove; ``/api/subscriptions/opml``: export, import) and the
``/subscriptions/`` page with its forms (add, remove, paste an OPML file). Anyone signed
in may add a feed; an admin or whoever added it removes it; OPML import is an admin's.
Errors are the API's one shape (``{"error": …}``); nothing is half-written."""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Callable
from typing import Annotated, Any
from urllib.parse import parse_qs, urlencode

from fastapi import APIRouter, Body, Depends, HTTPException, Path, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from pydantic import BaseModel, ConfigDict, Field
from starlette.concurrency import run_in_threadpool
from starlette.responses import Response

from newsdesk.config import Settings
from newsdesk.errors import AuthError, ConfigError, FetchError, NewsdeskError, ParseError
from newsdesk.pipeline.subscribe import export_opml, import_opml, subscribe, unsubscribe
from newsdesk.store import Store
from newsdesk.store.accounts import User
from newsdesk.store.feeds import Subscription
from newsdesk.web.auth import SESSION_COOKIE, session_of
from newsdesk.web.me import signed_in
from newsdesk.web.problems import refuse, responses

__all__ = ["router"]


class NewFeed(BaseModel):
    """A feed to add: its URL (or a page that links it) and its folder."""

    model_config = ConfigDict(extra="forbid")
    url: str = Field(min_length=1, max_length=2000)
    category: str | None = Field(default=None, max_length=100)


def router(store: Store, settings: Settings, render: Callable[..., str]) -> APIRouter:
    api = APIRouter()
    user_dependency = Depends(signed_in(store))

    def listed() -> list[dict[str, Any]]:
        added = store.subscriptions()
        folders = store.feeds(s.name for s in added)
        return [_json(s, folders[s.name].category) for s in added]

    async def add(url: str, category: str | None, user: User) -> Subscription:
        try:
            return await subscribe(store, settings, url, category=category or None, user=user.name)
        except ConfigError as exc:
            raise HTTPException(409 if "already" in exc.message else 400, str(exc)) from None
        except (FetchError, ParseError) as exc:
            raise HTTPException(422, str(exc)) from None

    def remove(name: str, user: User) -> None:
        try:
            unsubscribe(store, name, user.name, admin=user.admin)
        except ConfigError as exc:
            raise HTTPException(404, str(exc)) from None
        except AuthError as exc:
            raise HTTPException(403, str(exc)) from None

    def opml_in(data: bytes, user: User) -> dict[str, int]:
        if not user.admin:
            raise HTTPException(403, "only an admin imports OPML")
        try:
            return import_opml(store, settings, data, "the OPML sent", user.name)
        except NewsdeskError as exc:
            raise HTTPException(400, str(exc)) from None

    @api.get("/api/subscriptions", summary="The feeds added by URL", responses=responses(401))
    def subscriptions(user: User = user_dependency) -> dict[str, Any]:
        return {"subscriptions": listed()}

    @api.post(
        "/api/subscriptions",
        status_code=201,
        summary="Add a feed by its URL or a page that links it",
        responses=responses(400, 401, 403, 409, 413, 422),
    )
    async def added(feed: Annotated[NewFeed, Body()], user: User = user_dependency) -> dict[str, Any]:
        made = await add(feed.url, feed.category, user)
        return _json(made, feed.category)

    @api.get("/api/subscriptions/opml", summary="Every feed source with its folder, as OPML", responses=responses(401))
    def opml_out(user: User = user_dependency) -> Response:
        body = export_opml(store, settings)
        headers = {"content-disposition": 'attachment; filename="newsdesk-feeds.opml"'}
        return Response(body, media_type="text/x-opml; charset=utf-8", headers=headers)

    @api.post(
        "/api/subscriptions/opml",
        summary="Subscribe to every feed of an OPML file",
        responses=responses(400, 401, 403, 413),
    )
    async def opml_posted(request: Request, user: User = user_dependency) -> dict[str, int]:
        data = await request.body()
        return await run_in_threadpool(opml_in, data, user)

    # One path, several routes: a 405 from one would name only its own methods.
    for path, allowed in (("/api/subscriptions", "GET, POST"), ("/api/subscriptions/opml", "GET, POST")):
        unsupported = [m for m in ("PUT", "PATCH", "DELETE", "OPTIONS", "TRACE") if m not in allowed]
        api.add_api_route(path, refuse(allowed), methods=unsupported, include_in_schema=False)

    @api.delete(
        "/api/subscriptions/{name}",
        status_code=204,
        summary="Remove a feed added by URL",
        responses=responses(401, 403, 404),
    )
    def removed(name: Annotated[str, Path(max_length=80)], user: User = user_dependency) -> Response:
        remove(name, user)
        return Response(status_code=204)

    other = ["GET", "POST", "PUT", "PATCH", "OPTIONS", "TRACE"]
    api.add_api_route("/api/subscriptions/{name}", refuse("DELETE"), methods=other, include_in_schema=False)

    def page_user(request: Request) -> tuple[User, str] | None:
        return session_of(store, request.cookies.get(SESSION_COOKIE))

    @api.get("/subscriptions/", response_class=HTMLResponse, include_in_schema=False)
    def page(request: Request, done: str = "", error: str = "", sig: str = "") -> Response:
        session = page_user(request)
        if session is None:
            return RedirectResponse("/login?next=/subscriptions/", status_code=303)
        if not hmac.compare_digest(sig, _signed(session[1], done + "\0" + error)):
            done = error = ""  # only the server's own messages, never text a link carries
        html = render(
            "subscriptions.html",
            title=f"{settings.site_title} · 订阅 Feeds",
            feeds=listed(),
            user=session[0],
            form_token=session[1],
            done=done[:300],
            error=error[:300],
        )
        return HTMLResponse(html)

    @api.post("/subscriptions/{action}", include_in_schema=False)
    async def form(request: Request, action: str) -> Response:
        session = page_user(request)
        fields = {k: v[0] for k, v in parse_qs((await request.body()).decode("utf-8", "replace")).items()}
        if session is None or not hmac.compare_digest(fields.get("form_token", ""), session[1]):
            raise HTTPException(403, "这个表单已过期 The form expired: reload the page and try again.")
        user = session[0]
        try:
            if action == "add":
                made = await add(fields.get("url", ""), fields.get("category"), user)
                message = f"subscribed: {made.title}"
            elif action == "remove":
                await run_in_threadpool(remove, fields.get("name", ""), user)
                message = f"removed: {fields.get('name', '')}"
            elif action == "opml":
                done = await run_in_threadpool(opml_in, fields.get("opml", "").encode("utf-8"), user)
                message = f"{done['added']} feeds added, {done['known']} already sources"
            else:
                raise HTTPException(404, "no such form")
        except HTTPException as exc:
            if exc.status_code == 404 and action not in ("add", "remove", "opml"):
                raise
            return _back(session[1], error=str(exc.detail)[:300])
        return _back(session[1], done=message[:300])

    return api


def _signed(key: str, message: str) -> str:
    return hmac.new(key.encode(), message.encode(), hashlib.sha256).hexdigest()[:32]


def _back(key: str, *, done: str = "", error: str = "") -> RedirectResponse:
    """To the page, saying ``done`` or ``error``, signed with the session's form token."""
    query = urlencode({"done": done, "error": error, "sig": _signed(key, done + "\0" + error)})
    return RedirectResponse(f"/subscriptions/?{query}", status_code=303)


def _json(subscription: Subscription, category: str | None) -> dict[str, Any]:
    return {
        "name": subscription.name,
        "title": subscription.title,
        "url": subscription.url,
        "site": subscription.site,
        "category": category,
        "added_by": subscription.added_by,
        "created": subscription.created.isoformat() if subscription.created else None,
    }
