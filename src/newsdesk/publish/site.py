"""The built-in static site: ``newsdesk build DIR``.

Pages, in the spirit of the seed's Mainroad theme: the newest articles, one page per
article (``posts/<uuid>.html``), archives by month, tag, source and language lists
(cut into pages by their articles, :mod:`.lists`), top stories, the economic calendar, a 404
page, sitemaps, a search page that works without a server (:mod:`.static_search`), and
RSS / Atom / JSON Feed for the site and every list with an archive page. The widgets live in
one shared file (``widgets.html``, loaded by ``site.js``: they change with every article;
served pages have them inline). Templates are Jinja2; a theme folder overrides any.

Builds are incremental: the build remembers what it made (:mod:`.manifest`); the
next one asks the store what changed since (:mod:`newsdesk.store.sitereads`), and
re-plans only the pages of those articles, of their clusters and of the lists they
are (or were) in, from their place to the newest. The first build, one with other
templates or settings, and ``full`` plan every page, a list at a time (memory stays
flat). Either way the folder ends as a full build into an empty folder leaves it.
"""

from __future__ import annotations

import functools
import itertools
import os
import sqlite3
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, Protocol

from jinja2 import Environment

from newsdesk import agencies
from newsdesk.config import Settings
from newsdesk.errors import PublishError
from newsdesk.models import Article
from newsdesk.publish.calendar import Events, build_calendar
from newsdesk.publish.entry import Entry, entry, page_path
from newsdesk.publish.lists import FEED_ITEMS, Changes, Lists, ListSpec, Reader, list_pages, pager, stamp
from newsdesk.publish.output import BuildReport, Output, digest
from newsdesk.publish.search_files import BLOCK as SEARCH_BLOCK
from newsdesk.publish.search_files import plan_search_index
from newsdesk.publish.stories import build_stories
from newsdesk.publish.templating import environment, shown_tag, site_key, slugify
from newsdesk.sources.catalog import display_names

__all__ = [
    "FEED_ITEMS",
    "RECENT",
    "TAG_LIST",
    "BuildReport",
    "Entry",
    "build_site",
    "entry",
    "environment",
    "list_pages",
    "page_context",
    "pager",
    "slugify",
]

RECENT = 10
TAG_LIST = 40
BODY_BATCH = 500
SMALL_BATCH = 300  # small lists read together in a full build
LAYOUT = "cut-by-articles"  # pages cut otherwise before (numbered): such a site is built whole once
UPDATE_LIMIT = 50_000  # more changed articles than this: compare every page instead
_STATIC = ("style.css", "search.js", "site.js")
_PREFIX = {"tag": "tags", "source": "sources", "language": "lang"}

Group = tuple[str, str]
Key = tuple[datetime, str]


class Articles(Reader, Events, Protocol):
    """What a build reads (a :class:`newsdesk.store.Store`): the lists' reads and these."""

    def iter_articles(self, *, bodies: bool = True) -> Iterable[Article]: ...
    def get_many(self, uuids: Iterable[str]) -> Mapping[str, Article]: ...
    def clusters_of(self, keys: Iterable[str]) -> dict[str, list[Article]]: ...
    def groups_of(self, kind: str, names: list[str]) -> dict[str, list[Article]]: ...
    def group_sizes(self) -> Iterable[tuple[Group, int]]: ...
    def count_between(self, since: datetime, until: datetime) -> int: ...
    def time_span(self) -> tuple[datetime, datetime] | None: ...
    def change_mark(self) -> tuple[str, int]: ...
    def changed_since(self, mark: str, limit: int) -> list[Article] | None: ...
    def all_uuids(self) -> Iterable[str]: ...
    def arrivals(self, uuids: list[str]) -> list[Article]: ...
    def seen_since(self, since: datetime, limit: int | None = None) -> list[Article]: ...
    def merged_into(self, story: str) -> str | None: ...


@dataclass
class _Plan:
    """What a build re-plans: lists (with what changed in each; None: every list whole),
    article pages (None: all of them), the lists' sizes before."""

    lists: dict[Group, Changes] | None = field(default_factory=dict)  # None: every list
    articles: set[str] | None = None
    old_sizes: dict[Group, int] = field(default_factory=dict)


