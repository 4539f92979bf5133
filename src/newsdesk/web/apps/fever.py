"""The Fever API (``/fever/?api``), as Fever clients (Reeder, Unread, FeedMe …) speak it:
every request carries ``api_key`` = md5 of ``name:app password``; the answer is one JSON
object with ``api_version`` 3, ``auth`` (0: not signed in) and what was asked — groups,
feeds, favicons (none), items (50 at a time by ``since_id``/``max_id``/``with_ids``),
links (none), unread and saved item ids — after any ``mark`` (item read, unread, saved,
unsaved; a feed or group read ``before`` a time). Group 0 is every feed."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any
from urllib.parse import parse_qs

from fastapi import APIRouter, Request
from starlette.concurrency import run_in_threadpool
from starlette.responses import Response

from newsdesk.store.accounts import User
from newsdesk.store.apps import Stream
from newsdesk.web.apps.streams import Desk

__all__ = ["PAGE", "router"]

PAGE = 50  # items an answer carries, as Fever does
_MOST_FIELDS = 200


def router(desk: Desk) -> APIRouter:
    api = APIRouter(include_in_schema=False)

    @api.api_route("/fever/", methods=["GET", "POST"], include_in_schema=False)
    async def fever(request: Request) -> Response:
        try:
            fields = parse_qs(request.url.query, keep_blank_values=True, max_num_fields=_MOST_FIELDS)
            if request.method == "POST":
                body = (await request.body()).decode("utf-8", "replace")
                fields.update(parse_qs(body, keep_blank_values=True, max_num_fields=_MOST_FIELDS))
        except ValueError:
            return _json({"api_version": 3, "auth": 0, "error": f"more than {_MOST_FIELDS} fields"}, 400)
        flat = {key: values[0] for key, values in fields.items()}
        if "api" not in flat:
            return _json({"api_version": 3, "auth": 0, "error": "the Fever API is at /fever/?api"}, 400)
        client = request.client.host if request.client else "unknown"
        if desk.signin.blocked(client, ""):
            return _json({"api_version": 3, "auth": 0, "error": "too many failed attempts: wait"}, 429)
        user = await run_in_threadpool(desk.signin.of_fever_key, client, flat.get("api_key", ""))
        if user is None:
            return _json({"api_version": 3, "auth": 0})
        try:
            return _json(await run_in_threadpool(answer, desk, user, flat))
        except ValueError as exc:
            return _json({"api_version": 3, "auth": 1, "error": str(exc)}, 400)

    return api


def answer(desk: Desk, user: User, fields: dict[str, str]) -> dict[str, Any]:
    """What a Fever request asks, after its ``mark``."""
    if "mark" in fields:
        _mark(desk, user, fields)
    body: dict[str, Any] = {"api_version": 3, "auth": 1, "last_refreshed_on_time": int(datetime.now(UTC).timestamp())}
    if "groups" in fields or "feeds" in fields:
        body.update(_feeds(desk, groups="groups" in fields, feeds="feeds" in fields))
    if "favicons" in fields:
        body["favicons"] = []
    if "links" in fields:
        body["links"] = []
    if "items" in fields:
        body.update(_items(desk, user, fields))
    for key, state in (("unread_item_ids", "unread"), ("saved_item_ids", "starred")):
        if key in fields:
            stream = (
                Stream(state=state).muting(desk.store.preferences(user.name))
                if state == "unread"
                else Stream(state=state)
            )
            numbers = desk.store.stream_numbers(user.name, stream, 1_000_000)
            body[key] = ",".join(map(str, sorted(numbers)))
    return body


def _feeds(desk: Desk, *, groups: bool, feeds: bool) -> dict[str, Any]:
    all_feeds = desk.feeds()
    folders = desk.store.categories()
    newest = {name: when for name, _, when in desk.store.source_counts()}
    body: dict[str, Any] = {}
    if groups:
        body["groups"] = [{"id": number, "title": name} for name, number in sorted(folders.items())]
    if feeds:
        body["feeds"] = [
            {
                "id": f.id,
                "favicon_id": 0,
                "title": f.title,
                "url": f.url,
                "site_url": f.site or f.url,
                "is_spark": 0,
                "last_updated_on_time": int(newest[f.name].timestamp()) if f.name in newest else 0,
            }
            for f in all_feeds
        ]
    members: dict[int, list[str]] = {}
    for f in all_feeds:
        if f.category in folders:
            members.setdefault(folders[f.category], []).append(str(f.id))
    body["feeds_groups"] = [{"group_id": g, "feed_ids": ",".join(ids)} for g, ids in sorted(members.items())]
    return body


def _items(desk: Desk, user: User, fields: dict[str, str]) -> dict[str, Any]:
    store = desk.store
    unmuted = Stream().muting(store.preferences(user.name))  # asked by number (with_ids): given as asked
    if fields.get("with_ids"):
        found = store.numbered([_number(x, "with_ids") for x in fields["with_ids"].split(",")[:PAGE]])
    elif fields.get("max_id"):
        found = store.since_number(user.name, _number(fields["max_id"], "max_id"), PAGE, before=True, stream=unmuted)
    else:
        found = store.since_number(user.name, _number(fields.get("since_id") or "0", "since_id"), PAGE, stream=unmuted)
    states = store.states(user.name, [a.uuid for _, a in found])
    ids = {f.name: f.id for f in desk.feeds()}
    items = [
        {
            "id": number,
            "feed_id": ids.get(a.source, 0),
            "title": a.title,
            "author": a.author or "",
            "html": a.html or a.summary,
            "url": a.link,
            "is_saved": int(states.get(a.uuid, (False, False))[1]),
            "is_read": int(states.get(a.uuid, (False, False))[0]),
            "created_on_time": int(a.published.timestamp()),
        }
        for number, a in found
    ]
    return {"items": items, "total_items": store.count()}


def _mark(desk: Desk, user: User, fields: dict[str, str]) -> None:
    kind, state, number = fields.get("mark"), fields.get("as"), _number(fields.get("id", ""), "id")
    store = desk.store
    if kind == "item":
        changes = {"read": {"read": True}, "unread": {"read": False}, "saved": {"starred": True}}
        change = changes.get(state or "", {"starred": False} if state == "unsaved" else None)
        if change is None:
            raise ValueError("as: read, unread, saved or unsaved")
        uuids = list(store.uuids_of([number]).values())
        if uuids:
            store.mark(user.name, uuids, **change)
        return
    if kind not in ("feed", "group") or state != "read":
        raise ValueError("mark: item, or feed / group with as=read")
    before = fields.get("before", "")
    seen_by = datetime.fromtimestamp(min(_number(before, "before"), 32503680000), UTC) if before else None
    if kind == "feed":
        names = store.feed_names([number]) if 0 < number < 1 << 31 else {}
        if not names:
            raise ValueError(f"no feed {number}")
        sources: tuple[str, ...] | None = tuple(names.values())
    elif number in (0, -1):
        sources = None if number == 0 else ()
    else:
        folder = {v: k for k, v in store.categories().items()}.get(number)  # a dict: any number is safe
        if folder is None:
            raise ValueError(f"no group {number}")
        sources = tuple(f.name for f in desk.feeds() if f.category == folder)
    store.mark_stream(user.name, Stream(sources=sources, seen_by=seen_by))


def _number(text: str, field: str) -> int:
    text = text.strip()
    if not text.lstrip("-").isdigit() or len(text) > 19:
        raise ValueError(f"{field}: a whole number")
    return int(text)


def _json(body: dict[str, Any], status: int = 200) -> Response:
    return Response(json.dumps(body, ensure_ascii=False), status, media_type="application/json")
