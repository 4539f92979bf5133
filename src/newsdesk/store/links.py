"""Stories across languages, linked inside the transaction that saves a batch.

Clusters (``store/clusters.py``) join copies and rewrites in one language. A report of
the same event in another language shares no words with them, but it names the same
things: the company, the official, the figure, the kind of event
(:mod:`newsdesk.enrich.mentions`). Those mentions, hashed, are kept in ``story_keys``
with the article's publication time and language; an article is compared with the
articles of *other* languages that share its keys within :data:`WINDOW`:

    score = Σ over shared keys  weight · ln(COMMON / df)⁺  /  (1 + hours apart / HOURS)

where ``df`` is how many articles (any language) named the key within the window — a
key named by more than :data:`MAX_DF` ("Trump" in a week of tariffs) is no evidence and
is not even looked up — and ``weight`` is :data:`PAIR_WEIGHT` for a company-event pair
(``x:PFE|EARNINGS``), 1 otherwise. The best candidate scoring :data:`THRESHOLD` or more
links the two stories: the article's story is merged into the candidate's, its old id
recorded in ``story_merges`` so that it keeps resolving, and alerts already sent for
it count for the story it joined. Only a candidate that is its story's first report in
its language is joined, and no merge leaves :data:`MAX_PER_OUTLET` distinct titles of
one outlet in a story (see :func:`_merge_all`: both stop unrelated stories chaining).
The constants were set on dev labels (``benchmarks/data/crosslingual-dev.tsv``; ``benchmarks/crosslingual.py``).

An article without mentions (no title, no text) or without a language links nothing.
"""

from __future__ import annotations

import bisect
import hashlib
import math
from collections import defaultdict
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa

from newsdesk.models import Article
from newsdesk.store import bulk
from newsdesk.store.schema import alerts, articles, story_keys, story_merges

__all__ = ["key_of", "link", "resolve", "score"]

WINDOW = timedelta(hours=24)
COMMON = 800  # a key named this often within the window has weight 0
MAX_DF = 200
HOURS = 3.0
PAIR_WEIGHT = 1.5
THRESHOLD = 5.1
MAX_PER_OUTLET = 3  # distinct titles of one outlet a merged story may not reach
MAX_LINKS = 5  # candidates kept per article, best first
MAX_HOPS = 16  # merges followed when resolving an old id


def key_of(mention: str) -> int:
    return int.from_bytes(hashlib.blake2b(mention.encode(), digest_size=7).digest(), "big")


def score(shared: dict[str, int], hours_apart: float) -> float:
    """The evidence of the shared mentions (mention → df) of two articles ``hours_apart``."""
    total = 0.0
    for mention, df in shared.items():
        if df <= MAX_DF:
            total += (PAIR_WEIGHT if mention.startswith("x:") else 1.0) * max(0.0, math.log(COMMON / max(df, 1)))
    return total / (1 + hours_apart / HOURS)


def _primary(tag: str | None) -> str:
    """A language tag's primary subtag, lower-cased ("" for none)."""
    return (tag or "").split("-")[0].lower()


_Found = dict[str, list[tuple[float, str]]]  # article → its candidates (score, uuid), best first


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
            index.setdefault(key, _Timeline()).add(row)
    merged = _merge_all(conn, batch, best)
    _replace(conn, batch, keyed)
    return merged


class _Timeline:
    """The articles naming one key, in publication order, for window lookups."""

    __slots__ = ("rows", "times")

    def __init__(self) -> None:
        self.times: list[float] = []
        self.rows: list[_Row] = []

    def add(self, row: _Row) -> None:
        at = bisect.bisect(self.times, row.published.timestamp())
        self.times.insert(at, row.published.timestamp())
        self.rows.insert(at, row)

    def around(self, moment: datetime) -> list[_Row]:
        t, span = moment.timestamp(), WINDOW.total_seconds()
        return self.rows[bisect.bisect_left(self.times, t - span) : bisect.bisect_right(self.times, t + span)]


def _best(article: Article, keys: dict[str, int], index: dict[int, _Timeline]) -> list[tuple[float, str]]:
    """The candidates of other languages reaching the threshold (score, uuid), best first;
    ``keys``: the article's mentions and their keys."""
    language = _primary(article.language)
    shared: dict[str, dict[str, int]] = defaultdict(dict)
    when: dict[str, datetime] = {}
    for mention, key in keys.items():
        timeline = index.get(key)
        rows = timeline.around(article.published) if timeline else []
        if len(rows) > MAX_DF:
            continue
        for row in rows:
            if row.language != language and row.uuid != article.uuid:
                shared[row.uuid][mention] = len(rows)
                when[row.uuid] = row.published
    scored = [
        (score(mentions, abs((when[uuid] - article.published).total_seconds()) / 3600), uuid)
        for uuid, mentions in shared.items()
    ]
    return sorted((pair for pair in scored if pair[0] >= THRESHOLD), reverse=True)[:MAX_LINKS]


def _stored(
    conn: sa.Connection, batch: list[Article], keyed: dict[str, dict[str, int]], exclude: set[str]
) -> dict[int, _Timeline]:
    """The stored articles (not of the batch) naming each key of the batch within the window
    of its articles, for the keys named few enough times there to be evidence: one count
    and one read per batch, whatever its size."""
    if not batch:
        return {}
    low = min(a.published for a in batch) - WINDOW
    high = max(a.published for a in batch) + WINDOW
    k = story_keys.c
    within = sa.and_(k.published >= low, k.published <= high)
    wanted = sorted({key for keys in keyed.values() for key in keys.values()})
    rare: list[int] = []
    for where in bulk.matching(conn, k.key, wanted):
        counts = conn.execute(sa.select(k.key, sa.func.count()).where(where, within).group_by(k.key))
        rare += [key for key, n in counts if n <= MAX_DF]
    found: dict[int, _Timeline] = defaultdict(_Timeline)
    for where in bulk.matching(conn, k.key, rare):
        for key, uuid, published, language in conn.execute(
            sa.select(k.key, k.uuid, k.published, k.language).where(where, within)
        ):
            if uuid not in exclude:
                found[key].add(_Row(uuid, published, language))
    return found


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
    for where in bulk.matching(conn, story_keys.c.uuid, [a.uuid for a in batch]):
        conn.execute(story_keys.delete().where(where))
    rows = [
        {"key": key, "uuid": a.uuid, "published": a.published, "language": _primary(a.language)}
        for a in batch
        if a.uuid in keyed
        for key in set(keyed[a.uuid].values())
    ]
    bulk.insert(conn, story_keys, rows)
