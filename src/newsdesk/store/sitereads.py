"""What a static build reads: the articles of one list (a tag, a source, a language,
a span of time, a cluster) newest first in keyset pages, the size of every list, and
the articles changed since a mark. Each read is an index range, so an update build
reads the newest few rows of the lists it touches, not the whole database."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa

from newsdesk.models import Article
from newsdesk.store import bulk, counts, listing
from newsdesk.store.schema import article_tags, articles

__all__ = ["BODIES", "Group", "SiteReads"]

BODIES = ("raw_html", "html", "markdown", "text")  # the large columns

# A list of the site: ("all", ""), ("tag", name), ("source", name), ("language", code),
# ("cluster", key), or ("span", "") with ``since``/``until`` given to the read.
Group = tuple[str, str]


class SiteReads:
    """The store's reads for the static build (:class:`newsdesk.store.Store` has them)."""

    engine: sa.Engine
    dialect: str

    def _connect(self) -> sa.Connection:
        raise NotImplementedError

    def members(
        self,
        group: Group,
        limit: int,
        before: tuple[datetime, str] | None = None,
        *,
        since: datetime | None = None,
        until: datetime | None = None,
    ) -> list[Article]:
        """Up to ``limit`` articles of ``group`` without their bodies, newest first
        (by publication time, then uuid, both descending), older than ``before``;
        ``since`` (inclusive) and ``until`` (exclusive) bound the time."""
        chosen = _chosen(group, before, since, until).limit(limit)
        c = articles.c
        query = (
            sa.select(*[col for col in c if col.name not in BODIES])
            .where(c.uuid.in_(chosen))
            .order_by(c.published.desc(), c.uuid.desc())
        )
        with self._connect() as conn:
            return [Article(**{**row, **dict.fromkeys(BODIES, "")}) for row in conn.execute(query).mappings()]

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
    ) -> list[tuple[datetime, str]]:
        """``(published, uuid)`` of up to ``limit`` articles of ``group``: newest first,
        older than ``before``; ``ascending``: oldest first, newer than ``after`` (None:
        from the oldest). The list's index alone is read: where pages end is decided by these."""
        chosen = _chosen(group, before, since, until, after=after, ascending=ascending, columns=True).limit(limit)
        with self._connect() as conn:
            return [(_aware(published), uuid) for published, uuid in conn.execute(chosen)]

    def bodies(self, uuids: Iterable[str]) -> dict[str, str]:
        """The sanitized HTML of each of ``uuids`` that is stored (what feed items carry)."""
        found: dict[str, str] = {}
        with self._connect() as conn:
            for where in bulk.matching(conn, articles.c.uuid, list(uuids)):
                found.update({u: h for u, h in conn.execute(sa.select(articles.c.uuid, articles.c.html).where(where))})
        return found

    def seen_since(self, since: datetime, limit: int | None = None) -> list[Article]:
        """Articles first seen at ``since`` or later, without their bodies (the stories of
        a time window), by the first-seen index: the ``limit`` last seen when given."""
        c = articles.c
        query = sa.select(*[col for col in c if col.name not in BODIES]).where(c.first_seen >= since)
        if limit is not None:
            query = query.order_by(c.first_seen.desc()).limit(limit)
        with self._connect() as conn:
            return [Article(**{**row, **dict.fromkeys(BODIES, "")}) for row in conn.execute(query).mappings()]

    def clusters_of(self, keys: Iterable[str]) -> dict[str, list[Article]]:
        """The articles of these clusters without their bodies, newest first, by cluster key."""
        found: dict[str, list[Article]] = {}
        c = articles.c
        query = sa.select(*[col for col in c if col.name not in BODIES]).order_by(c.published.desc(), c.uuid.desc())
        with self._connect() as conn:
            for where in bulk.matching(conn, c.cluster, list(keys)):
                for row in conn.execute(query.where(where)).mappings():
                    found.setdefault(row["cluster"], []).append(Article(**{**row, **dict.fromkeys(BODIES, "")}))
        return found

    def tags_starting(self, prefix: str, limit: int = 200) -> list[str]:
        """Tags that start with ``prefix``, at most ``limit`` (a tag page's address names
        its tag by a slug: these are the candidates), a seek each through the tags' index.
        The range's end assumes code-point order (SQLite; PostgreSQL with the C
        collation): under another collation some may be missed."""
        with self._connect() as conn:
            return listing.distinct(conn, "article_tags", "tag", prefix, prefix + "\U0010ffff", limit)

    def groups_of(self, kind: str, names: list[str]) -> dict[str, list[Article]]:
        """The articles of several small lists of one kind ("tag", "source", "language")
        at once, newest first, by name (a full build reads its many small lists so)."""
        c, t = articles.c, article_tags.c
        pairs = (
            sa.select(t.tag, t.uuid).where(t.tag.in_(names))
            if kind == "tag"
            else sa.select(c[kind], c.uuid).where(c[kind].in_(names))
        )
        with self._connect() as conn:
            chosen = [(name, uuid) for name, uuid in conn.execute(pairs)]
            rows: dict[str, Article] = {}
            query = sa.select(*[col for col in c if col.name not in BODIES])
            for where in bulk.matching(conn, c.uuid, list({uuid for _, uuid in chosen})):
                for row in conn.execute(query.where(where)).mappings():
                    rows[row["uuid"]] = Article(**{**row, **dict.fromkeys(BODIES, "")})
        found: dict[str, list[Article]] = {}
        for name, uuid in chosen:
            if uuid in rows:
                found.setdefault(name, []).append(rows[uuid])
        for members in found.values():
            members.sort(key=lambda a: (a.published, a.uuid), reverse=True)
        return found

    def group_sizes(self) -> Iterator[tuple[Group, int]]:
        """The size of every tag, source, language and of every cluster with more than one article."""
        c, t = articles.c, article_tags.c
        queries: list[tuple[str, sa.Select[Any]]] = [
            ("tag", sa.select(t.tag, sa.func.count()).group_by(t.tag)),
            ("source", sa.select(c.source, sa.func.count()).group_by(c.source)),
            ("language", sa.select(c.language, sa.func.count()).where(c.language.is_not(None)).group_by(c.language)),
            (
                "cluster",
                sa.select(c.cluster, sa.func.count())
                .where(c.cluster.is_not(None))
                .group_by(c.cluster)
                .having(sa.func.count() > 1),
            ),
        ]
        with self._connect() as conn:
            for kind, query in queries:
                for name, count in conn.execute(query):
                    if name:
                        yield (kind, name), count

    def count_between(self, since: datetime, until: datetime) -> int:
        """Articles published in ``[since, until)``."""
        c = articles.c
        query = sa.select(sa.func.count()).where(c.published >= since, c.published < until)
        with self._connect() as conn:
            return int(conn.execute(query).scalar_one())

    def time_span(self) -> tuple[datetime, datetime] | None:
        """The oldest and newest publication time (None: no articles)."""
        c = articles.c
        with self._connect() as conn:
            oldest, newest = conn.execute(sa.select(sa.func.min(c.published), sa.func.max(c.published))).one()
        return None if oldest is None else (_aware(oldest), _aware(newest))

    def change_mark(self) -> tuple[str, int]:
        """``(newest 'updated', article count)``: what an update build compares with its last."""
        c = articles.c
        with self._connect() as conn:
            stored = counts.total(self.dialect).scalar_subquery()
            newest, count = conn.execute(sa.select(sa.func.max(c.updated), stored)).one()
        return (_aware(newest).isoformat() if newest else "", int(count))

    def changed_since(self, mark: str, limit: int) -> list[Article] | None:
        """Articles updated after ``mark`` (an ISO time), without bodies; None
        when there are more than ``limit`` (a build then compares everything)."""
        c = articles.c
        since = datetime.fromisoformat(mark)
        chosen = sa.select(c.uuid).where(c.updated > since).limit(limit + 1)
        query = sa.select(*[col for col in c if col.name not in BODIES]).where(c.uuid.in_(chosen))
        with self._connect() as conn:
            rows = conn.execute(query).mappings().all()
        if len(rows) > limit:
            return None
        return [Article(**{**row, **dict.fromkeys(BODIES, "")}) for row in rows]

    def all_uuids(self) -> Iterator[str]:
        """Every article's uuid (an update build after articles were removed)."""
        with self._connect() as conn:
            yield from conn.execution_options(yield_per=5000).execute(sa.select(articles.c.uuid)).scalars()


