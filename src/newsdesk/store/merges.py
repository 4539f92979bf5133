"""Stories joined across languages: which stories an article's evidence lets its story
join (:func:`merge_all`, given the candidates :mod:`newsdesk.store.links` found), the
merges, and old story ids resolved to the stories that took them in."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Sequence
from datetime import UTC, datetime

import sqlalchemy as sa

from newsdesk.models import Article
from newsdesk.store import bulk
from newsdesk.store.schema import alerts, articles, story_merges

__all__ = ["Found", "merge_all", "primary", "resolve"]

MAX_PER_OUTLET = 3  # distinct titles of one outlet a merged story may not reach
BRIDGE_RATIO = 0.7  # other stories an article also joins score at least this share of its best
MAX_HOPS = 16  # merges followed when resolving an old id


def primary(tag: str | None) -> str:
    """A language tag's primary subtag, lower-cased ("" for none)."""
    return (tag or "").split("-")[0].lower()


# article → its candidates (score, uuid), best first, and every other-language article's score
Found = dict[str, tuple[list[tuple[float, str]], dict[str, float]]]


def merge_all(conn: sa.Connection, batch: Sequence[Article], best: Found, floor: float) -> dict[str, str]:
    """Merge each linked article's story into the stories of its candidates (``best``)
    that it may join: through the story's first report in the candidate's language or a
    copy of it, or through a later report when the article also scores ``floor`` against
    that first one. Every report joined across languages is thus evidenced against the
    story's first report in the other language, never only against another joined one
    (that is how unrelated stories chain). Besides its best story an article joins the
    others scoring :data:`BRIDGE_RATIO` of the best: one event's reports in the other
    language are often stories of their own (their words differ). No merge leaves
    :data:`MAX_PER_OUTLET` distinct titles of one outlet in a story: an outlet's distinct
    reports are distinct events unless their own text says otherwise
    (``store/clusters.py``)."""
    stories = _stories(conn, {uuid for found, _ in best.values() for _, uuid in found}, batch)
    members = _members(conn, {*stories.values(), *(a.cluster or a.uuid for a in batch)}, batch)
    anchor_of = _anchors(members, set(stories.values()))
    merged: dict[str, str] = {}
    by_uuid = {a.uuid: a for a in batch}
    for uuid, (found, scores) in best.items():
        joins = [(p, o) for p, o in found if o in anchor_of and _evidenced(anchor_of[o], o, scores, floor)]
        for points, other in joins:
            if points < joins[0][0] * BRIDGE_RATIO:
                break
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
        self.language = primary(language)


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


def _evidenced(anchor: set[str], candidate: str, scores: dict[str, float], floor: float) -> bool:
    """Whether an article may join a candidate's story: the candidate is its language's
    first report there (or a copy of it), or the article relates to that report too."""
    return candidate in anchor or max((scores.get(a, 0.0) for a in anchor), default=0.0) >= floor


def _anchors(members: dict[str, list[_Member]], stories: set[str]) -> dict[str, set[str]]:
    """Each member of ``stories`` → the first report of its language in its story and the
    copies of that report there (the same title: a later copy often carries the fuller text)."""
    found: dict[str, set[str]] = {}
    for story in stories:
        first: dict[str, _Member] = {}
        for m in members.get(story, ()):
            if m.language not in first or (m.published, m.uuid) < (first[m.language].published, first[m.language].uuid):
                first[m.language] = m
        titles = {language: _plain(m.title) for language, m in first.items()}
        copies: dict[str, set[str]] = defaultdict(set)
        for m in members.get(story, ()):
            if titles[m.language] == _plain(m.title):
                copies[m.language].add(m.uuid)
        for m in members.get(story, ()):
            found[m.uuid] = copies[m.language]
    return found


def _plain(title: str) -> str:
    return re.sub(r"\W+", "", title.casefold())


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
