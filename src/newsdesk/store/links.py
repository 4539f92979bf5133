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
``weight`` is :data:`PAIR_WEIGHT` for a company–event pair (``x:PFE|EARNINGS``),
:data:`FIGURE_WEIGHT` for each of a figure's two keys, 1 for a name. Two reports need
:data:`MIN_THINGS` things in common, one of them a name (figures alone coincide: a 32 %
here and a 32 % there). The best candidate scoring :data:`THRESHOLD` or more links the
two stories: the article's story is merged into the candidate's, its old id recorded in
``story_merges`` so that it keeps resolving, and alerts already sent for it count for
the story it joined. Only a candidate that is its story's first report in its language
is joined, and no merge leaves :data:`MAX_PER_OUTLET` distinct titles of one outlet in a
story (see :func:`_merge_all`: both stop unrelated stories chaining). The constants were
set on dev labels (``benchmarks/data/crosslingual-*.tsv``, ``benchmarks/crosslingual.py``).

An article without mentions (no title, no text) or without a language links nothing.
"""

from __future__ import annotations

import bisect
import hashlib
import math
from collections import Counter, defaultdict
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa

from newsdesk.models import Article
from newsdesk.store import bulk
from newsdesk.store.schema import alerts, articles, story_key_counts, story_keys, story_merges

__all__ = ["forget", "key_of", "link", "resolve", "score"]

WINDOW = timedelta(hours=24)
COMMON = 800  # a key named this often within the window has weight 0
MAX_DF = 100
HOURS = 3.0
PAIR_WEIGHT = 1.5
FIGURE_WEIGHT = 0.5  # each of a figure's two keys
REFERENCE = 13_000  # articles a window held where COMMON was set (the dev corpus: 70 sources)
MIN_THINGS = 2  # distinct things two reports must both name (a pair, a name, a figure)
THRESHOLD = 5.1
MAX_PER_OUTLET = 3  # distinct titles of one outlet a merged story may not reach
MAX_LINKS = 5  # candidates kept per article, best first
MAX_HOPS = 16  # merges followed when resolving an old id
SLOT_SECONDS = 6 * 3600  # the span of a count of story_key_counts


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
    things = len(names) + figures
    if not names or things < MIN_THINGS:
        return 0.0
    total = 0.0
    for mention, df in telling.items():
        weight = PAIR_WEIGHT if mention.startswith("x:") else FIGURE_WEIGHT if _is_figure(mention) else 1.0
        total += weight * math.log(COMMON / max(df, 1))
    return total / (1 + hours_apart / HOURS)


def _is_figure(mention: str) -> bool:
    return not mention.startswith(("e:", "x:", "l:"))


def _primary(tag: str | None) -> str:
    """A language tag's primary subtag, lower-cased ("" for none)."""
    return (tag or "").split("-")[0].lower()


class _Row:
    __slots__ = ("language", "published", "uuid")

    def __init__(self, uuid: str, published: datetime, language: str) -> None:
        self.uuid, self.published, self.language = uuid, published, language


def link(conn: sa.Connection, batch: Sequence[Article]) -> dict[str, str]:
    """Link each article of ``batch`` (clusters assigned) to the story of its best-evidenced
    report in another language, merging stories; store its keys. Returns the merges
    made (old story id → new)."""
    keyed = {a.uuid: {m: key_of(m) for m in a.mentions} for a in batch if a.mentions and _primary(a.language)}
    index = _stored(conn, [a for a in batch if a.uuid in keyed], keyed, {a.uuid for a in batch})
    best: _Found = {}
    for article in batch:
        if article.uuid not in keyed:
            continue
        found = _best(article, keyed[article.uuid], index)
        if found:
            best[article.uuid] = found
        row = _Row(article.uuid, article.published, _primary(article.language))
        for key in keyed[article.uuid].values():
            index.batch.setdefault(key, _Timeline()).add(row)
    merged = _merge_all(conn, batch, best)
    _replace(conn, batch, keyed)
    return merged


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

    __slots__ = ("batch", "counts", "scale", "stored")

    def __init__(self) -> None:
        self.stored: dict[int, _Timeline] = defaultdict(_Timeline)
        self.counts: dict[int, dict[int, int]] = defaultdict(dict)
        self.batch: dict[int, _Timeline] = {}
        self.scale = 1.0  # > 1 while the store holds fewer articles a window than REFERENCE

    def named(self, key: int, moment: datetime) -> float:
        """How many articles named ``key`` within the window of ``moment`` (by six hours),
        as many as a store of :data:`REFERENCE` articles a window would have seen: in a
        young store every key looks rare, and rarity is what counts as evidence."""
        slots = self.counts.get(key, {})
        stored = sum(slots.get(s, 0) for s in range(_slot(moment - WINDOW), _slot(moment + WINDOW) + 1))
        own = self.batch.get(key)
        return (stored + (len(own.around(moment)) if own else 0)) * self.scale

    def around(self, key: int, moment: datetime) -> list[_Row]:
        """The articles naming ``key`` within the window of ``moment``: stored ones of other
        languages than the batch's articles naming it, and the batch's own."""
        return [row for t in (self.stored.get(key), self.batch.get(key)) if t for row in t.around(moment)]


