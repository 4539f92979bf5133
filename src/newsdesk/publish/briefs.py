"""Briefs (:mod:`newsdesk.watch.briefs`) in the built site and in feeds.

The build writes the last :data:`DAYS` days' briefs of each edition in the site's zone
(``briefs/EDITION/DAY/index.html``, the latest also as ``briefs/EDITION/index.html``) and
their feeds, one item per edition (its stories listed in the item's text). A page's key
is its period and how many articles were published in it, so a build makes a brief again
only when its period gained or lost articles; a headline links to the first article's
page (a story's own page is built only while it is among the top stories)."""

from __future__ import annotations

import functools
import hashlib
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

from jinja2 import Environment

from newsdesk.config import Settings
from newsdesk.publish import feeds
from newsdesk.publish.entry import Entry
from newsdesk.publish.output import Output, digest
from newsdesk.watch import briefs
from newsdesk.watch.briefs import EDITIONS, NAMES, Brief, Period

__all__ = ["DAYS", "BriefEntry", "brief_entry", "build_briefs"]

DAYS = 7  # days of briefs the site and each feed hold


class Reads(briefs.Reads, Protocol):
    def count_between(self, since: datetime, until: datetime) -> int: ...


@dataclass(slots=True, frozen=True)
class BriefEntry(Entry):
    """A brief as a feed item: it links to the edition's page."""

    @property
    def path(self) -> str:
        return f"briefs/{self.cluster}/"


def brief_entry(brief: Brief) -> BriefEntry:
    """A brief as a feed item (a brief with stories: the item's source is its first story)."""
    when = brief.period
    return BriefEntry(
        uuid=hashlib.md5(f"brief {when.edition} {when.day} {when.zone}".encode()).hexdigest(),  # an Atom id
        title=when.title,
        link=brief.entries[0].link if brief.entries else "",
        source="newsdesk",
        language="",
        published=when.end,
        summary=brief.text(),
        image="",
        tags=(),
        cluster=f"{when.edition}/{when.day.isoformat()}",
        version=f"{brief.articles}:{len(brief.entries)}",
    )


def build_briefs(
    store: Reads, env: Environment, out: Output, context: dict[str, Any], settings: Settings, now: datetime
) -> None:
    """The last :data:`DAYS` days' briefs of each edition, the latest, and their feeds."""

    @functools.cache
    def brief(when: Period) -> Brief:
        return briefs.make(store, when, settings)

    for edition in EDITIONS:
        periods = briefs.recent(edition, now, settings.site_timezone, settings, DAYS)
        keys = [digest(w, store.count_between(w.start, w.end), settings.briefs_stories) for w in periods]
        for n, when in enumerate(periods):
            previous = periods[n + 1].day.isoformat() if n + 1 < len(periods) else None
            render = functools.partial(_page, env, context, settings, brief, when, previous)
            out.page(f"briefs/{edition}/{when.day}/index.html", keys[n], functools.partial(render, "../../../"))
            if n == 0:
                out.page(f"briefs/{edition}/index.html", keys[n], functools.partial(render, "../../"))
        title, base = f"{settings.site_title} · {NAMES[edition]}", f"briefs/{edition}/"
        items = feeds.Items(str(context["site"]["base_url"]))
        for name, write in (("index.xml", feeds.rss), ("atom.xml", feeds.atom), ("feed.json", feeds.json_feed)):
            out.page(
                base + name, digest(title, keys), functools.partial(_feed, write, items, base, title, brief, periods)
            )


def _feed(write: Any, items: feeds.Items, base: str, title: str, brief: Any, periods: list[Period]) -> str:
    """A feed of the briefs of ``periods`` that have stories, one item each."""
    return str(write(items, base, title, [brief_entry(made) for when in periods if (made := brief(when)).entries]))


def _page(
    env: Environment,
    context: dict[str, Any],
    settings: Settings,
    brief: Any,
    when: Period,
    previous: str | None,
    root: str,
) -> str:
    return env.get_template("brief.html").render(
        context,
        title=f"{settings.site_title} · {when.title}",
        brief=brief(when),
        feed=f"briefs/{when.edition}/",
        other="close" if when.edition == "morning" else "morning",
        previous=previous,
        root=root,
        static=True,
    )
