"""The Google Reader API, in the dialect FreshRSS and Miniflux serve: ``ClientLogin``
with a user's name and app password, then ``Authorization: GoogleLogin auth=…`` on
``/reader/api/0/…`` (token, user-info, subscription list/edit/quickadd, tag list,
rename/disable tag, unread-count, stream contents and item ids with ``xt``/``it``/``ot``/
``nt``/``r``/``c``, items contents, edit-tag, mark-all-as-read) and the Atom stream
``/reader/atom/STREAM`` that newsboat reads. JSON whatever ``output`` says; errors are
short plain text with the status (401 carries ``X-Reader-Google-Bad-Token``)."""

from __future__ import annotations

import inspect
import json
import re
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any
from urllib.parse import parse_qs

from fastapi import APIRouter, Request
from starlette.concurrency import run_in_threadpool
from starlette.responses import Response

from newsdesk.errors import NewsdeskError
from newsdesk.store.accounts import User
from newsdesk.store.apps import Stream
from newsdesk.web.apps import subscriptions
from newsdesk.web.apps.items import atom, item, usec
from newsdesk.web.apps.streams import Desk, Fields, StreamError, item_id, one, text

__all__ = ["MOST_FIELDS", "router"]

MOST_FIELDS = 20_000  # form and query fields one request may carry (item ids of an edit-tag)
Handler = Callable[..., Any]  # (user, fields, request) → Response, or its awaitable