def _best(article: Article, keys: dict[str, int], index: _Index) -> list[tuple[float, str]]:
    """The candidates of other languages reaching the threshold (score, uuid), best first;
    ``keys``: the article's mentions and their keys."""
    language = _primary(article.language)
    shared: dict[str, dict[str, float]] = defaultdict(dict)
    when: dict[str, datetime] = {}
    for mention, key in keys.items():
        df = index.named(key, article.published)
        if df > MAX_DF:
            continue
        for row in index.around(key, article.published):
            if row.language != language and row.uuid != article.uuid:
                shared[row.uuid][mention] = df
                when[row.uuid] = row.published
    scored = [
        (score(mentions, abs((when[uuid] - article.published).total_seconds()) / 3600), uuid)
        for uuid, mentions in shared.items()
    ]
    return sorted((pair for pair in scored if pair[0] >= THRESHOLD), reverse=True)[:MAX_LINKS]


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
    c = articles.c
    stored = conn.execute(sa.select(sa.func.count()).where(c.published >= low, c.published <= high)).scalar() or 0
    per_window = stored * (2 * WINDOW) / (high - low)
    index.scale = max(1.0, REFERENCE / max(per_window, 1.0))
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
                languages[key].add(_primary(article.language))
    by_language: dict[str, list[int]] = defaultdict(list)  # "": keys named in several languages
    for key, named in languages.items():
        by_language[next(iter(named)) if len(named) == 1 else ""].append(key)
    k = story_keys.c
    within = sa.and_(k.published >= low, k.published <= high)
    for language, keys in by_language.items():
        other = k.language != language if language else sa.true()
        for where in bulk.matching(conn, k.key, sorted(keys)):
            query = sa.select(k.key, k.uuid, k.published, k.language).where(where, within, other)
            for key, uuid, published, row_language in conn.execute(query.order_by(k.key, k.published)):
                if uuid not in exclude:
                    index.stored[key].append(_Row(uuid, published, row_language))  # in order
    return index


_Found = dict[str, list[tuple[float, str]]]  # article → its candidates (score, uuid), best first


def _merge_all(conn: sa.Connection, batch: Sequence[Article], best: _Found) -> dict[str, str]:
    """Merge each linked article's story into the story of its best candidate that is an
    anchor there: the first article of its language in its story. Every report joined
    across languages is then evidenced against the story's first report in the other
    language, never only against another joined one (that is how unrelated stories chain).
    Nor are two stories whose union would hold :data:`MAX_PER_OUTLET` distinct titles of
    one outlet: an outlet's distinct reports are distinct events unless their own text
    says otherwise (``store/clusters.py``)."""
    stories = _stories(conn, {uuid for found in best.values() for _, uuid in found}, batch)
    members = _members(conn, {*stories.values(), *(a.cluster or a.uuid for a in batch)}, batch)
    anchors = _anchors(members, set(stories.values()))
    merged: dict[str, str] = {}
    by_uuid = {a.uuid: a for a in batch}
    for uuid, found in best.items():
        other = next((o for _, o in found if o in anchors), None)
        if other is None:
            continue
        keep = _follow(stories.get(other, other), merged)
        gone = _follow(by_uuid[uuid].cluster or uuid, merged)
        if keep != gone and not _crowded([*members[keep], *members[gone]]):
            _merge(conn, keep, gone)
            merged[gone] = keep
            members[keep] += members.pop(gone)
    for article in batch:
        article.cluster = _follow(article.cluster or article.uuid, merged)
    return merged


