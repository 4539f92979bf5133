"""The Google Reader API's changes to the desk's feeds: subscribe (by feed or page URL),
quickadd, unsubscribe (a feed added by URL: by an admin or whoever added it), folders
(``ac=edit`` with ``a``/``r`` labels, rename-tag, disable-tag: an admin's). Feeds and
folders are the desk's, shared by its users; read state is each user's own."""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from typing import Any

from fastapi import Request
from starlette.concurrency import run_in_threadpool
from starlette.responses import Response

from newsdesk.errors import AuthError, NewsdeskError
from newsdesk.pipeline.subscribe import subscribe, unsubscribe
from newsdesk.store.accounts import User
from newsdesk.web.apps.streams import LABEL, Desk, Feed, Fields, one, text

__all__ = ["edit", "listed", "quickadd", "rename_tag"]


def listed(feed: Feed) -> dict[str, Any]:
    """A feed as ``subscription/list`` gives it."""
    folders = [{"id": f"user/-/label/{feed.category}", "label": feed.category}] if feed.category else []
    return {
        "id": f"feed/{feed.name}",
        "title": feed.title,
        "categories": folders,
        "sortid": f"{feed.id:08X}",
        "firstitemmsec": "0",
        "url": feed.url,
        "htmlUrl": feed.site or feed.url,
        "iconUrl": "",
    }


def edit(desk: Desk) -> Callable[[User, Fields, Request], Awaitable[Response]]:
    async def handler(user: User, fields: Fields, request: Request) -> Response:
        action, stream_id = one(fields, "ac"), one(fields, "s")
        if not stream_id.startswith("feed/"):
            return text("s: feed/… (a feed's id, or feed/URL to subscribe)", 400)
        folder = _label(one(fields, "a"))
        if action == "subscribe":
            added = await subscribe(desk.store, desk.settings, stream_id[5:], category=folder, user=user.name)
            desk.changed()
            return text("OK" if added else "")
        feed = desk.feed(stream_id[5:])
        if feed is None:
            return text(f"no feed {stream_id[5:200]!r}", 404)
        if action == "unsubscribe":
            return await run_in_threadpool(_unsubscribe, desk, user, feed)
        if action != "edit":
            return text("ac: subscribe, unsubscribe or edit", 400)
        if not user.admin:
            return text("only an admin files the desk's feeds in folders", 403)
        if folder or _label(one(fields, "r")):
            await run_in_threadpool(desk.store.set_category, feed.name, folder)
            desk.changed()
        return text("OK")

    return handler


def quickadd(desk: Desk) -> Callable[[User, Fields, Request], Awaitable[Response]]:
    async def handler(user: User, fields: Fields, request: Request) -> Response:
        url = one(fields, "quickadd").removeprefix("feed/")
        try:
            added = await subscribe(desk.store, desk.settings, url, user=user.name)
        except NewsdeskError as exc:
            body = {"numResults": 0, "query": url[:200], "error": str(exc)}
            return Response(json.dumps(body, ensure_ascii=False), 400, media_type="application/json")
        desk.changed()
        body = {"numResults": 1, "query": url, "streamId": f"feed/{added.name}", "streamName": added.title}
        return Response(json.dumps(body, ensure_ascii=False), media_type="application/json")

    return handler


def rename_tag(desk: Desk, *, disable: bool = False) -> Callable[[User, Fields, Request], Response]:
    def handler(user: User, fields: Fields, request: Request) -> Response:
        if not user.admin:
            return text("only an admin renames the desk's folders", 403)
        old = _label(one(fields, "s")) or one(fields, "t")
        new = None if disable else _label(one(fields, "dest"))
        if not old or (not disable and not new):
            return text("s=user/-/label/OLD and dest=user/-/label/NEW", 400)
        desk.store.rename_category(old, new)
        desk.changed()
        return text("OK")

    return handler


def _unsubscribe(desk: Desk, user: User, feed: Feed) -> Response:
    try:
        unsubscribe(desk.store, feed.name, user.name, admin=user.admin)
    except AuthError as exc:
        return text(str(exc), 403)
    desk.changed()
    return text("OK")


def _label(stream_id: str) -> str | None:
    found = LABEL.fullmatch(stream_id.strip())
    return found[1] if found else None
