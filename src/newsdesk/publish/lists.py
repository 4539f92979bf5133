"""The list pages of the static site (a month's archive, a tag, a source, a language),
and the numbering the served lists use.

A static list is cut into pages by its articles (:mod:`.pages`): a full build reads it
newest first, a page at a time; an update build reads it only around each place where
an article arrived, left or moved, and plans the few pages there — an article dated
last month rewrites its page and the neighbours, not every page after it. A list gets
feeds once it holds two pages' worth of articles.

The served lists are numbered from the oldest (:func:`list_pages`): they answer any
filter, so their pages are counted, not stored."""

from __future__ import annotations

import functools
import itertools
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime, tzinfo
from typing import Any, Protocol

from jinja2 import Environment

from newsdesk.models import Article
from newsdesk.publish import feeds
from newsdesk.publish.entry import Entry, entry
from newsdesk.publish.output import Output, digest
from newsdesk.publish.pages import FRONT, OLDEST, Page, Place, paged, radius

__all__ = [
    "FEED_ITEMS",
    "Changes",
    "Lists",
    "Reader",
    "iter_pages",
    "list_pages",
    "newest_first",
    "page_address",
    "page_file",
    "page_span",
    "pager",
    "sealed_pages",
    "stamp",
    "static_pager",
]

FEED_ITEMS = 20
_READ = 1000  # most articles read from the store at a time
_HEADLINES = ("tag", "source", "language")  # lists of one line per article; archives by month show summaries

Group = tuple[str, str]
Key = tuple[datetime, str]  # an article's place in a list: (published, uuid)


class Reader(Protocol):
    def members(
        self,
        group: Group,
        limit: int,
        before: tuple[datetime, str] | None = None,
        *,
        since: datetime | None = None,
        until: datetime | None = None,
    ) -> list[Article]: ...

    def places(
        self,
        group: Group,
        limit: int,
        before: tuple[datetime, str] | None = None,
        *,
        after: tuple[datetime, str] | None = None,
        ascending: bool = False,
        since: datetime | None = None,
        until: datetime | None = None,
    ) -> list[tuple[datetime, str]]: ...

    def arrivals(self, uuids: list[str]) -> list[Article]: ...

    def bodies(self, uuids: Iterable[str]) -> dict[str, str]: ...


@dataclass(frozen=True, slots=True)
class ListSpec:
    """One list: its group in the store, folder, title, time bounds and size."""

    group: Group
    base: str
    title: str
    size: int
    since: datetime | None = None
    until: datetime | None = None


def stamp(e: Entry) -> str:
    """An entry's fingerprint: everything a list, a feed or a card shows of it."""
    return digest(
        e.title, e.link, e.source, e.language, e.published, e.summary, e.image, e.tags, e.cluster, e.dated, e.kind
    )


def list_pages(count: int, per_page: int, *, least: int | None = None) -> list[tuple[int, int, int]]:
    """The pages of a list of ``count`` articles, newest first: ``(number, start, stop)``.

    Page 0 is the list's front page: the newest articles, ``least`` (default
    ``per_page``) to ``least + per_page - 1`` of them. Older ones fill archive pages
    numbered from the oldest (``page/1.html`` holds the first ``per_page`` articles ever),
    so a full archive page never changes: a new article rewrites the front page and at
    most two archive pages of each list it is in, not every page of the list.
    """
    return list(iter_pages(count, per_page, least=least))


def iter_pages(count: int, per_page: int, *, least: int | None = None) -> Iterator[tuple[int, int, int]]:
    """:func:`list_pages` one at a time (an update build reads a list of a million
    articles only back to its oldest change: 50,000 pages are not made for that)."""
    for number in itertools.chain((0,), range(sealed_pages(count, per_page, least=least), 0, -1)):
        yield (number, *page_span(count, per_page, number, least=least))