def router(desk: Desk) -> APIRouter:
    api = APIRouter(include_in_schema=False)
    store = desk.store

    def route(path: str, methods: list[str], handler: Handler, *, signed: bool = True) -> None:
        async def endpoint(request: Request) -> Response:
            try:
                fields = await _fields(request)
            except ValueError:
                return text(f"more than {MOST_FIELDS} fields", 400)
            if not signed:
                return await run_in_threadpool(handler, None, fields, request)
            signin = await run_in_threadpool(desk.signin.of_header, request.headers.get("authorization"))
            sent = one(fields, "T")
            if signin is None or (request.method == "POST" and sent and sent != signin[1]):
                return text("Unauthorized", 401, {"x-reader-google-bad-token": "true"})
            request.state.token = signin[1]
            try:
                if inspect.iscoroutinefunction(handler):
                    return await handler(signin[0], fields, request)  # type: ignore[no-any-return]
                return await run_in_threadpool(handler, signin[0], fields, request)
            except (StreamError, NewsdeskError) as exc:
                return text(str(exc), 400)

        api.add_api_route(path, endpoint, methods=methods, include_in_schema=False)

    def client_login(_: None, fields: Fields, request: Request) -> Response:
        client = request.client.host if request.client else "unknown"
        name, password = one(fields, "Email"), one(fields, "Passwd")
        wait = desk.signin.blocked(client, name.strip().lower())
        if wait:
            return text("Error=TooManyAttempts", 429, {"retry-after": str(int(wait) + 1)})
        auth = desk.signin.client_login(client, name, password)
        if auth is None:
            return text("Error=BadAuthentication", 401)
        if one(fields, "output") == "json":
            return _json({"SID": auth, "LSID": auth, "Auth": auth})
        return text(f"SID={auth}\nLSID={auth}\nAuth={auth}\n")

    def token(user: User, fields: Fields, request: Request) -> Response:
        return text(request.state.token)

    def user_info(user: User, fields: Fields, request: Request) -> Response:
        return _json({"userId": user.name, "userName": user.name, "userProfileId": user.name, "userEmail": ""})

    def subscription_list(user: User, fields: Fields, request: Request) -> Response:
        return _json({"subscriptions": [subscriptions.listed(feed) for feed in desk.feeds()]})

    def tag_list(user: User, fields: Fields, request: Request) -> Response:
        tags: list[dict[str, Any]] = [{"id": "user/-/state/com.google/starred"}]
        folders = sorted({f.category for f in desk.feeds() if f.category})
        tags += [{"id": f"user/-/label/{name}", "label": name, "type": "folder"} for name in folders]
        return _json({"tags": tags})

    def unread_count(user: User, fields: Fields, request: Request) -> Response:
        feeds = {f.name: f for f in desk.feeds()}
        counts: dict[str, list[int]] = {}
        found = store.unread_counts(user.name, store.preferences(user.name), desk.totals())
        for name, (unread, newest) in found.items():
            feed = feeds.get(name)
            keys = [f"feed/{name}", "user/-/state/com.google/reading-list"]
            keys += [f"user/-/label/{feed.category}"] if feed and feed.category else []
            for key in keys:
                count = counts.setdefault(key, [0, 0])
                count[0], count[1] = count[0] + unread, max(count[1], usec(newest))
        rows = [{"id": k, "count": n, "newestItemTimestampUsec": str(t)} for k, (n, t) in counts.items()]
        total = counts.get("user/-/state/com.google/reading-list", [0])[0]
        return _json({"max": total, "unreadcounts": rows})

    def stream_contents(user: User, fields: Fields, request: Request) -> Response:
        stream_id = request.path_params.get("stream_id") or one(fields, "s") or "user/-/state/com.google/reading-list"
        entries, more = _page(user, fields, stream_id, 20, 1000)
        body: dict[str, Any] = {
            "direction": "ltr",
            "id": stream_id,
            "title": _title(stream_id),
            "self": [{"href": str(request.url)}],
            "updated": int(datetime.now(UTC).timestamp()),
            "items": [item(*entry) for entry in entries],
        }
        if more:
            body["continuation"] = more
        return _json(body)

    def atom_stream(user: User, fields: Fields, request: Request) -> Response:
        stream_id = request.path_params.get("stream_id") or "user/-/state/com.google/reading-list"
        entries, more = _page(user, fields, stream_id, 20, 1000)
        return Response(atom(stream_id, _title(stream_id), entries, more), media_type="application/atom+xml")

    def item_ids(user: User, fields: Fields, request: Request) -> Response:
        stream = _refined(desk.stream(one(fields, "s") or "user/-/state/com.google/reading-list"), fields)
        stream = stream.muting(store.preferences(user.name))
        limit = _number(fields, "n", 20, 1, 10_000)
        refs = store.stream(user.name, stream, limit + 1, _continuation(one(fields, "c")), bodies=False,
                            oldest_first=one(fields, "r") == "o")  # fmt: skip
        body: dict[str, Any] = {
            "itemRefs": [
                {"id": str(n), "directStreamIds": [f"feed/{a.source}"], "timestampUsec": str(usec(a.first_seen))}
                for n, a, _ in refs[:limit]
            ]
        }
        if len(refs) > limit:
            body["continuation"] = _continuation_of(refs[limit - 1])
        return _json(body)

    def items_contents(user: User, fields: Fields, request: Request) -> Response:
        numbers = [item_id(value) for value in fields.get("i", [])[:1000]]
        found = store.numbered(numbers)
        states = store.states(user.name, [a.uuid for _, a in found])
        feeds = {f.name: f for f in desk.feeds()}
        items = [item(n, a, states.get(a.uuid, (False, False)), feeds.get(a.source)) for n, a in found]
        stream_id = "user/-/state/com.google/reading-list"
        return _json(
            {"direction": "ltr", "id": stream_id, "updated": int(datetime.now(UTC).timestamp()), "items": items}
        )

    def edit_tag(user: User, fields: Fields, request: Request) -> Response:
        numbers = [item_id(value) for value in fields.get("i", [])]
        if not numbers:
            return text("no item (i=…)", 400)
        added, removed = set(fields.get("a", [])), set(fields.get("r", []))
        read = _flag(added, removed, "read", "kept-unread")
        starred = _flag(added, removed, "starred", None)
        uuids = list(store.uuids_of(numbers).values())
        if uuids and (read is not None or starred is not None):
            store.mark(user.name, uuids, read=read, starred=starred)
        return text("OK")

    def mark_all_as_read(user: User, fields: Fields, request: Request) -> Response:
        stream = desk.stream(one(fields, "s") or "user/-/state/com.google/reading-list")
        stamp = one(fields, "ts")
        if stamp:
            if not stamp.isdigit() or len(stamp) > 20:
                return text("ts: microseconds since 1970", 400)
            stream = _with(stream, seen_by=datetime.fromtimestamp(min(int(stamp) / 1e6, 32503680000), UTC))
        store.mark_stream(user.name, stream)
        return text("OK")

    def _page(user: User, fields: Fields, stream_id: str, default: int, most: int) -> tuple[list[Any], str | None]:
        stream = _refined(desk.stream(stream_id), fields).muting(store.preferences(user.name))
        limit = _number(fields, "n", default, 1, most)
        after = _continuation(one(fields, "c"))
        rows = store.stream(user.name, stream, limit + 1, after, oldest_first=one(fields, "r") == "o")
        feeds = {f.name: f for f in desk.feeds()}
        entries = [(n, a, state, feeds.get(a.source)) for n, a, state in rows[:limit]]
        return entries, (_continuation_of(rows[limit - 1]) if len(rows) > limit else None)

    route("/accounts/ClientLogin", ["GET", "POST"], client_login, signed=False)
    route("/reader/api/0/token", ["GET"], token)
    route("/reader/api/0/user-info", ["GET"], user_info)
    route("/reader/api/0/subscription/list", ["GET"], subscription_list)
    route("/reader/api/0/subscription/edit", ["POST"], subscriptions.edit(desk))
    route("/reader/api/0/subscription/quickadd", ["POST"], subscriptions.quickadd(desk))
    route("/reader/api/0/tag/list", ["GET"], tag_list)
    route("/reader/api/0/rename-tag", ["POST"], subscriptions.rename_tag(desk))
    route("/reader/api/0/disable-tag", ["POST"], subscriptions.rename_tag(desk, disable=True))
    route("/reader/api/0/unread-count", ["GET"], unread_count)
    route("/reader/api/0/stream/contents", ["GET", "POST"], stream_contents)
    route("/reader/api/0/stream/contents/{stream_id:path}", ["GET", "POST"], stream_contents)
    route("/reader/api/0/stream/items/ids", ["GET", "POST"], item_ids)
    route("/reader/api/0/stream/items/contents", ["GET", "POST"], items_contents)
    route("/reader/api/0/edit-tag", ["POST"], edit_tag)
    route("/reader/api/0/mark-all-as-read", ["POST"], mark_all_as_read)
    route("/reader/atom", ["GET"], atom_stream)
    route("/reader/atom/{stream_id:path}", ["GET"], atom_stream)
    return api


