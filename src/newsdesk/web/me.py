"""The signed-in reader's own state in the JSON API (``/api/me…``): read and starred
articles, a story read at once, "mark all as read" (of a source, a tag or a watchlist,
before a time), unread counts (the same ways), the starred list.

A request is the user's by ``Authorization: Bearer`` with one of their API tokens, or by
the session cookie of ``/login`` — then a request that changes something must carry the
session's form token in ``X-CSRF-Token`` (a page of another site cannot). Anyone else is
answered 401. One user never sees or changes another's state.
"""

from __future__ import annotations

import hmac
from collections.abc import Callable
from typing import Annotated, Any

from fastapi import APIRouter, Body, Depends, HTTPException, Path, Query, Request
from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

from newsdesk.config import Settings
from newsdesk.models import ArticleFilter, Preferences
from newsdesk.store import Store
from newsdesk.store.accounts import User
from newsdesk.store.apps import Stream
from newsdesk.web.api import summary
from newsdesk.web.auth import SESSION_COOKIE, session_of, user_of
from newsdesk.web.problems import refuse, responses

__all__ = ["router", "signed_in"]

_UNSAFE = ("POST", "PUT", "PATCH", "DELETE")


class Marks(BaseModel):
    """What to set of an article (a field left out stays as it is)."""

    model_config = ConfigDict(extra="forbid")
    read: bool | None = None
    starred: bool | None = None


Words = Annotated[list[Annotated[str, Field(min_length=1, max_length=100)]], Field(max_length=100)]


class Muting(BaseModel):
    """A reader's preferences: muted words and sources (hidden from their reader apps,
    unread counts and lists), highlighted words (marked in lists); at most 100 of each,
    100 characters each."""

    model_config = ConfigDict(extra="forbid")
    muted_words: Words = []
    muted_sources: Words = []
    highlighted: Words = []


class ReadAll(BaseModel):
    """What "mark all as read" covers (a field left out: no restriction); ``before`` is
    exclusive, with its zone."""

    model_config = ConfigDict(extra="forbid")
    source: str | None = Field(default=None, max_length=200)
    tag: str | None = Field(default=None, max_length=200)
    watchlist: str | None = Field(default=None, max_length=80)
    before: AwareDatetime | None = None


def signed_in(store: Store) -> Callable[[Request], User]:
    """The dependency that answers who a request is (401, or 403 for a change without the
    session's X-CSRF-Token)."""

    def me(request: Request) -> User:
        authorization = request.headers.get("authorization")
        cookie = request.cookies.get(SESSION_COOKIE)
        user = user_of(store, authorization, None) if authorization else None
        if user is None and cookie:
            session = session_of(store, cookie)
            if session and request.method in _UNSAFE:
                sent = request.headers.get("x-csrf-token", "")
                if not hmac.compare_digest(sent, session[1]):
                    raise HTTPException(403, "a change by a signed-in browser needs the session's X-CSRF-Token")
            user = session[0] if session else None
        if user is None:
            raise HTTPException(401, "sign in: a Bearer API token (newsdesk user token add NAME) or /login")
        return user

    return me


