"""The static search index of a build, in blocks: the site's articles, newest first,
are cut into blocks of about :data:`BLOCK` by the articles themselves (as list pages
are, :mod:`.pages`: a block ends where an article's hash is the smallest around it),
and the index covers the front block (the newest) and as many blocks after it as make
up ``output.search_articles``. Each block is a folder of its own files
(:func:`static_search.index_files`) named by its newest article, so a new article
rewrites the front block, and one dated last week the block it lands in (if the index
reaches back that far) — never the blocks between. Where blocks end is decided from
the articles' places alone (time and uuid, read from an index); a block's articles are
read only when it is made. ``search/blocks.json`` names the blocks, newest first, for
``search.js``."""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from datetime import datetime

from newsdesk.config import Settings
from newsdesk.publish import static_search
from newsdesk.publish.entry import Entry, entry
from newsdesk.publish.lists import Reader, stamp
from newsdesk.publish.output import Output, digest
from newsdesk.publish.pages import FRONT, Place, paged
from newsdesk.publish.templating import excerpt

__all__ = ["BLOCK", "plan_search_index"]

BLOCK = 1000
_READ = 5000  # places read at a time

Key = tuple[datetime, str]


def plan_search_index(
    out: Output, store: Reader, settings: Settings, shown: Mapping[str, str], changed: set[Key] | None
) -> None:
    """Plan the blocks of the index over the newest ``output.search_articles`` articles:
    every block (``changed`` None), or those that are new, hold other articles than the
    last build's block of that name, or hold a place in ``changed`` (where articles
    arrived, left or changed since)."""
    before = _remembered(out) if changed is not None else {}
    blocks: list[tuple[str, int]] = []
    covered = 0
    for block in paged(_newest_places(store), BLOCK):
        if covered >= settings.output_search_articles:
            break
        name, size = _name(block.name), len(block.entries)
        oldest, newest = block.entries[-1].key, block.entries[0].key
        if before.get(name) != size or any(oldest <= place <= newest for place in changed or ()):
            found = store.arrivals([e.uuid for e in block.entries])
            _plan_block(out, settings, shown, name, [entry(a) for a in found])
        blocks.append((name, size))
        covered += size
    names = [name for name, _ in blocks]
    out.page("search/blocks.json", digest(names), lambda: static_search.dump(names))
    out.page("search/t2s.json", "", lambda: static_search.dump(static_search.t2s_map()))
    out.drop(
        path for path in out.manifest.paths_under("search/") if path.count("/") == 2 and path.split("/")[1] not in names
    )
    out.manifest.set_meta(search_blocks=json.dumps(blocks))


def _newest_places(store: Reader) -> Iterator[Place]:
    """The site's articles newest first, as places (uuid and time), read a few thousand at a time."""
    before = None
    while True:
        batch = store.places(("all", ""), _READ, before)
        yield from (Place(uuid, published) for published, uuid in batch)
        if len(batch) < _READ:
            return
        before = batch[-1]


def _remembered(out: Output) -> dict[str, int]:
    """The blocks of the last build with their sizes."""
    try:
        return {str(name): int(size) for name, size in json.loads(out.manifest.meta("search_blocks", "[]"))}
    except (ValueError, TypeError):
        return {}


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


def _name(page: str) -> str:
    return "front" if page == FRONT else f"b{page}"  # b1: the site's oldest block