def build_site(
    store: Articles,
    folder: Path,
    settings: Settings,
    *,
    per_page: int | None = None,
    theme: Path | None = None,
    on_page: Callable[[str], None] | None = None,
    full: bool = False,
    watchlists: Mapping[str, Sequence[Article]] | None = None,
) -> BuildReport:
    """Build the site into ``folder``, rendering only what changed since the last
    build there (every page is planned when ``full``). ``per_page``: articles per
    list page (default: the ``site.per_page`` setting). ``watchlists``: the public
    ones' stories, newest alert first (``watch/NAME/`` and its feeds)."""
    per_page = per_page or settings.site_per_page
    names = display_names(settings.sources_folder)
    env = environment(theme, settings.tz, names)
    workers = settings.output_workers or os.cpu_count() or 1
    out = Output(
        folder,
        digest(site_key(theme, settings, per_page, names), SEARCH_BLOCK, LAYOUT),
        full=full,
        on_page=on_page,
        workers=workers,
        after_fork=getattr(store, "forked", None),
    )
    try:
        return _Build(store, env, out, settings, per_page, names).run(watchlists or {})
    except sqlite3.Error as exc:  # the bookkeeping's file: a full disk, say
        out.close()
        raise PublishError(f"cannot keep the build's bookkeeping in {folder}: {exc}") from None
    except BaseException:
        out.close()
        raise


def page_context(
    settings: Settings, recent: list[Entry], tag_list: list[tuple[str, int]], *, inline: bool = False
) -> dict[str, object]:
    """What every page's layout needs: the site, the recent and tag list widgets
    (rendered into the page when ``inline``, else loaded from ``widgets.html``)."""
    site: dict[str, Any] = {"title": settings.site_title, "base_url": settings.site_base_url.rstrip("/") + "/"}
    site["content_chars"] = settings.feeds_content_chars  # feed items' (0: whole)
    return {"site": site, "recent": recent, "tag_list": tag_list, "tz": settings.tz, "widgets_inline": inline}


