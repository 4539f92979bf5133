"""Stories as pages and feeds, for the built site and the served one alike.

The top stories (:mod:`newsdesk.stories`, ranked when the site is built) are
``stories/index.html`` with their feeds, and each of them ``stories/ID/index.html``: every
article of the story on one time line, copies of one headline (a Simplified and a
Traditional edition, one wire carried twice) folded into one line with their outlets.
A page's key is what it shows, so a build rewrites a story's page only when the story
has changed, and the list when one of its stories has; the page of a story that left the
list goes (it would be a second, stale copy of a story that may have merged since).
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Protocol

from jinja2 import Environment

from newsdesk.config import Settings
from newsdesk.models import Article
from newsdesk.publish import feeds
from newsdesk.publish.briefs import Reads, build_briefs
from newsdesk.publish.entry import Entry, entry
from newsdesk.publish.lists import FEED_ITEMS, stamp
from newsdesk.publish.output import Output, digest
from newsdesk.stories import MAX_WINDOW, Story, ranked
from newsdesk.tokens import normalize

__all__ = ["PAGE", "Line", "StoryEntry", "build_stories", "lines_of", "story_entry"]

PAGE = 50  # stories on the top-stories page
_STORY_ID = re.compile(r"[0-9a-f]{32}")
_FOLD = re.compile(r"[\W_]+")


class Window(Reads, Protocol):
    def seen_since(self, since: datetime, limit: int | None = None) -> list[Article]: ...
    def merged_into(self, story: str) -> str | None: ...


@dataclass(slots=True, frozen=True)
class StoryEntry(Entry):
    """A story as a feed item: it links to the story's page."""

    @property
    def path(self) -> str:
        return f"stories/{self.uuid}/"


@dataclass(slots=True)
class Line:
    """One headline of a story's time line, with every outlet that carried it."""

    entry: Entry
    language: str
    sources: list[str]
    copies: int


def lines_of(members: list[Article], order: list[str]) -> list[Line]:
    """The articles of a story in ``order`` (uuids), copies of one headline folded: the
    same title once in Simplified script, case and punctuation folded."""
    by_uuid = {a.uuid: a for a in members}
    found: dict[str, Line] = {}
    for uuid in order:
        article = by_uuid[uuid]
        key = _FOLD.sub("", normalize(article.title)) or uuid
        line = found.get(key)
        if line is None:
            found[key] = Line(entry(article), (article.language or "").split("-")[0], [article.source], 1)
        else:
            line.copies += 1
            if article.source not in line.sources:
                line.sources.append(article.source)
    return list(found.values())


def story_entry(story: Story, members: list[Article]) -> StoryEntry:
    """A story as a feed item: its headlines, who carried it, its last update."""
    first = next(a for a in members if a.uuid == story.uuids[0])
    outlets = ", ".join(story.outlets[:8]) + (" …" if len(story.outlets) > 8 else "")
    lead = f" (+{round(story.lead_minutes)} min)" if story.lead_minutes else ""
    return StoryEntry(
        uuid=story.id if _STORY_ID.fullmatch(story.id) else first.uuid,
        title=" / ".join(story.headlines[lang] for lang in story.languages),
        link=first.link,
        source=story.first_reported_by,
        language=story.languages[0] if story.languages else "",
        published=story.last_update,
        summary=f"{len(story.outlets)} outlets: {outlets}. First reported by {story.first_reported_by}{lead}.",
        image="",
        tags=tuple(story.tickers),
        cluster=story.id,
        version=f"{story.articles}:{story.last_update.isoformat()}",
        importance=story.importance,
    )


def build_stories(
    store: Window, env: Environment, out: Output, context: dict[str, Any], settings: Settings, now: datetime
) -> None:
    """The top-stories page, its feeds and the page of each story on it; the briefs
    (:func:`build_briefs`: the top stories of each session of the last days)."""
    window = store.seen_since(now - timedelta(hours=settings.stories_window_hours), MAX_WINDOW)
    stories, members = ranked(window, now, settings)
    shown = stories[:PAGE]
    title = f"{settings.site_title} · 头条 Top stories"
    # tickers link to their tag pages where the site has them (a tag of few articles has none)
    linked = out.manifest.at_least("tag", {t for s in shown for t in s.tickers}, settings.output_tag_min)
    listing = env.get_template("stories.html")
    shows = [(s.id, s.headlines, s.outlets, s.articles, s.importance, s.tickers[:6]) for s in shown]
    out.page(
        "stories/index.html",
        digest(title, shows, sorted(linked)),
        lambda: listing.render(
            context,
            title=title,
            stories=shown,
            feed="stories/",
            window=settings.stories_window_hours,
            root="../",
            linked=linked,
        ),
    )
    page = env.get_template("story.html")
    for story in shown:
        lines = lines_of(members[story.id], story.uuids)
        out.page(
            f"stories/{story.id}/index.html",
            digest(story.headlines, story.outlets, [stamp(line.entry) for line in lines], sorted(linked)),
            functools.partial(page.render, context, story=story, lines=lines, root="../../", linked=linked),
        )
    before, ids = set(filter(None, out.manifest.meta("stories").split("\n"))), {s.id for s in shown}
    # A story merged into one on the list keeps its address: a page that sends readers on.
    moved = {old: new for old in sorted(before - ids) if (new := store.merged_into(old)) in ids}
    for old, new in moved.items():
        out.page(f"stories/{old}/index.html", digest("moved", new), functools.partial(_moved, new))
    out.drop(f"stories/{gone}/index.html" for gone in sorted(before - ids - set(moved)))
    out.manifest.set_meta(stories="\n".join(sorted(ids | set(moved))))
    latest = [story_entry(s, members[s.id]) for s in stories[:FEED_ITEMS]]
    site = str(context["site"]["base_url"])
    items, key = feeds.Items(site), digest(title, [e.version for e in latest])
    out.page("stories/index.xml", key, lambda: feeds.rss(items, "stories/", title, latest))
    out.page("stories/atom.xml", key, lambda: feeds.atom(items, "stories/", title, latest))
    out.page("stories/feed.json", key, lambda: feeds.json_feed(items, "stories/", title, latest))
    build_briefs(store, env, out, context, settings, now)


def _moved(new: str) -> str:
    """The page at a merged story's old address: it sends the reader to the story it joined."""
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>Story moved</title>'
        f'<meta http-equiv="refresh" content="0; url=../{new}/"><link rel="canonical" href="../{new}/"></head>'
        f'<body><main><p>This story joined <a href="../{new}/">another one</a>.</p></main></body></html>\n'
    )
