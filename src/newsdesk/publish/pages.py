"""Where the archive pages of a static list begin and end.

The articles themselves decide (content-defined chunking): an article is the newest
of an archive page when the weight of its uuid (a hash) is smaller than that of every
article within ``radius`` places of it on either side, and it is not among the newest
``per_page`` (the front page's). An article arriving anywhere in a list — the newest, or
one published last month — can only change the ends of the pages within ``radius``
of its place: it rewrites the page it lands in and its neighbours, never every page
after it, as pages of a fixed size numbered from either end would. Pages hold
``radius + 1`` articles at least and ``2 × radius + 1`` on average.

A page is named by its newest article (:func:`page_name`) and keeps that name whatever
arrives before or after it; the oldest page is ``1`` (a link every page can hold
without changing), the front page is the list's folder.
"""

from __future__ import annotations

import hashlib
from collections import deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Generic, Protocol, TypeVar

__all__ = ["FRONT", "OLDEST", "Page", "Place", "Placed", "page_name", "paged", "radius"]

FRONT, OLDEST = "", "1"


class Placed(Protocol):
    @property
    def uuid(self) -> str: ...
    @property
    def published(self) -> datetime: ...


P = TypeVar("P", bound=Placed)


@dataclass(frozen=True, slots=True)
class Place:
    """An article's place in a list, all that decides where pages end (read from an index)."""

    uuid: str
    published: datetime

    @property
    def key(self) -> tuple[datetime, str]:
        return (self.published, self.uuid)


@dataclass(slots=True)
class Page(Generic[P]):
    """A page of a list: ``name`` (:data:`FRONT`, :data:`OLDEST` or its newest
    article's), its entries newest first, and the names of its neighbours (None: none)."""

    name: str
    entries: list[P]
    newer: str | None
    older: str | None


def radius(per_page: int) -> int:
    """How far an article's weight is compared: pages average about ``per_page``."""
    return max(per_page // 2, 1)


def page_name(e: Placed) -> str:
    """The name of the archive page ``e`` is the newest article of (UTC time, a uuid prefix)."""
    when = e.published.astimezone(UTC) if e.published.tzinfo else e.published
    return f"{when:%Y%m%dT%H%M%S}-{e.uuid[:8]}"


def paged(
    entries: Iterable[P], per_page: int, *, newest_end: bool = True, oldest_end: bool = True
) -> Iterator[Page[P]]:
    """The pages of a run of a list's entries (newest first), as they are read:
    ``newest_end``/``oldest_end`` say whether the run reaches the list's newest and
    oldest article. Only pages the run decides wholly — where they begin and end and
    what their neighbours are called — are yielded (of a whole list: every page)."""
    runs = _named(_runs(_decided(entries, per_page, newest_end, oldest_end), newest_end), oldest_end)
    previous: _Run[P] | None = None
    current = next(runs, None)
    while current is not None:
        following = next(runs, None)
        name, members, whole = current
        newer = None if previous is None else previous[0]
        known = name == FRONT or (newer is not None)
        ends = following is not None or oldest_end
        if name is not None and whole and known and ends:
            yield Page(name, members, newer, None if following is None else following[0])
        previous, current = current, following


_Run = tuple[str | None, list[P], bool]


def _decided(
    entries: Iterable[P], per_page: int, newest_end: bool, oldest_end: bool
) -> Iterator[tuple[P, bool | None]]:
    """Each entry of the run with whether it ends a page (None: the run does not say).
    The window's smallest weight is kept in a queue of rising weights (a sliding
    minimum): one pass, whatever the radius."""
    reach = radius(per_page)
    least = max(per_page, reach)  # the front page's: they never end a page
    ahead: deque[P] = deque()  # read, not yet decided: ``place`` to ``place + reach``
    rising: deque[tuple[int, int]] = deque()  # (place, weight) of the window, weights rising
    place = 0

    def decide(complete: bool) -> bool | None:
        while rising[0][0] < place - reach:
            rising.popleft()
        if place < least and newest_end:
            return False
        if place < least or not complete:
            return None
        return rising[0][0] == place

    for n, e in enumerate(entries):
        weight = _weight(e.uuid)
        while rising and rising[-1][1] >= weight:
            rising.pop()
        rising.append((n, weight))
        ahead.append(e)
        if n - place == reach:
            yield ahead.popleft(), decide(True)
            place += 1
    while ahead:
        yield ahead.popleft(), decide(oldest_end)
        place += 1


def _runs(decided: Iterator[tuple[P, bool | None]], newest_end: bool) -> Iterator[_Run[P]]:
    """The run split where pages end: ``(name, members, whole)`` — name None when the
    run does not show where the page starts, ``whole`` false when it does not show
    where it ends."""
    name: str | None = FRONT if newest_end else None
    members: list[P] = []
    whole = True
    for e, ends in decided:
        if ends:
            yield name, members, whole
            name, members, whole = page_name(e), [], True
        elif ends is None:
            whole = False
        members.append(e)
    yield name, members, whole


def _named(runs: Iterator[_Run[P]], oldest_end: bool) -> Iterator[_Run[P]]:
    """The runs, the last one named :data:`OLDEST` when it is the list's oldest page."""
    held = next(runs, None)
    for run in runs:
        assert held is not None
        yield held
        held = run
    if held is not None:
        name, members, whole = held
        yield (OLDEST if oldest_end and name not in (FRONT, None) else name), members, whole


def _weight(uuid: str) -> int:
    return int.from_bytes(hashlib.blake2b(uuid.encode(), digest_size=8).digest(), "big")