def _crowded(members: list[_Member]) -> bool:
    titles: dict[str, set[str]] = defaultdict(set)
    for m in members:
        titles[m.source].add(m.title)
    return any(len(t) >= MAX_PER_OUTLET for t in titles.values())


class _Member:
    __slots__ = ("language", "published", "source", "title", "uuid")

    def __init__(self, uuid: str, source: str, title: str, language: str | None, published: datetime) -> None:
        self.uuid, self.source, self.title, self.published = uuid, source, title, published
        self.language = _primary(language)


def _members(conn: sa.Connection, stories: set[str], batch: Sequence[Article]) -> dict[str, list[_Member]]:
    """The articles of each of ``stories``, stored and in the batch."""
    found: dict[str, list[_Member]] = defaultdict(list)
    in_batch = {a.uuid for a in batch}
    c = articles.c
    for where in bulk.matching(conn, c.cluster, sorted(stories)):
        for story, uuid, source, title, language, published in conn.execute(
            sa.select(c.cluster, c.uuid, c.source, c.title, c.language, c.published).where(where)
        ):
            if uuid not in in_batch:
                found[story].append(_Member(uuid, source, title, language, published))
    for a in batch:
        found[a.cluster or a.uuid].append(_Member(a.uuid, a.source, a.title, a.language, a.published))
    return found


def _anchors(members: dict[str, list[_Member]], stories: set[str]) -> set[str]:
    """The first article of each language in each of ``stories``."""
    first: dict[tuple[str, str], tuple[datetime, str]] = {}
    for story in stories:
        for m in members.get(story, ()):
            place = (story, m.language)
            first[place] = min(first.get(place, (m.published, m.uuid)), (m.published, m.uuid))
    return {uuid for _, uuid in first.values()}


def _follow(story: str, merged: dict[str, str]) -> str:
    while story in merged:
        story = merged[story]
    return story


def _stories(conn: sa.Connection, uuids: set[str], batch: Sequence[Article]) -> dict[str, str]:
    """The story (cluster) of each candidate: the batch's from the batch, the others stored."""
    found = {a.uuid: a.cluster or a.uuid for a in batch if a.uuid in uuids}
    c = articles.c
    for where in bulk.matching(conn, c.uuid, sorted(uuids - set(found))):
        found.update({u: cluster or u for u, cluster in conn.execute(sa.select(c.uuid, c.cluster).where(where))})
    return found


def _merge(conn: sa.Connection, keep: str, gone: str) -> None:
    """Story ``gone`` becomes part of ``keep``: its stored articles, its alerts (where the
    watchlist has none for ``keep``: alerts stay one per story) and its old ids."""
    conn.execute(articles.update().where(articles.c.cluster == gone).values(cluster=keep))
    has_keep = sa.select(alerts.c.watchlist).where(alerts.c.cluster == keep).scalar_subquery()
    conn.execute(
        alerts.update().where(alerts.c.cluster == gone, alerts.c.watchlist.not_in(has_keep)).values(cluster=keep)
    )
    conn.execute(story_merges.update().where(story_merges.c.new == gone).values(new=keep))
    conn.execute(story_merges.delete().where(story_merges.c.old.in_([gone, keep])))
    conn.execute(story_merges.insert().values(old=gone, new=keep, merged=datetime.now(UTC)))


def resolve(conn: sa.Connection, story: str) -> str | None:
    """The story an old id was merged into (following later merges), or None when it was not."""
    new = None
    for _ in range(MAX_HOPS):
        found = conn.execute(sa.select(story_merges.c.new).where(story_merges.c.old == story)).scalar()
        if found is None:
            break
        new = story = found
    return new


def _replace(conn: sa.Connection, batch: Sequence[Article], keyed: dict[str, dict[str, int]]) -> None:
    """The batch's keys in place of any it had (an article imported again), and the counts."""
    counted = _forgotten(conn, [a.uuid for a in batch])
    written = [(key, a) for a in batch if a.uuid in keyed for key in set(keyed[a.uuid].values())]
    rows = [
        {"key": key, "uuid": a.uuid, "published": a.published, "language": _primary(a.language)} for key, a in written
    ]
    bulk.insert(conn, story_keys, rows)
    counted.update((key, _slot(a.published)) for key, a in written)
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