def router(store: Store, settings: Settings) -> APIRouter:
    api = APIRouter()
    signed = Depends(signed_in(store))  # a default, not an annotation: the annotations are strings

    @api.get("/api/me", summary="Who the request is signed in as", responses=responses(401))
    def who(user: User = signed) -> dict[str, Any]:
        return {"name": user.name, "admin": user.admin, "read": store.read_count(user.name)}

    @api.get("/api/session", summary="Who this browser is signed in as, and its form token (none: name null)")
    def browser_session(request: Request) -> dict[str, Any]:
        # Never a 401: the pages' script asks on every page, signed in or not. The token goes
        # back with its changes; a page of another site cannot read this answer.
        session = session_of(store, request.cookies.get(SESSION_COOKIE))
        if session is None:
            return {"name": None}
        return {"name": session[0].name, "admin": session[0].admin, "csrf": session[1]}

    @api.get(
        "/api/me/states", summary="The reader's read and starred state of these articles", responses=responses(401)
    )
    def states(
        user: User = signed,
        uuid: Annotated[list[Annotated[str, Field(pattern=r"^[0-9a-f]{32}$")]] | None, Query(max_length=200)] = None,
    ) -> dict[str, Any]:
        found = store.states(user.name, uuid or [])
        return {"states": {u: {"read": read, "starred": starred} for u, (read, starred) in found.items()}}

    @api.put(
        "/api/me/articles/{uuid}",
        summary="Mark an article read or unread, starred or not",
        responses=responses(400, 401, 403, 404, 413),
    )
    def mark(
        uuid: Annotated[str, Path(pattern=r"^[0-9a-f]{32}$")],
        marks: Annotated[Marks, Body()],
        user: User = signed,
    ) -> dict[str, Any]:
        if not store.mark(user.name, [uuid], read=marks.read, starred=marks.starred):
            raise HTTPException(404, f"no article {uuid}")
        read, starred = store.states(user.name, [uuid]).get(uuid, (False, False))
        return {"uuid": uuid, "read": read, "starred": starred}

    @api.post(
        "/api/me/stories/{story}/read", summary="Mark every article of a story read", responses=responses(401, 403, 404)
    )
    def read_story(story: Annotated[str, Path(max_length=64)], user: User = signed) -> dict[str, Any]:
        members = store.cluster_members(story, bodies=False)
        if not members:
            raise HTTPException(404, f"no story {story!r}")
        return {"story": story, "marked": store.mark(user.name, [a.uuid for a in members], read=True)}

    @api.get(
        "/api/me/starred", summary="The reader's starred articles, the last starred first", responses=responses(401)
    )
    def starred(user: User = signed, limit: Annotated[int, Query(ge=1, le=200)] = 50) -> dict[str, Any]:
        return {"articles": [summary(a, settings) for a in store.starred(user.name, limit)]}

    @api.get(
        "/api/me/unread-count",
        summary="Articles the reader has not read: all, or of a source, a tag or a watchlist",
        responses=responses(401),
    )
    def unread(
        user: User = signed,
        source: Annotated[str | None, Query(max_length=200)] = None,
        tag: Annotated[str | None, Query(max_length=200)] = None,
        watchlist: Annotated[str | None, Query(max_length=80)] = None,
    ) -> dict[str, Any]:
        muted = store.preferences(user.name)
        if tag or watchlist or muted != Preferences():
            stream = Stream(sources=(source,) if source else None, tag=tag, watchlist=watchlist).muting(muted)
            return {"source": source, "tag": tag, "watchlist": watchlist, "unread": store.unread_in(user.name, stream)}
        total = store.count_where(ArticleFilter(source=source))
        return {"source": source, "unread": max(0, total - store.read_count(user.name, source))}

    @api.get("/api/me/preferences", summary="The reader's muted words and sources, highlighted words",
             responses=responses(401))  # fmt: skip
    def preferences(user: User = signed) -> dict[str, Any]:
        chosen = store.preferences(user.name)
        return {k: list(getattr(chosen, k)) for k in Preferences.__dataclass_fields__}

    @api.put("/api/me/preferences", summary="Set the reader's muted words and sources, highlighted words",
             responses=responses(400, 401, 403, 413))  # fmt: skip
    def set_preferences(chosen: Annotated[Muting, Body()], user: User = signed) -> dict[str, Any]:
        fields = {
            k: tuple(dict.fromkeys(w.strip() for w in getattr(chosen, k) if w.strip())) for k in Muting.model_fields
        }
        store.set_preferences(user.name, Preferences(**fields))
        return {k: list(v) for k, v in fields.items()}

    # A 405 naming every method of a path (the site's GET catch-all would answer others with a 404).
    for path, allowed in (("/api/me/preferences", "GET, PUT"), ("/api/me/read", "POST"),
                          ("/api/me/stories/{story}/read", "POST")):  # fmt: skip
        other = [m for m in ("GET", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "TRACE") if m not in allowed]
        api.add_api_route(path, refuse(allowed), methods=other, include_in_schema=False)

    @api.post(
        "/api/me/read",
        summary="Mark all as read: everything, or of a source, a tag or a watchlist, published before a time",
        responses=responses(400, 401, 403, 413),
    )
    def read_all(everything: Annotated[ReadAll, Body()], user: User = signed) -> dict[str, Any]:
        stream = Stream(
            sources=(everything.source,) if everything.source else None,
            tag=everything.tag,
            watchlist=everything.watchlist,
            until=everything.before,
        )
        return {"marked": store.mark_stream(user.name, stream)}

    return api
