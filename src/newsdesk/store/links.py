"""Stories across languages, linked inside the transaction that saves a batch.

Clusters (``store/clusters.py``) join copies and rewrites in one language. A report of
the same event in another language shares no words with them, but it names the same
things: the company, the official, the figure, the kind of event
(:mod:`newsdesk.enrich.mentions`). Those mentions, hashed, are kept in ``story_keys``
with the article's publication time and language; an article is compared with the
articles of *other* languages that share its keys within :data:`WINDOW`:

    score = Σ over shared keys  weight · ln(COMMON / df)  /  (1 + hours apart / HOURS)

``df`` is how many articles (any language) named the key within the window, read from
``story_key_counts`` (kept by six hours), and raised in proportion while the store holds
fewer than :data:`REFERENCE` articles a window (in a young store every name looks rare);
a key named more than :data:`MAX_DF` times is no evidence, and its articles are not read.
``weight`` is :data:`PAIR_WEIGHT` for a company–event pair (``x:PFE|EARNINGS``, named in
one sentence), :data:`FIGURE_WEIGHT` for each of a figure's two keys, :data:`SPEAKER_WEIGHT`
for a person named at most :data:`SPEAKER_DF` times (an official's remarks: flash wires
report them line by line, a newswire once), 1 for a name. Two reports need
:data:`MIN_THINGS` things in common, one of them a name (figures alone coincide: a 32 %
here and a 32 % there; a pair and a rare person count as two), and are compared only
when both titles name one thing they share (``story_keys.title``): what a report is
about is in its title, while a commentary's lead names everything in passing.

The candidates scoring :data:`THRESHOLD` or more join the article's story to theirs
(:mod:`newsdesk.store.merges`: through a story's first report in a language, a copy of
it, or a later report when the article relates to the first one too; several stories
when one report evidences them alike; never a merge leaving three distinct titles of
one outlet). The constants were set on dev labels (``benchmarks/data/crosslingual-*.tsv``,
``benchmarks/crosslingual.py``).

An article without mentions (no title, no text), without a language, or whose title is
a roundup naming :data:`ROUNDUP` companies, institutions or people links nothing.
"""

from __future__ import annotations

import bisect
import hashlib
import math
from collections import Counter, defaultdict
from collections.abc import Sequence
from datetime import datetime, timedelta

import sqlalchemy as sa

from newsdesk.enrich import mentions
from newsdesk.models import Article
from newsdesk.store import bulk, merges
from newsdesk.store.merges import primary, resolve
from newsdesk.store.schema import articles, story_key_counts, story_keys

__all__ = ["forget", "key_of", "link", "resolve", "score"]