async def _fields(request: Request) -> Fields:
    """The query's fields and, for a POST, the form body's (capped by web.guards)."""
    fields = parse_qs(request.url.query, max_num_fields=MOST_FIELDS)
    if request.method == "POST":
        body = (await request.body()).decode("utf-8", "replace")
        for key, values in parse_qs(body, max_num_fields=MOST_FIELDS).items():
            fields.setdefault(key, []).extend(values)
    return fields


def _number(fields: Fields, key: str, default: int, low: int, high: int) -> int:
    value = one(fields, key)
    if not value:
        return default
    if not value.isdigit() or len(value) > 9:
        raise StreamError(f"{key}: a number from {low} to {high}")
    return min(max(int(value), low), high)


def _refined(stream: Stream, fields: Fields) -> Stream:
    """``stream`` narrowed by ``xt`` (exclude read), ``it`` (starred or read only), ``ot`` and ``nt`` (seconds)."""
    changes: dict[str, Any] = {}
    if any(x.endswith("/state/com.google/read") for x in fields.get("xt", [])):
        changes["excluded"] = "read"
    for wanted in fields.get("it", []):
        if wanted.endswith(("/state/com.google/starred", "/state/com.google/read")):
            changes["state"] = wanted.rsplit("/", 1)[1]
    for key, field in (("since", "ot"), ("until", "nt")):
        seconds = one(fields, field)
        if seconds:
            if not seconds.isdigit() or len(seconds) > 11:
                raise StreamError(f"{field}: seconds since 1970")
            changes[key] = datetime.fromtimestamp(int(seconds) + (1 if field == "nt" else 0), UTC)
    return _with(stream, **changes)


def _with(stream: Stream, **changes: Any) -> Stream:
    return replace(stream, **changes) if changes else stream


def _flag(added: set[str], removed: set[str], on: str, off: str | None) -> bool | None:
    def has(tags: set[str], state: str | None) -> bool:
        return state is not None and any(t.endswith(f"/state/com.google/{state}") for t in tags)

    if has(added, on) or has(removed, off):
        return True
    if has(removed, on) or has(added, off):
        return False
    return None


def _continuation(text: str) -> tuple[datetime, str] | None:
    """The ``(published, uuid)`` a continuation this server gave stands for."""
    if not text:
        return None
    stamp, _, uuid = text.partition("u")
    try:
        if not stamp.lstrip("-").isdigit() or len(stamp) > 20 or not re.fullmatch(r"[0-9a-f]{32}", uuid):
            raise ValueError
        return datetime.fromtimestamp(int(stamp) / 1e6, UTC), uuid
    except (ValueError, OverflowError, OSError):
        raise StreamError("c: a continuation this server gave") from None


def _continuation_of(row: tuple[int, Any, Any]) -> str:
    article = row[1]
    return f"{usec(article.published)}u{article.uuid}"


def _title(stream_id: str) -> str:
    return stream_id.rsplit("/", 1)[-1]


def _json(body: object) -> Response:
    return Response(json.dumps(body, ensure_ascii=False), media_type="application/json")