def _chosen(
    group: Group,
    before: tuple[datetime, str] | None,
    since: datetime | None,
    until: datetime | None,
    *,
    after: tuple[datetime, str] | None = None,
    ascending: bool = False,
    columns: bool = False,
) -> sa.Select[Any]:
    """The uuids of a group's page, as a range of the index that orders it: newest
    first, older than ``before``; ``ascending``: oldest first, newer than ``after``."""
    kind, name = group
    table = article_tags if kind == "tag" else articles
    col = table.c
    chosen = sa.select(col.published, col.uuid) if columns else sa.select(col.uuid)
    if kind == "tag":
        chosen = chosen.where(col.tag == name)
    elif kind in ("source", "language", "cluster"):
        chosen = chosen.where(col[kind] == name)
    if since:
        chosen = chosen.where(col.published >= since)
    if until:
        chosen = chosen.where(col.published < until)
    if before:
        published, uuid = before
        chosen = chosen.where(sa.or_(col.published < published, sa.and_(col.published == published, col.uuid < uuid)))
    if after:
        published, uuid = after
        chosen = chosen.where(sa.or_(col.published > published, sa.and_(col.published == published, col.uuid > uuid)))
    if ascending:
        return chosen.order_by(col.published, col.uuid)
    return chosen.order_by(col.published.desc(), col.uuid.desc())


def _aware(value: datetime) -> datetime:
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