class _Build:
    def __init__(
        self, store: Articles, env: Environment, out: Output, settings: Settings, per_page: int, names: dict[str, str]
    ) -> None:
        self.store, self.env, self.out, self.settings, self.per_page = store, env, out, settings, per_page
        self.names = names
        self.tz, self.tag_min = settings.tz, settings.output_tag_min
        self.manifest = out.manifest

    def run(self, watchlists: Mapping[str, Sequence[Article]]) -> BuildReport:
        updated, count = self.store.change_mark()
        plan = self._update_plan(count) if self.out.trusted else None
        everything = plan is None
        if plan is None:
            plan = self._full_plan(count)
        recent = [entry(a) for a in self.store.members(("all", ""), max(RECENT, self.per_page, FEED_ITEMS))]
        tag_list = self._tag_list()
        context = page_context(self.settings, recent[:RECENT], tag_list)
        lists = Lists(self.store, self.env, self.out, context, self.per_page, _list_sitemap)
        self._articles(plan.articles, context)
        self._lists(lists, plan)
        self._home(lists, context, recent)
        self._watchlists(lists, watchlists)
        build_stories(self.store, self.env, self.out, context, self.settings, datetime.now(UTC))
        build_calendar(self.store, self.env, self.out, context, self.settings, datetime.now(UTC))
        self._fixed(context, recent[:RECENT], tag_list)
        if plan.lists is None or ("all", "") in plan.lists:
            changed = None if plan.lists is None else plan.lists[("all", "")].places
            plan_search_index(self.out, self.store, self.settings, self.names, changed)
        site = str(context["site"]["base_url"])  # type: ignore[index]
        return self.out.finish(site, everything=everything, mark={"updated": updated, "count": count})

    # what changed
    def _full_plan(self, count: int) -> _Plan:
        self.manifest.clear_articles()
        self.manifest.add_sizes((g, n) for g, n in self.store.group_sizes() if g[0] != "cluster")
        self.manifest.add_sizes([*self._month_sizes().items(), (("all", ""), count)])
        return _Plan(lists=None)

    def _update_plan(self, count: int) -> _Plan | None:
        mark = self.manifest.meta("updated")
        changed = self.store.changed_since(mark, UPDATE_LIMIT) if mark else None
        if changed is None:
            return None
        now = {a.uuid: entry(a) for a in changed}
        old = self.manifest.remembered(now)
        deleted: list[str] = []
        if int(self.manifest.meta("count", "0")) + sum(u not in old for u in now) != count:
            deleted = sorted(self.manifest.entry_uuids() - set(self.store.all_uuids()))
            old.update(self.manifest.remembered(deleted))
        plan, deltas, clusters, pages = _Plan(), Counter[Group](), set[str](), set(now)
        touched: dict[Group, Changes] = {}
        for uuid in [*now, *deleted]:
            e, before = now.get(uuid), old.get(uuid)
            groups = set(self._groups(e)) if e else set()
            was = set(before[2]) if before else set()
            clusters |= {name for kind, name in groups | was if kind == "cluster"}
            if e and before and before[0] == stamp(e) and groups == was:
                continue
            at, had = _key(e) if e else None, (datetime.fromisoformat(before[1]), uuid) if before else None
            for group in groups | was:
                touched.setdefault(group, Changes()).note(
                    at if group in groups else None, had if group in was else None
                )
            deltas.update(groups - was)
            deltas.subtract(was - groups)
        plan.old_sizes = {g: self.manifest.size(g) for g in deltas if g[0] != "cluster"}
        self.manifest.set_sizes((g, plan.old_sizes[g] + deltas[g]) for g in plan.old_sizes)
        for group, size in plan.old_sizes.items():  # a tag that gains or loses its pages: links change
            after = size + deltas[group]
            if group[0] == "tag" and (size >= self.tag_min) != (after >= self.tag_min):
                pages |= {a.uuid for a in self.store.members(group, max(size, after))}
        self.manifest.remember(self._remembered(e) for e in now.values())
        self.manifest.forget_entries(deleted)
        self.out.drop(page_path(uuid) for uuid in deleted)
        pages |= {a.uuid for mates in self.store.clusters_of(clusters).values() for a in mates}
        plan.articles, plan.lists = pages - set(deleted), touched
        return plan

    def _lists(self, lists: Lists, plan: _Plan) -> None:
        """Plan the lists; a full build reads the small ones (a front page, no archive)
        a few hundred at a time instead of one query each."""
        if plan.lists is not None:
            for group, changes in sorted(plan.lists.items()):
                if group[0] not in ("cluster", "all"):
                    lists.plan(self._spec(group), changes)
            return
        small: list[Group] = []
        for group in self.manifest.lists({"tag": self.tag_min}):
            if group[0] == "all":
                continue
            spec = self._spec(group)
            if group[0] != "month" and spec.size < 2 * self.per_page:
                small.append(group)
            else:
                lists.plan(spec, None)
            if len(small) == SMALL_BATCH or (small and small[0][0] != group[0]):
                self._small_lists(lists, small)
                small = []
        self._small_lists(lists, small)

    def _small_lists(self, lists: Lists, groups: list[Group]) -> None:
        for kind in {kind for kind, _ in groups}:
            found = self.store.groups_of(kind, [name for k, name in groups if k == kind])
            for name, members in found.items():
                lists.plan(self._spec((kind, name)), None, [entry(a) for a in members])

    def _month_sizes(self) -> dict[Group, int]:
        span = self.store.time_span()
        if span is None:
            return {}
        sizes: dict[Group, int] = {}
        month = self._month_start(span[0])
        while month <= span[1]:
            following = self._month_start(month + timedelta(days=32))
            sizes[("month", month.strftime("%Y-%m"))] = self.store.count_between(month, following)
            month = following
        return {g: n for g, n in sizes.items() if n}

    def _month_start(self, moment: datetime) -> datetime:
        local = moment.astimezone(self.tz)
        return local.replace(day=1, hour=0, minute=0, second=0, microsecond=0)

    def _groups(self, e: Entry) -> list[Group]:
        groups = [("all", ""), ("month", e.published.astimezone(self.tz).strftime("%Y-%m")), ("source", e.source)]
        groups += [("tag", tag) for tag in e.tags] + [("cluster", e.cluster)]
        return groups + ([("language", e.language)] if e.language else [])

    def _remembered(self, e: Entry) -> tuple[str, str, str, list[Group]]:
        return (e.uuid, stamp(e), e.published.isoformat(), self._groups(e))

    # pages
    def _spec(self, group: Group) -> ListSpec:
        kind, name = group
        size = self.manifest.size(group)
        if kind == "tag" and size < self.tag_min:
            size = 0  # no pages of its own
        if kind == "month":
            start = datetime.strptime(name, "%Y-%m").replace(tzinfo=self.tz)
            until = self._month_start(start + timedelta(days=32))
            return ListSpec(group, f"archive/{name.replace('-', '/')}/", name, size, since=start, until=until)
        title = self.env.filters["source_name"](name) if kind == "source" else name
        return ListSpec(group, f"{_PREFIX[kind]}/{slugify(name)}/", title, size)

    def _articles(self, wanted: set[str] | None, context: dict[str, Any]) -> None:
        """Plan article pages: ``wanted`` (None: every article, streamed)."""
        if wanted is None:
            batches: Iterable[list[Article]] = _batched(self.store.iter_articles(bodies=False), BODY_BATCH)
        else:
            chosen = sorted(wanted)
            batches = (self.store.arrivals(chosen[n : n + BODY_BATCH]) for n in range(0, len(chosen), BODY_BATCH))
        template = self.env.get_template("article.html")
        for batch in batches:
            entries = [entry(a) for a in batch]
            if wanted is None:
                self.manifest.remember(self._remembered(e) for e in entries)
            mates = self.store.clusters_of({e.cluster for e in entries})
            linked = self.manifest.at_least("tag", (t for e in entries for t in e.tags), self.tag_min)
            todo = []
            for e in entries:
                also = [entry(m) for m in mates.get(e.cluster, []) if m.uuid != e.uuid]
                tags = {t for t in e.tags if t in linked}
                key = digest(stamp(e), e.version, [stamp(m) for m in also], sorted(tags))
                if not self.out.current(e.path, key):
                    todo.append((e, also, key, tags))
            if todo:
                pages = [(e.path, key, self._day(e)) for e, _, key, _ in todo]
                self.out.pages(pages, functools.partial(_render_articles, self.store, template, context, todo))

    def _day(self, e: Entry) -> str:
        return "posts-" + e.published.astimezone(self.tz).strftime("%Y-%m-%d")

    def _home(self, lists: Lists, context: dict[str, Any], recent: list[Entry]) -> None:
        months = sorted(((name, n) for (_, name), n in self.manifest.sizes("month").items()), reverse=True)
        shown = recent[: self.per_page]
        links: dict[str, object] = {"number": 0, "previous": None, "next": None, "pages": [], "front": ""}
        if months:
            links["next"] = f"archive/{months[0][0].replace('-', '/')}/"
        title = self.settings.site_title
        key = digest(title, links, months, [stamp(e) for e in shown])
        archives = [(name, f"archive/{name.replace('-', '/')}/", n) for name, n in months]
        template = self.env.get_template("list.html")
        self.out.page(
            "index.html",
            key,
            lambda: template.render(context, title=title, entries=shown, pager=links, root="", archives=archives),
            _list_sitemap(""),
        )
        lists.feeds("", title, recent[:FEED_ITEMS])

    def _watchlists(self, lists: Lists, watchlists: Mapping[str, Sequence[Article]]) -> None:
        before = set(filter(None, self.manifest.meta("watchlists").split("\n")))
        for name, stories in sorted(watchlists.items()):
            lists.whole(f"watch/{name}/", f"关注 Watchlist · {name}", [entry(a) for a in stories])
        for name in before - set(watchlists):
            self.out.drop(self.manifest.paths_under(f"watch/{name}/"))
        self.manifest.set_meta(watchlists="\n".join(sorted(watchlists)))

    def _fixed(self, context: dict[str, Any], recent: list[Entry], tag_list: list[tuple[str, int]]) -> None:
        env, out = self.env, self.out
        out.page(
            "widgets.html",
            digest([stamp(e) for e in recent], tag_list),
            lambda: env.get_template("widgets.html").render(context, root=""),
        )
        out.page("404.html", "", lambda: env.get_template("404.html").render(context, root="/"))
        out.page(
            "search/index.html",
            "",
            lambda: env.get_template("search.html").render(
                context, query="", hits=[], error=None, static_search=True, root="../"
            ),
            _list_sitemap("search/"),
        )
        for name in _STATIC:
            out.page(name, "", lambda name=name: env.loader.get_source(env, name)[0])  # type: ignore[union-attr,misc]

    def _tag_list(self) -> list[tuple[str, int]]:
        """The tag widget: the most used sections and tickers (no keywords, source or agency names)."""
        sources = {name for _, name in self.manifest.sizes("source")}
        keep = lambda t: t not in sources and not agencies.canonical(t) and shown_tag(t)  # noqa: E731
        return self.manifest.top("tag", TAG_LIST, keep, self.tag_min)


def _render_articles(store: Articles, template: Any, context: dict[str, Any], todo: list[Any]) -> list[str]:
    bodies = store.get_many(e.uuid for e, _, _, _ in todo)
    return [
        template.render(context, article=bodies[e.uuid], also=also, linked=tags, root="../")
        for e, also, _, tags in todo
    ]


def _list_sitemap(path: str) -> str:
    """List pages are spread over 64 sitemaps by their path (each stays under the
    protocol's 50,000 URLs up to a few million pages, and rarely changes)."""
    return f"lists-{int(digest(path)[:4], 16) % 64:02d}"


def _key(e: Entry) -> Key:
    return (e.published, e.uuid)


def _batched(articles: Iterable[Article], size: int) -> Iterable[list[Article]]:
    reading = iter(articles)
    while batch := list(itertools.islice(reading, size)):
        yield batch
