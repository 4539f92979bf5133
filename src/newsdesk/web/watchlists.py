"""Watchlists on the web: the admin API (token as for the sources: list, put, delete,
the delivery log; notification URLs masked in every answer), and for a watchlist
marked ``public`` its page (``/watch/NAME/``: one entry per story that alerted it) and
RSS, Atom and JSON Feed."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Body, Depends, Header, HTTPException, Path, Request
from fastapi.responses import HTMLResponse, Response

from newsdesk.config import Settings
from newsdesk.errors import ConfigError
from newsdesk.models import Watchlist
from newsdesk.publish import feeds
from newsdesk.publish.site import FEED_ITEMS, entry, pager
from newsdesk.store import Store
from newsdesk.store.accounts import User
from newsdesk.watch import Watchers, parse_watchlist
from newsdesk.web.feeds import FORMATS, feed_response
from newsdesk.web.me import signed_in
from newsdesk.web.problems import refuse, responses
from newsdesk.web.sources import require_admin

__all__ = ["router"]

Name = Annotated[str, Path(pattern=r"^[a-z0-9][a-z0-9_.-]{0,79}$")]
Token = Annotated[str | None, Header()]


def router(store: Store, settings: Settings, load: Any, render: Any) -> APIRouter:
    """``load(store, settings, enabled_only=False)`` gives the :class:`Watchers` of both
    origins; ``render(template, **values)`` a page of the site."""
    api = APIRouter()

    def public(name: str) -> Watchlist:
        watchlist = everything().watchlists.get(name)
        if watchlist is None or not watchlist.public:
            raise HTTPException(404)
        return watchlist

    @api.get("/watch/{name}/", response_class=HTMLResponse, include_in_schema=False)
    def page(name: str) -> HTMLResponse:
        """A public watchlist's stories, newest alert first."""
        watchlist = public(name)
        entries = [entry(a) for a in store.watchlist_stories(name, 50)]
        return HTMLResponse(
            render(
                "list.html",
                title=f"关注 Watchlist · {watchlist.name}",
                entries=entries,
                pager=pager(f"watch/{name}/", 0, 0),
                feed=f"watch/{name}/",
            )
        )

    def feed(request: Request, name: str, file: str) -> Response:
        watchlist = public(name)
        make, media = FORMATS[file]
        latest = [entry(a) for a in store.watchlist_stories(name, FEED_ITEMS)]
        text = make(
            feeds.Items(
                settings.site_base_url.rstrip("/") + "/", bodies=store.bodies, cap=settings.feeds_content_chars
            ),
            f"watch/{name}/",
            f"{settings.site_title} · {watchlist.name}",
            latest,
        )
        return feed_response(request, text, media)

    def feed_route(file: str) -> Any:
        def route(request: Request, name: str) -> Response:
            return feed(request, name, file)

        return route

    for file in FORMATS:
        api.add_api_route(f"/watch/{{name}}/{file}", feed_route(file), include_in_schema=False)

    def everything() -> Watchers:
        try:
            watchers: Watchers = load(store, settings, enabled_only=False)
            return watchers
        except ConfigError as exc:
            raise HTTPException(400, exc.message) from None

    @api.get(
        "/api/admin/watchlists",
        summary="Watchlists of the settings file and the database (admin token)",
        responses=responses(400, 401, 403),
    )
    def list_watchlists(authorization: Token = None) -> dict[str, Any]:
        require_admin(settings, authorization, store)
        return {"watchlists": [w.as_json() for w in everything().watchlists.values()]}

    @api.put(
        "/api/admin/watchlists/{name}",
        summary="Add or replace a watchlist kept in the database (admin token)",
        responses=responses(400, 401, 403),
    )
    def put_watchlist(
        name: Name, definition: Annotated[dict[str, Any], Body()], authorization: Token = None
    ) -> dict[str, Any]:
        require_admin(settings, authorization, store)
        watchlist = checked(name, definition, settings, secrets=True)
        store.save_watchlist(name, definition)
        return watchlist.as_json()

    @api.delete(
        "/api/admin/watchlists/{name}",
        summary="Remove a watchlist kept in the database (admin token)",
        responses=responses(401, 403, 404),
    )
    def delete_watchlist(name: Name, authorization: Token = None) -> dict[str, Any]:
        require_admin(settings, authorization, store)
        if not store.remove_watchlist(name):
            raise HTTPException(404, f"no watchlist {name!r} in the database")
        return {"removed": name}

    me = Depends(signed_in(store))  # a default, not an annotation: the annotations are strings

    @api.get("/api/me/watchlists", summary="The reader's own watchlists", responses=responses(401))
    def my_watchlists(user: User = me) -> dict[str, Any]:
        mine = {n for n, owner in store.watchlist_owners().items() if owner == user.name}
        return {"watchlists": [w.as_json() for n, w in sorted(everything().watchlists.items()) if n in mine]}

    @api.put("/api/me/watchlists/{name}", summary="Add or replace one of the reader's watchlists",
             responses=responses(400, 401, 403, 409, 413))  # fmt: skip
    def put_mine(name: Name, definition: Annotated[dict[str, Any], Body()], user: User = me) -> dict[str, Any]:
        owners = store.watchlist_owners()
        if name in owners and owners[name] != user.name:
            raise HTTPException(403, f"watchlist {name!r} is someone else's")
        if name not in owners and name in everything().watchlists:
            raise HTTPException(409, f"watchlist {name!r} is the settings file's")
        watchlist = checked(name, definition, settings, secrets=False)
        store.save_watchlist(name, definition, user.name)
        return watchlist.as_json()

    @api.delete("/api/me/watchlists/{name}", summary="Remove one of the reader's watchlists",
                responses=responses(401, 403, 404))  # fmt: skip
    def delete_mine(name: Name, user: User = me) -> dict[str, Any]:
        if store.watchlist_owners().get(name, "") != user.name:
            raise HTTPException(404, f"no watchlist {name!r} of yours")
        store.remove_watchlist(name)
        return {"removed": name}

    # PUT and DELETE are two routes: a 405 from either would name only its own method.
    for path in ("/api/admin/watchlists/{name}", "/api/me/watchlists/{name}"):
        other = ["GET", "POST", "PATCH", "OPTIONS", "TRACE"]
        api.add_api_route(path, refuse("PUT, DELETE"), methods=other, include_in_schema=False)

    @api.get(
        "/api/admin/watchlists/{name}/log",
        summary="The latest alerts of a watchlist (admin token)",
        responses=responses(401, 403),
    )
    def watchlist_log(name: Name, authorization: Token = None) -> dict[str, Any]:
        require_admin(settings, authorization, store)
        keys = ("id", "cluster", "uuid", "created", "state", "attempts", "last_error", "sent")
        return {
            "alerts": [
                {k: str(a[k]) if a[k] is not None and k in ("created", "sent") else a[k] for k in keys}
                for a in store.alert_log(name, 100)
            ]
        }

    return api


def checked(name: str, definition: dict[str, Any], settings: Settings, *, secrets: bool) -> Watchlist:
    """The watchlist ``definition`` makes, its notify targets of the schemes the API allows
    (``alerts.api_schemes``); ``${NAME}`` targets (the operator's secrets) only with
    ``secrets`` (the admin's). HTTPException 400 naming what is wrong."""
    try:
        watchlist = parse_watchlist(name, definition)
    except ConfigError as exc:
        raise HTTPException(400, exc.message) from None
    allowed = settings.alerts_api_schemes.split()
    for target in watchlist.notify:
        if target.startswith("${"):
            if secrets:
                continue
            raise HTTPException(400, "a reader's watchlist names its notify targets itself (no ${NAME})")
        scheme = target.split("://", 1)[0].lower()
        if scheme not in allowed:
            raise HTTPException(
                400, f"notify scheme {scheme[:20]!r} is not one a watchlist defined here may use: {' '.join(allowed)}"
            )
    return watchlist
