"""How many articles a list holds: the whole store, each source, language and tag, and
the list of any filter. On SQLite the sizes of sources, languages and tags are read
from ``list_counts``, a small table that triggers keep in step with every write of
``articles`` and ``article_tags`` (migration 0014): a pager's total and the tag widget
then read a row or a few thousand, not an index range of every article of the list.
A filter with dates or with two conditions, and every count on PostgreSQL, is counted."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa

from newsdesk.models import TAG_KINDS, ArticleFilter
from newsdesk.store import listing
from newsdesk.store.schema import article_tags, articles, list_counts

__all__ = ["ListCounts", "total"]


def total(dialect: str) -> sa.Select[Any]:
    """A query of how many articles are stored (from ``list_counts`` on SQLite)."""
    if dialect != "sqlite":
        return sa.select(sa.func.count()).select_from(articles)
    k = list_counts.c
    return sa.select(sa.func.coalesce(sa.func.sum(k.n), 0)).where(k.kind == "source")


class ListCounts:
    """The store's counts (:class:`newsdesk.store.Store` has them)."""

    engine: sa.Engine
    dialect: str

    def _connect(self) -> sa.Connection:
        raise NotImplementedError

    @property
    def _kept(self) -> bool:
        """Whether ``list_counts`` is kept (SQLite: one writer at a time, so its rows are
        no queue; PostgreSQL's concurrent writers would wait on them)."""
        return self.dialect == "sqlite"

    def count(self) -> int:
        """Every stored article."""
        with self._connect() as conn:
            return int(conn.execute(total(self.dialect)).scalar_one())

    def count_where(self, where: ArticleFilter) -> int:
        """How many articles ``where`` lists."""
        with self._connect() as conn:
            kept = _kept_count(conn, where) if self._kept else None
            if kept is not None:
                return kept
            return int(conn.execute(listing.count_query(where, listing.small_tag(conn, where))).scalar_one())

    def tag_counts(self, kind: str | tuple[str, ...] | None = None, *, limit: int = 100) -> list[tuple[str, int]]:
        """Most used tags (of a kind, or kinds, of ``models.TAG_KINDS``), with article counts."""
        kinds = TAG_KINDS if kind is None else (kind,) if isinstance(kind, str) else kind
        if self._kept:
            k = list_counts.c
            count = sa.func.sum(k.n).label("n")
            query = sa.select(k.name, count).where(k.kind.in_([f"tag.{name}" for name in kinds])).group_by(k.name)
            query = query.having(count > 0).order_by(count.desc(), k.name)
        else:
            count = sa.func.count().label("n")
            t = article_tags.c
            query = sa.select(t.tag, count).group_by(t.tag).order_by(count.desc(), t.tag)
            query = query if kind is None else query.where(t.kind.in_(kinds))
        with self._connect() as conn:
            return [(tag, int(n)) for tag, n in conn.execute(query.limit(limit))]

    def source_counts(self) -> list[tuple[str, int, datetime]]:
        """Each source with its article count and newest publication time."""
        c = articles.c
        if self._kept:  # the newest of each source: the end of its range of an index
            k = list_counts.c
            newest = sa.select(sa.func.max(c.published)).where(c.source == k.name).scalar_subquery()
            query = sa.select(k.name, k.n, newest).where(k.kind == "source", k.n > 0).order_by(k.name)
        else:
            query = sa.select(c.source, sa.func.count(), sa.func.max(c.published)).group_by(c.source)
            query = query.order_by(c.source)
        with self._connect() as conn:
            return [(source, int(n), newest) for source, n, newest in conn.execute(query)]

    def language_counts(self) -> list[tuple[str, int]]:
        """Each stored language (``zh-CN``, ``en`` …) with its article count."""
        c, k = articles.c, list_counts.c
        if self._kept:
            query = sa.select(k.name, k.n).where(k.kind == "language", k.n > 0).order_by(k.name)
        else:
            query = sa.select(c.language, sa.func.count()).where(c.language.is_not(None)).group_by(c.language)
            query = query.order_by(c.language)
        with self._connect() as conn:
            return [(lang, int(n)) for lang, n in conn.execute(query) if lang]


def _kept_count(conn: sa.Connection, where: ArticleFilter) -> int | None:
    """The size of a list of one source, language, tag or ticker (or of everything)
    from ``list_counts``; None for any other filter."""
    named = [value for value in (where.source, where.lang, where.tag, where.ticker) if value]
    if where.since or where.until or where.importance or len(named) > 1:
        return None
    k = list_counts.c
    if where.source:
        chosen = sa.and_(k.kind == "source", k.name == where.source)
    elif where.lang:
        chosen = sa.and_(k.kind == "language", sa.or_(*listing.language_forms(where.lang, k.name)))
    elif where.ticker:
        chosen = sa.and_(k.kind == "tag.ticker", k.name == where.ticker.upper())
    elif where.tag:
        chosen = sa.and_(k.kind.in_([f"tag.{kind}" for kind in TAG_KINDS]), k.name == where.tag)
    else:
        return int(conn.execute(total("sqlite")).scalar_one())
    return int(conn.execute(sa.select(sa.func.coalesce(sa.func.sum(k.n), 0)).where(chosen)).scalar_one())
