"""Stories in the JSON API: ``GET /api/stories`` (ranked, with the list filters, paged)
and ``GET /api/stories/{id}`` (one story with its articles in the order they were
reported). See :mod:`newsdesk.stories` for what a story is and how it is ranked."""

from __future__ import annotations

import json
import time
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Query
from fastapi.encoders import jsonable_encoder
from fastapi.responses import Response

from newsdesk import heap, stories
from newsdesk.config import Settings
from newsdesk.models import Article, ArticleFilter
from newsdesk.store import Store
from newsdesk.stories import Story, summarize
from newsdesk.web import cursors
from newsdesk.web.api import summary
from newsdesk.web.filters import ApiFilter
from newsdesk.web.problems import responses

__all__ = ["ranked", "router", "story_json", "top"]

MAX_ID = 64


def router(store: Store, settings: Settings, cached: Callable[[str, Any], Awaitable[Any]]) -> APIRouter:
    """The routes; ``cached`` is the web app's page cache (key, make → value)."""
    api = APIRouter()

    @api.get(
        "/api/stories",
        summary="Top stories, ranked, with the list filters",
        responses=responses(400),
        response_model=dict[str, Any],
    )
    async def api_stories(
        where: ApiFilter,
        cursor: Annotated[str | None, Query(max_length=40)] = None,
        limit: Annotated[int, Query(ge=1, le=100)] = 20,
    ) -> Response:
        chosen, _ = await top(store, settings, cached, where)
        start = cursors.decode_offset(cursor)
        page = chosen[start : start + limit]
        more = start + limit < len(chosen)

        def make() -> bytes:
            stories = [story_json(s, settings) for s in page]
            return _json({"stories": stories, "next_cursor": cursors.encode_offset(start + limit) if more else None})

        shown = ",".join(f"{s.id}:{s.score}" for s in page)  # an answer changes with its stories' ranks
        body = await cached(f"api:stories:{where!r}:{start}:{limit}:{hash(shown)}", make)
        return Response(body, media_type="application/json")

    @api.get(
        "/api/stories/{story}",
        summary="One story and its articles, in the order reported (an id merged into another story "
        "answers with that story and its id in merged_into)",
        responses=responses(404),
        response_model=dict[str, Any],
    )
    async def api_story(story: str) -> Response:
        if len(story) > MAX_ID:
            raise HTTPException(404, f"no story {story[:MAX_ID]!r}")

        def make() -> bytes | None:  # None: no such story
            members = store.cluster_members(story, bodies=False)
            merged_into = None if members else store.merged_into(story)
            if merged_into:  # an old id: the story that took it in, saying so
                members = store.cluster_members(merged_into, bodies=False)
            made = summarize(merged_into or story, members)
            if made is None:
                return None
            by_uuid = {a.uuid: a for a in members}
            articles = [summary(by_uuid[u], settings) for u in made.uuids]
            return _json({**story_json(made, settings), "merged_into": merged_into, "articles": articles})

        answer = await _answer(cached, f"api:story:{story}", make)
        if answer is None:
            raise HTTPException(404, f"no story {story!r}")
        return answer

    return api


Ranked = tuple[list[Story], dict[str, list[Article]]]


def _json(value: Any) -> bytes:
    return json.dumps(jsonable_encoder(value), ensure_ascii=False, separators=(",", ":")).encode()


async def _answer(
    cached: Callable[[str, Any], Awaitable[Any]], key: str, make: Callable[[], bytes | None]
) -> Response | None:
    """A JSON answer kept serialized in the page cache (None when ``make`` found nothing)."""
    body = await cached(key, make)
    return None if body is None else Response(body, media_type="application/json")


def ranked(store: Store, settings: Settings) -> Ranked:
    """The stories first seen within the window, ranked, with their articles."""
    now = datetime.now(UTC)
    window = store.seen_since(now - timedelta(hours=settings.stories_window_hours), stories.MAX_WINDOW)
    return stories.ranked(window, now, settings)


_SET_ASIDE = False  # served_app: rankings kept by the page cache are set aside from the collector


def set_aside_rankings() -> None:
    """Freeze each ranking the page cache keeps (``newsdesk serve``)."""
    global _SET_ASIDE
    _SET_ASIDE = True


def _kept(made: Ranked) -> Ranked:
    """``made``, about to be kept for minutes, set aside from the garbage collector's full
    passes: a ranking is tens of thousands of objects, and every full pass walked them all
    (50 ms at 14k articles, the whole p99 of a cached answer). Once a ranking: one full
    pass frees what earlier ones left (:func:`newsdesk.heap.set_aside`); a ranking that is
    replaced is freed by reference counting (it holds no cycles)."""
    if _SET_ASIDE:
        heap.set_aside()
    return made


async def top(
    store: Store, settings: Settings, cached: Callable[[str, Any], Awaitable[Any]], where: ArticleFilter
) -> Ranked:
    """The ranked stories one of whose articles passes ``where``, and the articles of each.
    One ranking serves every filter, page and format; it is made again with the articles,
    or every ten minutes (the scores decay with time even when nothing new arrives). A
    filter's stories are kept beside it (a pass over the window's stories each)."""
    bucket = int(time.time() // 600)
    stories, members = await cached(f"stories:{bucket}", lambda: _kept(ranked(store, settings)))
    if where == ArticleFilter():
        return stories, members

    def chosen() -> list[Story]:
        return [s for s in stories if any(where.matches(a) for a in members[s.id])]

    # Keyed by the ranking it was made from: a filter's list never meets another ranking's articles.
    return await cached(f"stories:{bucket}:{id(members)}:{where!r}", chosen), members


def story_json(story: Story, settings: Settings) -> dict[str, Any]:
    def local(moment: datetime) -> str:
        return moment.astimezone(settings.tz).isoformat()

    return {
        "id": story.id,
        "headlines": story.headlines,
        "outlets": story.outlets,
        "languages": story.languages,
        "first_seen": local(story.first_seen),
        "first_reported_by": story.first_reported_by,
        "lead_minutes": story.lead_minutes,
        "last_update": local(story.last_update),
        "articles": story.articles,
        "importance": story.importance,
        "tickers": story.tickers,
        "tags": story.tags,
        "score": story.score,
        "merged_into": None,  # set when the id asked for is one merged into this story
    }
