"""The list pages of the static site: a month's archive, a tag, a source, a language.

A list is numbered from its oldest article (:func:`list_pages`), so a full archive
page never changes; it is read from the store newest first, a page at a time, and
only as far back as its oldest changed article (and one page more, whose links
change when a page fills). A list gets feeds once it has an archive page."""

from __future__ import annotations

import functools
import itertools
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

from jinja2 import Environment

from newsdesk.models import Article
from newsdesk.publish import feeds
from newsdesk.publish.entry import Entry, entry
from newsdesk.publish.output import Output, digest

__all__ = [
    "FEED_ITEMS",
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
]

FEED_ITEMS = 20
_READ = 1000  # most articles read from the store at a time
_HEADLINES = ("tag", "source", "language")  # lists of one line per article; archives by month show summaries

Group = tuple[str, str]


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


def page_address(base: str, number: int) -> str:
    """Where page ``number`` of the list at ``base`` is: the folder's front page for 0,
    else a file of its own, ``page/N.html`` (no folder per page: a 4 KiB block each)."""
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


class Lists:
    """Plans the pages and feeds of lists into an :class:`Output`."""

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

    def plan(
        self,
        spec: ListSpec,
        oldest: tuple[datetime, str] | None,
        old_size: int,
        members: list[Entry] | None = None,
    ) -> None:
        """Plan the pages of ``spec`` from the newest back to the one holding ``oldest``
        (``(published, uuid)`` of the oldest article changed; None: every page), its
        feeds, and remove the pages it had beyond its size (``old_size``). ``members``:
        the list's articles, newest first, when the caller has read them already."""
        if spec.size == 0:
            self.out.drop(self.out.manifest.paths_under(spec.base))
            return
        sealed = sealed_pages(spec.size, self.per_page)
        old_sealed = sealed_pages(old_size, self.per_page) if old_size else 0
        reading = iter(members) if members is not None else self._read(spec)
        past = False
        for number, start, stop in iter_pages(spec.size, self.per_page):
            chunk = [e for _, e in zip(range(stop - start), reading, strict=False)]
            key = digest(spec.title, pager(spec.base, number, sealed), [stamp(e) for e in chunk])
            path = page_address(spec.base, number)
            render = functools.partial(self._render, spec, path, chunk, number, sealed)
            self.out.page(page_file(path), key, render, self.sitemap(path), holds=len(chunk))
            if past:
                break
            # done once past the oldest change and the newest page of before (whose links change)
            past = oldest is not None and 0 < number <= old_sealed and bool(chunk) and _key(chunk[-1]) <= oldest
        gone = [page_address(spec.base, n) for n in range(sealed + 1, old_sealed + 1)]
        self.out.drop(gone)
        if sealed:  # titled as the served feeds are: the site's, then the list's
            self.feeds(spec.base, f"{self.context['site']['title']} · {spec.title}", self.newest(spec, FEED_ITEMS))
        elif old_sealed:
            self.out.drop(f"{spec.base}{name}" for name in ("index.xml", "atom.xml", "feed.json"))

    def feeds(self, base: str, title: str, latest: Sequence[Entry]) -> None:
        items, key = self.items, digest(title, [stamp(e) for e in latest])
        self.out.page(f"{base}index.xml", key, lambda: feeds.rss(items, base, title, latest))
        self.out.page(f"{base}atom.xml", key, lambda: feeds.atom(items, base, title, latest))
        self.out.page(f"{base}feed.json", key, lambda: feeds.json_feed(items, base, title, latest))

    def whole(self, base: str, title: str, members: Sequence[Entry]) -> None:
        """A list given whole (a watchlist's stories), with feeds."""
        pages = list_pages(len(members), self.per_page)
        sealed = len(pages) - 1
        for number, start, stop in pages:
            path = page_address(base, number)
            chunk = list(members[start:stop])
            key = digest(base, pager(base, number, sealed), [stamp(e) for e in chunk])
            spec = ListSpec(("watch", base), base, title, len(members))
            render = functools.partial(self._render, spec, path, chunk, number, sealed)
            self.out.page(page_file(path), key, render, holds=len(chunk))
        self.feeds(base, title, list(members[:FEED_ITEMS]))

    def _read(self, spec: ListSpec) -> Iterator[Entry]:
        # an update build needs the front page and the one below it: two pages first
        return newest_first(self.store, spec.group, 2 * self.per_page + 1, since=spec.since, until=spec.until)

    def _render(self, spec: ListSpec, path: str, chunk: list[Entry], number: int, sealed: int) -> str:
        links = pager(spec.base, number, sealed)
        root = "../" * path.count("/")
        feed = spec.base if sealed else ""
        compact = spec.group[0] in _HEADLINES
        return self.template.render(
            self.context, title=spec.title, entries=chunk, pager=links, root=root, feed=feed, compact=compact
        )


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


def _key(e: Entry) -> tuple[datetime, str]:
    return (e.published, e.uuid)