def sealed_pages(count: int, per_page: int, *, least: int | None = None) -> int:
    """How many archive pages a list of ``count`` has (:func:`list_pages`)."""
    return max((count - (per_page if least is None else least)) // per_page, 0)


def page_span(count: int, per_page: int, number: int, *, least: int | None = None) -> tuple[int, int]:
    """``(start, stop)`` of page ``number`` among the list's articles, newest first
    (:func:`list_pages`, without making every page: a served list of a million)."""
    if number == 0:
        return 0, count - sealed_pages(count, per_page, least=least) * per_page
    stop = count - (number - 1) * per_page
    return stop - per_page, stop


def page_address(base: str, number: int | str) -> str:
    """Where page ``number`` (served; a name, static) of the list at ``base`` is: the
    folder's front page for 0 or "", else a file of its own, ``page/N.html`` (no folder
    per page: a 4 KiB block each)."""
    return f"{base}page/{number}.html" if number else base


def page_file(address: str) -> str:
    """The file behind a page's address (a folder's is its ``index.html``)."""
    return f"{address}index.html" if address.endswith("/") else address


def pager(base: str, number: int, sealed: int) -> dict[str, object]:
    """Links of page ``number`` (0: the front page) of the list at ``base`` with
    ``sealed`` archive pages: ``previous`` is newer, ``next`` older (relative paths),
    ``pages`` the numbered links around this one, ``(number, path)`` with ``(0, None)``
    for a gap. They reach one page up, two down and to page 1 (the front page's "Latest"
    link covers the rest), so that a new archive page changes the links of the page
    before it only."""
    newer = None if number == 0 else page_address(base, 0 if number == sealed else number + 1)
    older_number = sealed if number == 0 else number - 1  # 0: there is none (page 1 is the oldest)
    older = page_address(base, older_number) if older_number else None
    top = sealed if number == 0 else number
    shown = [n for n in range(min(top + 1, sealed), max(top - 3, 0), -1) if n >= 1]
    pages: list[tuple[int, str | None]] = [(n, page_address(base, n)) for n in shown]
    if shown and shown[-1] > 1:
        pages += [(0, None)] * (shown[-1] > 2) + [(1, page_address(base, 1))]
    return {"number": number, "previous": newer, "next": older, "pages": pages, "front": base}


@dataclass(slots=True)
class Changes:
    """What changed in a list since the last build: the places (``(published, uuid)``,
    old and new) where articles arrived, left or moved; the uuids in it now among the
    changed (``added``) and the old places of those that were in it (``removed``)."""

    places: set[Key] = field(default_factory=set)
    added: set[str] = field(default_factory=set)
    removed: set[Key] = field(default_factory=set)

    def note(self, now: Key | None, was: Key | None) -> None:
        """An article that is in the list at ``now`` (None: not) and was at ``was`` (None: was not)."""
        self.places |= {place for place in (now, was) if place}
        if now:
            self.added.add(now[1])
        if was:
            self.removed.add(was)


class Lists:
    """Plans the pages and feeds of lists into an :class:`Output` (pages as :mod:`.pages` cuts them)."""

    def __init__(
        self,
        store: Reader,
        env: Environment,
        out: Output,
        context: dict[str, Any],
        per_page: int,
        sitemap: Callable[[str], str],
    ) -> None:
        self.store, self.env, self.out, self.context, self.per_page = store, env, out, context, per_page
        self.sitemap = sitemap
        site = context["site"]
        author = env.filters["source_name"]
        self.items = feeds.Items(site["base_url"], bodies=store.bodies, author=author, cap=site.get("content_chars", 0))
        self.template = env.get_template("list.html")

    def newest(self, spec: ListSpec, limit: int) -> list[Entry]:
        return [entry(a) for a in self.store.members(spec.group, limit, since=spec.since, until=spec.until)]

    def plan(self, spec: ListSpec, changes: Changes | None, members: list[Entry] | None = None) -> None:
        """Plan the pages of ``spec`` — every page (``changes`` None), or those around
        each changed place — and its feeds. ``members``: the list's articles, newest
        first, when the caller has read them already."""
        if spec.size == 0:
            self.out.drop(self.out.manifest.paths_under(spec.base))
            return
        if changes is None:
            reading = iter(members) if members is not None else self._read(spec)
            for page in paged(reading, self.per_page):
                self._page(spec, page)
        else:
            done: set[str] = set()
            read: list[tuple[list[Page[Place]], list[Place], bool]] = []
            for place in sorted(changes.places, reverse=True):
                # a run read for another change that already holds every page this one can reach
                if not any(whole or _enough(pages, run, place, radius(self.per_page)) for pages, run, whole in read):
                    read.append(self._around(spec, place, changes, done))
        if spec.size >= 2 * self.per_page:  # titled as the served feeds are: the site's, then the list's
            self.feeds(spec.base, f"{self.context['site']['title']} · {spec.title}", self.newest(spec, FEED_ITEMS))
        elif changes is not None:  # a list that shrank (a full build removes what it does not make)
            self.out.drop(f"{spec.base}{name}" for name in ("index.xml", "atom.xml", "feed.json"))

    def feeds(self, base: str, title: str, latest: Sequence[Entry]) -> None:
        items, key = self.items, digest(title, [stamp(e) for e in latest])
        self.out.page(f"{base}index.xml", key, lambda: feeds.rss(items, base, title, latest))
        self.out.page(f"{base}atom.xml", key, lambda: feeds.atom(items, base, title, latest))
        self.out.page(f"{base}feed.json", key, lambda: feeds.json_feed(items, base, title, latest))

    def whole(self, base: str, title: str, members: Sequence[Entry]) -> None:
        """A list given whole (a watchlist's stories), with feeds."""
        spec = ListSpec(("watch", base), base, title, len(members))
        for page in paged(members, self.per_page):
            self._page(spec, page, sitemap=False)
        self.feeds(base, title, list(members[:FEED_ITEMS]))

    def _around(
        self, spec: ListSpec, place: Key, changes: Changes, done: set[str]
    ) -> tuple[list[Page[Place]], list[Place], bool]:
        """Plan the pages around a changed ``place`` of a list, and drop those gone: the
        places of the list on both sides of it, read until they hold the pages the change
        can reach and one page more each side, are cut as now and as before every change;
        pages that differ are read whole and planned. Returns the pages and the run, and
        whether the run is the whole list."""
        size = 4 * self.per_page
        while True:
            run, newest_end, oldest_end = self._run(spec, place, size)
            pages = list(paged(run, self.per_page, newest_end=newest_end, oldest_end=oldest_end))
            if (newest_end and oldest_end) or _enough(pages, run, place, radius(self.per_page)):
                break
            size *= 4
        before = _before(run, (newest_end, oldest_end), changes)
        was = {page.name: page for page in paged(before, self.per_page, newest_end=newest_end, oldest_end=oldest_end)}
        todo = [page for page in pages if page.name not in done and _differs(page, was.get(page.name), changes)]
        found = {a.uuid: entry(a) for a in self.store.arrivals([e.uuid for page in todo for e in page.entries])}
        for page in todo:
            done.add(page.name)
            members = [found[e.uuid] for e in page.entries if e.uuid in found]
            self._page(spec, Page(page.name, members, page.newer, page.older))
        gone = _gone(run, pages, was.values()) if run else []
        self.out.drop(page_address(spec.base, name) for name in gone if name not in done)
        return pages, run, newest_end and oldest_end

    def _run(self, spec: ListSpec, place: Key, size: int) -> tuple[list[Place], bool, bool]:
        """The places of up to ``size`` articles of the list on each side of ``place``,
        newest first, and whether they reach its newest and its oldest article."""
        since, until, group = spec.since, spec.until, spec.group
        older = self.store.places(group, size, place, since=since, until=until)
        newest = older[0] if older else None  # read up from the place just below: ``place`` itself too
        above = self.store.places(group, size + 1, after=newest, ascending=True, since=since, until=until)
        run = [Place(uuid, published) for published, uuid in [*reversed(above), *older]]
        return run, len(above) <= size, len(older) < size

    def _page(self, spec: ListSpec, page: Page[Entry], *, sitemap: bool = True) -> None:
        path = page_address(spec.base, page.name)
        links = static_pager(spec.base, page, self.context["tz"])
        key = digest(spec.title, links, [stamp(e) for e in page.entries])
        render = functools.partial(self._render, spec, path, page.entries, links)
        self.out.page(page_file(path), key, render, self.sitemap(path) if sitemap else None, holds=len(page.entries))

    def _read(self, spec: ListSpec) -> Iterator[Entry]:
        return newest_first(self.store, spec.group, 2 * self.per_page + 1, since=spec.since, until=spec.until)

    def _render(self, spec: ListSpec, path: str, chunk: list[Entry], links: dict[str, object]) -> str:
        root = "../" * path.count("/")
        feed = spec.base if spec.size >= 2 * self.per_page else ""
        compact = spec.group[0] in _HEADLINES
        return self.template.render(
            self.context, title=spec.title, entries=chunk, pager=links, root=root, feed=feed, compact=compact
        )


def static_pager(base: str, page: Page[Entry], tz: tzinfo) -> dict[str, object]:
    """Links of a static list page (the shape :func:`pager` gives served pages): newer
    and older pages by name, the front page, the oldest; ``number`` labels an archive
    page by the day of its newest article."""
    label = "" if page.name == FRONT else page.entries[0].published.astimezone(tz).strftime("%Y-%m-%d")
    return {
        "number": label,
        "previous": None if page.newer is None else page_address(base, page.newer),
        "next": None if page.older is None else page_address(base, page.older),
        "pages": [],
        "front": base,
        "oldest": None if page.name in (FRONT, OLDEST) or page.older is None else page_address(base, OLDEST),
    }


def _enough(pages: list[Page[Place]], run: list[Place], place: Key, reach: int) -> bool:
    """Whether ``pages`` (those decided of ``run``) hold every page a change at
    ``place`` can touch — those within ``reach`` of it — and one more on each side."""
    if not pages:
        return False
    at = next((n for n, e in enumerate(run) if e.key <= place), len(run))
    start = next(n for n, e in enumerate(run) if e.uuid == pages[0].entries[0].uuid)
    above = below = False
    for page in pages:
        stop = start + len(page.entries)
        above |= stop <= at - reach
        below |= start > at + reach
        start = stop
    return (above or pages[0].name == FRONT) and (below or pages[-1].name == OLDEST)


def _before(run: list[Place], ends: tuple[bool, bool], changes: Changes) -> list[Place]:
    """The run as it was before the changes: the changed articles at their old places."""
    was = [e for e in run if e.uuid not in changes.added]
    was += [
        Place(uuid, published)
        for published, uuid in changes.removed
        if (ends[0] or (published, uuid) <= run[0].key) and (ends[1] or (published, uuid) >= run[-1].key)
    ]
    return sorted(was, key=lambda e: e.key, reverse=True)


def _differs(page: Page[Place], was: Page[Place] | None, changes: Changes) -> bool:
    """Whether a page must be made again: new, other articles or neighbours, or holding a changed one."""
    if was is None or (page.newer, page.older) != (was.newer, was.older):
        return True
    return [e.uuid for e in page.entries] != [e.uuid for e in was.entries] or any(
        e.uuid in changes.added for e in page.entries
    )


def _gone(run: list[Place], pages: list[Page[Place]], was: Iterable[Page[Place]]) -> list[str]:
    """Names of the pages the list had around a change and has no more: a page whose
    newest article no longer ends a page (where the run decides it), or moved."""
    named = {page.name for page in pages}
    if named == {FRONT}:  # the whole list fits its front page: no archive at all
        return [OLDEST, *(page.name for page in was if page.name not in (FRONT, OLDEST))]
    covered = {e.uuid for page in pages for e in page.entries}
    now = {e.uuid: e.published for e in run}
    gone = []
    for page in was:
        head = page.entries[0]
        if page.name in named or page.name in (FRONT, OLDEST):
            continue
        if now.get(head.uuid) != head.published or head.uuid in covered:
            gone.append(page.name)
    return gone


def newest_first(
    store: Reader,
    group: Group,
    first: int,
    *,
    since: datetime | None = None,
    until: datetime | None = None,
) -> Iterator[Entry]:
    """A list's entries newest first, read ``first`` at a time, then twice as many
    each time up to :data:`_READ` (a reader that stops early has read little)."""
    before, size = None, first
    while True:
        batch = store.members(group, size, before, since=since, until=until)
        yield from map(entry, batch)
        if len(batch) < size:
            return
        before, size = (batch[-1].published, batch[-1].uuid), min(2 * size, _READ)