WINDOW = timedelta(hours=24)
COMMON = 800  # a key named this often within the window has weight 0
MAX_DF = 100
HOURS = 3.0
PAIR_WEIGHT = 1.5
FIGURE_WEIGHT = 0.5  # each of a figure's two keys
REFERENCE = 13_000  # articles a window held where COMMON was set (the dev corpus: 70 sources)
SPEAKER_DF = 40  # a person named at most this often within the window counts as two things
SPEAKER_WEIGHT = 2.0
MIN_THINGS = 2  # distinct things two reports must both name (a pair, a name, a figure)
THRESHOLD = 5.1
ANCHOR_SHARE = 0.5  # of THRESHOLD: how far an article joining through a later report must relate to the first
ROUNDUP = 5  # names in a title that make it a roundup of several events, linked to none
MAX_LINKS = 5  # candidates kept per article, best first
SLOT_SECONDS = 6 * 3600  # the span of a count of story_key_counts
_REACH = int(WINDOW.total_seconds() // SLOT_SECONDS)  # slots on each side of a moment's within the window


def _slot(moment: datetime) -> int:
    """The six hours of ``moment`` (story_key_counts.slot)."""
    return int(moment.timestamp() // SLOT_SECONDS)


def key_of(mention: str) -> int:
    return int.from_bytes(hashlib.blake2b(mention.encode(), digest_size=7).digest(), "big")


def score(shared: dict[str, float], hours_apart: float) -> float:
    """The evidence of the shared mentions (mention → df) of two articles ``hours_apart``:
    none unless they name one thing alike (a company, an institution, a person, a name);
    figures alone coincide (a 32 % here and a 32 % there), and a figure's two keys (two
    and three digits) count as one."""
    telling = {m: df for m, df in shared.items() if df < min(MAX_DF + 1, COMMON)}
    names = [m for m in telling if not _is_figure(m)]
    figures = sum(1 for m in telling if _is_figure(m) and m.partition(":")[0].endswith("2"))  # one key a figure
    speakers = sum(1 for m in names if _speaker(m, telling[m]))
    things = len(names) + figures + speakers + sum(1 for m in names if m.startswith("x:"))
    if not names or things < MIN_THINGS:
        return 0.0
    total = 0.0
    for mention, df in telling.items():
        weight = PAIR_WEIGHT if mention.startswith("x:") else FIGURE_WEIGHT if _is_figure(mention) else 1.0
        total += (SPEAKER_WEIGHT if _speaker(mention, df) else weight) * math.log(COMMON / max(df, 1))
    return total / (1 + hours_apart / HOURS)


def _speaker(mention: str, df: float) -> bool:
    """A person named rarely: what they said that day is the event (an official's
    remarks, reported line by line by the flash wires and once by a newswire)."""
    return df <= SPEAKER_DF and mention.startswith("e:") and mentions.kind_of().get(mention[2:]) == "person"


def _is_figure(mention: str) -> bool:
    return not mention.startswith(("e:", "x:", "l:"))


class _Row:
    """An article naming a key: ``headline`` holds the keys its title names."""

    __slots__ = ("headline", "language", "published", "uuid")

    def __init__(self, uuid: str, published: datetime, language: str, headline: set[int]) -> None:
        self.uuid, self.published, self.language, self.headline = uuid, published, language, headline


def link(conn: sa.Connection, batch: Sequence[Article]) -> dict[str, str]:
    """Link each article of ``batch`` (clusters assigned) to the story of its best-evidenced
    report in another language, merging stories; store its keys. Returns the merges
    made (old story id → new)."""
    keyed = {a.uuid: {m: key_of(m) for m in a.mentions} for a in batch if _linkable(a)}
    titled = {a.uuid: _headline(a, keyed[a.uuid]) for a in batch if a.uuid in keyed}
    index = _stored(conn, [a for a in batch if a.uuid in keyed], keyed, {a.uuid for a in batch})
    best: merges.Found = {}
    for article in batch:
        if article.uuid not in keyed:
            continue
        row = _Row(article.uuid, article.published, primary(article.language), titled[article.uuid])
        found, scores = _best(row, keyed[article.uuid], index)
        if found:
            best[article.uuid] = found, scores
        for key in keyed[article.uuid].values():
            index.batch.setdefault(key, _Timeline()).add(row)
    merged = merges.merge_all(conn, batch, best, floor=THRESHOLD * ANCHOR_SHARE)
    _replace(conn, batch, keyed, titled)
    return merged


def _linkable(article: Article) -> bool:
    """Whether ``article`` may be linked: it names something, has a language, and its
    title is no roundup (naming :data:`ROUNDUP` companies, institutions or people:
    "Stocks moving: Alphabet, AMD, Apple, Palantir, Novo Nordisk")."""
    named = sum(1 for m in article.headline if m.startswith("e:"))
    return bool(article.mentions) and bool(primary(article.language)) and named < ROUNDUP


def _headline(article: Article, keys: dict[str, int]) -> set[int]:
    """The keys of the names ``article``'s title names (of a pair: its company)."""
    named = set(article.headline)
    return {key for mention, key in keys.items() if _name_of(mention) in named}


def _name_of(mention: str) -> str:
    """The name a mention is about: a pair's company or institution, or the mention."""
    return "e:" + mention[2:].partition("|")[0] if mention.startswith("x:") else mention


class _Timeline:
    """The articles naming one key, in publication order, for window lookups."""

    __slots__ = ("rows", "times")

    def __init__(self) -> None:
        self.times: list[float] = []
        self.rows: list[_Row] = []

    def append(self, row: _Row) -> None:
        """Add a row published no earlier than any already here."""
        self.times.append(row.published.timestamp())
        self.rows.append(row)

    def add(self, row: _Row) -> None:
        at = bisect.bisect(self.times, row.published.timestamp())
        self.times.insert(at, row.published.timestamp())
        self.rows.insert(at, row)

    def around(self, moment: datetime) -> list[_Row]:
        t, span = moment.timestamp(), WINDOW.total_seconds()
        return self.rows[bisect.bisect_left(self.times, t - span) : bisect.bisect_right(self.times, t + span)]


class _Index:
    """What a batch is linked by: for each of its keys, the stored articles of other
    languages naming it (the candidates), how many stored articles named it in each
    six hours (how common it is), and the batch's own articles naming it."""

    __slots__ = ("batch", "counts", "scale", "stored", "sums")

    def __init__(self) -> None:
        self.stored: dict[int, _Timeline] = defaultdict(_Timeline)
        self.counts: dict[int, dict[int, int]] = defaultdict(dict)
        self.sums: dict[tuple[int, int], int] = {}  # (key, slot) → stored count over the slot's window
        self.batch: dict[int, _Timeline] = {}
        self.scale = 1.0  # > 1 while the store holds fewer articles a window than REFERENCE

    def named(self, key: int, moment: datetime) -> float:
        """How many articles named ``key`` within the window of ``moment`` (by six hours),
        as many as a store of :data:`REFERENCE` articles a window would have seen: in a
        young store every key looks rare, and rarity is what counts as evidence."""
        at = _slot(moment)  # the window's slots depend on this one only: WINDOW is whole slots
        stored = self.sums.get((key, at))
        if stored is None:
            slots, reach = self.counts.get(key, {}), _REACH
            stored = self.sums[key, at] = sum(slots.get(s, 0) for s in range(at - reach, at + reach + 1))
        own = self.batch.get(key)
        return (stored + (len(own.around(moment)) if own else 0)) * self.scale

    def around(self, key: int, moment: datetime) -> list[_Row]:
        """The articles naming ``key`` within the window of ``moment``: stored ones of other
        languages than the batch's articles naming it, and the batch's own."""
        return [row for t in (self.stored.get(key), self.batch.get(key)) if t for row in t.around(moment)]


def _best(article: _Row, keys: dict[str, int], index: _Index) -> tuple[list[tuple[float, str]], dict[str, float]]:
    """The candidates of other languages reaching the threshold (score, uuid), best first,
    and the score of every article of other languages sharing a key; ``keys``: the
    article's mentions and their keys. Two reports are compared only when both titles
    name one thing they share: what a report is about is in its title, and a passing
    mention in a commentary's lead is no report of the event."""
    shared: dict[str, dict[str, float]] = defaultdict(dict)
    when: dict[str, datetime] = {}
    headlined: set[str] = set()
    for mention, key in keys.items():
        df = index.named(key, article.published)
        if df > MAX_DF:
            continue
        for row in index.around(key, article.published):
            if row.language != article.language and row.uuid != article.uuid:
                shared[row.uuid][mention] = df
                when[row.uuid] = row.published
                if key in row.headline and key in article.headline and not _is_figure(mention):
                    headlined.add(row.uuid)
    scored = {
        uuid: score(named, abs((when[uuid] - article.published).total_seconds()) / 3600)
        for uuid, named in shared.items()
        if uuid in headlined
    }
    found = sorted(((points, uuid) for uuid, points in scored.items() if points >= THRESHOLD), reverse=True)
    return found[:MAX_LINKS], scored


def _stored(conn: sa.Connection, batch: list[Article], keyed: dict[str, dict[str, int]], exclude: set[str]) -> _Index:
    """The index of a batch (see :class:`_Index`): the counts of its keys over its span, and
    the stored articles of other languages naming the keys named few enough times there
    to be evidence — one read of counts and one of articles per language, whatever the
    batch's size."""
    index = _Index()
    if not batch:
        return index
    low = min(a.published for a in batch) - WINDOW
    high = max(a.published for a in batch) + WINDOW
    # How full a window is, measured around the batch's middle: its span may reach days
    # away (a late or a future-dated item), which would make a full store look young.
    middle = sorted(a.published for a in batch)[len(batch) // 2]
    c = articles.c
    around = c.published.between(middle - WINDOW, middle + WINDOW)
    per_window = conn.execute(sa.select(sa.func.count()).where(around)).scalar() or 0
    index.scale = max(1.0, REFERENCE / max(per_window, 1))
    counts = story_key_counts.c
    wanted = sorted({key for keys in keyed.values() for key in keys.values()})
    slots = counts.slot.between(_slot(low), _slot(high))
    for where in bulk.matching(conn, counts.key, wanted):
        for key, slot, n in conn.execute(sa.select(counts.key, counts.slot, counts.n).where(where, slots)):
            index.counts[key][slot] = n
    languages: dict[int, set[str]] = defaultdict(set)  # of the batch's articles naming each rare key
    for article in batch:
        for key in keyed[article.uuid].values():
            if sum(index.counts.get(key, {}).values()) <= MAX_DF:
                languages[key].add(primary(article.language))
    by_language: dict[str, list[int]] = defaultdict(list)  # "": keys named in several languages
    for key, named in languages.items():
        by_language[next(iter(named)) if len(named) == 1 else ""].append(key)
    k = story_keys.c
    within = sa.and_(k.published >= low, k.published <= high)
    rows: dict[str, _Row] = {}
    for language, keys in by_language.items():
        other = k.language != language if language else sa.true()
        for where in bulk.matching(conn, k.key, sorted(keys)):
            query = sa.select(k.key, k.uuid, k.published, k.language, k.title).where(where, within, other)
            for key, uuid, published, row_language, title in conn.execute(query.order_by(k.key, k.published)):
                if uuid not in exclude:
                    row = rows.setdefault(uuid, _Row(uuid, published, row_language, set()))
                    if title:
                        row.headline.add(key)
                    index.stored[key].append(row)  # in order
    return index


def _replace(
    conn: sa.Connection, batch: Sequence[Article], keyed: dict[str, dict[str, int]], titled: dict[str, set[int]]
) -> None:
    """The batch's keys in place of any it had (an article imported again), and the counts."""
    counted = _forgotten(conn, [a.uuid for a in batch])
    written = [(key, a) for a in batch if a.uuid in keyed for key in set(keyed[a.uuid].values())]
    slots = {a.uuid: _slot(a.published) for a in batch}
    rows = [
        {
            "key": key,
            "uuid": a.uuid,
            "published": a.published,
            "language": primary(a.language),
            "title": key in titled[a.uuid],
        }
        for key, a in written
    ]
    bulk.insert(conn, story_keys, rows)
    counted.update((key, slots[a.uuid]) for key, a in written)
    _count(conn, counted)


def forget(conn: sa.Connection, uuids: Sequence[str]) -> None:
    """Remove the keys of these articles (being removed) and count them no more."""
    _count(conn, _forgotten(conn, uuids))


def _forgotten(conn: sa.Connection, uuids: Sequence[str]) -> Counter[tuple[int, int]]:
    """Delete the keys of ``uuids``; the changes to the counts that makes (negative)."""
    counted: Counter[tuple[int, int]] = Counter()
    k = story_keys.c
    for where in bulk.matching(conn, k.uuid, uuids):
        stored = conn.execute(sa.select(k.key, k.published).where(where))
        counted.subtract((key, _slot(published)) for key, published in stored)
        conn.execute(story_keys.delete().where(where))
    return counted


def _count(conn: sa.Connection, changes: Counter[tuple[int, int]]) -> None:
    rows = [{"key": key, "slot": slot, "n": n} for (key, slot), n in changes.items() if n]
    bulk.add_counts(conn, story_key_counts, "n", rows)
