"""Static list pages cut by their articles: whole, stable where articles arrive, and the
same whether a list is read whole or around one place."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest

from newsdesk.publish.pages import FRONT, OLDEST, paged, radius


@dataclass(frozen=True)
class Item:
    uuid: str
    published: datetime


START = datetime(2025, 2, 1, tzinfo=UTC)


def _list(rng: random.Random, size: int) -> list[Item]:
    items = [
        Item(f"{rng.getrandbits(128):032x}", START + timedelta(minutes=rng.randrange(50_000))) for _ in range(size)
    ]
    return _newest_first(items)


def _newest_first(items: list[Item]) -> list[Item]:
    return sorted(items, key=lambda i: (i.published, i.uuid), reverse=True)


def _layout(items: list[Item], per_page: int) -> dict[str, tuple[list[str], str | None, str | None]]:
    return {p.name: ([i.uuid for i in p.entries], p.newer, p.older) for p in paged(items, per_page)}


@pytest.mark.parametrize("size", [0, 1, 9, 10, 25, 300, 2000])
def test_a_whole_list_is_every_article_once_in_order_with_linked_pages(size):
    items = _list(random.Random(size), size)
    pages = list(paged(items, 10))
    assert [i for p in pages for i in p.entries] == items
    assert pages[0].name == FRONT and pages[0].newer is None and len(pages[0].entries) >= min(size, 10)
    names = [p.name for p in pages]
    assert len(set(names)) == len(names)
    for newer, older in zip(pages, pages[1:], strict=False):
        assert newer.older == older.name and older.newer == newer.name
    assert pages[-1].older is None
    if len(pages) > 1:
        assert pages[-1].name == OLDEST
        assert all(len(p.entries) > radius(10) for p in pages[1:-1])  # an archive page holds radius + 1 at least
    if size == 2000:
        assert 8 <= size / len(pages) <= 14  # about ``per_page`` each


@pytest.mark.parametrize("seed", range(20))
def test_an_article_arriving_anywhere_changes_its_page_and_neighbours_only(seed):
    rng = random.Random(seed)
    items = _list(rng, 1500)
    before = _layout(items, 20)
    late = Item(f"{rng.getrandbits(128):032x}", START + timedelta(minutes=rng.randrange(50_000), seconds=30))
    after = _layout(_newest_first([*items, late]), 20)
    changed = {n for n in after if before.get(n) != after[n] and n != FRONT} | (set(before) - set(after))
    assert len(changed) <= 4  # numbered pages would shift every page after its place: hundreds here
    gone = _newest_first([i for i in items if i is not items[rng.randrange(len(items))]])
    removed = _layout(gone, 20)
    assert len({n for n in removed if before.get(n) != removed[n] and n != FRONT} | (set(before) - set(removed))) <= 4


@pytest.mark.parametrize("seed", range(20))
def test_a_run_read_around_a_place_gives_the_pages_of_the_whole_list(seed):
    rng = random.Random(seed)
    items = _list(rng, 800)
    whole = _layout(items, 20)
    lo = rng.randrange(len(items))
    hi = min(len(items), lo + rng.randrange(1, 300))
    run = items[lo:hi]
    found = list(paged(run, 20, newest_end=lo == 0, oldest_end=hi == len(items)))
    assert all(whole[p.name] == ([i.uuid for i in p.entries], p.newer, p.older) for p in found)
    if hi - lo > 200:
        assert len(found) >= 3  # a run that long decides most of its pages
