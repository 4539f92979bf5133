"""The static search index of a build, in blocks: the site's articles are cut into
blocks of :data:`BLOCK` numbered from the oldest (as list pages are, :func:`list_pages`,
with a front block of 1 to :data:`BLOCK` articles, the part a new article rewrites),
and the index covers the front block (the newest) and as many sealed blocks as make
up ``output.search_articles``. Each block is a folder of its own files
(:func:`static_search.index_files`), so a new article rewrites the front block only;
``search/blocks.json`` names the blocks, newest first, for ``search.js``."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from newsdesk.config import Settings
from newsdesk.publish import static_search
from newsdesk.publish.entry import Entry
from newsdesk.publish.lists import Reader, iter_pages, newest_first, sealed_pages, stamp
from newsdesk.publish.output import Output, digest
from newsdesk.publish.templating import excerpt

__all__ = ["BLOCK", "plan_search_index"]

BLOCK = 1000

Key = tuple[datetime, str]


def plan_search_index(
    out: Output,
    store: Reader,
    settings: Settings,
    shown: Mapping[str, str],
    counts: tuple[int, int],
    oldest: Key | None,
) -> None:
    """Plan the blocks of the index over the newest ``output.search_articles`` articles
    (``counts``: of the site before and now), back to the block holding ``oldest``
    (``(published, uuid)`` of the oldest article changed since the last build; None:
    every block) and to the front block of before."""
    blocks, covered = [], 0
    pages = iter_pages(counts[1], BLOCK, least=1)  # a front block of 1 to BLOCK: what a new article rewrites
    sealed, old_sealed = sealed_pages(counts[1], BLOCK, least=1), sealed_pages(counts[0], BLOCK, least=1)
    for number, start, stop in pages:
        if covered >= settings.output_search_articles:
            break
        blocks.append((number, stop - start))
        covered += stop - start
    names = [_name(number) for number, _ in blocks]
    out.page("search/blocks.json", digest(names), lambda: static_search.dump(names))
    out.page("search/t2s.json", "", lambda: static_search.dump(static_search.t2s_map()))
    out.drop(
        path for path in out.manifest.paths_under("search/") if path.count("/") == 2 and path.split("/")[1] not in names
    )
    reading = newest_first(store, ("all", ""), BLOCK)
    for number, size in blocks:
        chunk = [e for _, e in zip(range(size), reading, strict=False)]
        _plan_block(out, settings, shown, _name(number), chunk)
        before = number <= old_sealed if number else sealed == old_sealed  # the block was there
        if oldest is not None and before and chunk and (chunk[-1].published, chunk[-1].uuid) <= oldest:
            break


def _plan_block(out: Output, settings: Settings, shown: Mapping[str, str], name: str, chunk: list[Entry]) -> None:
    key = digest([stamp(e) for e in chunk])
    files = [f"search/{name}/{file}" for file in static_search.file_names()]
    if out.all_current(files, key):
        return
    tz = settings.tz

    def render() -> list[str]:
        made = static_search.index_files(
            chunk,
            lambda e: e.published.astimezone(tz).strftime("%Y-%m-%d %H:%M"),
            label=lambda source: shown.get(source, source),
            summary=lambda e: "" if e.title.startswith(excerpt(e.summary).rstrip("…")) else excerpt(e.summary),
        )
        return [made[file] for file in static_search.file_names()]

    out.pages([(path, key, None) for path in files], render)


def _name(number: int) -> str:
    return "front" if number == 0 else f"b{number:05d}"
