"""Retention: removing the articles older than their keep time, with everything that
hangs on them — search index entries, tags, signatures and cluster keys, versions,
alerts — in batches, each one transaction, so that a prune killed half-way leaves a
consistent database and the next one finishes it."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime

import sqlalchemy as sa

from newsdesk.store import bulk, index, links
from newsdesk.store.schema import (
    alerts,
    article_ids,
    article_signatures,
    article_tags,
    article_versions,
    articles,
    cluster_keys,
    marks,
)
from newsdesk.store.states import forget_states

__all__ = ["Cutoffs", "expired", "remove"]

BATCH = 1000  # articles removed per transaction
FLASH = 2  # the seed system's item kind of a flash


@dataclass(frozen=True, slots=True)
class Cutoffs:
    """What is kept: articles published before ``before`` go (None: all kept), flash items
    before ``flash_before`` when it is set, a source's before its own cutoff when it has
    one (None there: that source keeps everything)."""

    before: datetime | None = None
    flash_before: datetime | None = None
    sources: Mapping[str, datetime | None] = field(default_factory=dict)

    def conditions(self) -> list[sa.ColumnElement[bool]]:
        c = articles.c
        found: list[sa.ColumnElement[bool]] = [
            sa.and_(c.source == name, c.published < cutoff) for name, cutoff in self.sources.items() if cutoff
        ]
        others = c.source.not_in(list(self.sources)) if self.sources else sa.true()
        if self.flash_before:
            found.append(sa.and_(others, c.kind == FLASH, c.published < self.flash_before))
        if self.before:
            not_flash = c.kind != FLASH if self.flash_before else sa.true()
            found.append(sa.and_(others, not_flash, c.published < self.before))
        return found


def expired(conn: sa.Connection, cutoffs: Cutoffs) -> Counter[str]:
    """How many articles of each source the cutoffs remove."""
    conditions = cutoffs.conditions()
    if not conditions:
        return Counter()
    query = sa.select(articles.c.source, sa.func.count()).where(sa.or_(*conditions)).group_by(articles.c.source)
    return Counter({source: n for source, n in conn.execute(query)})


def remove(engine: sa.Engine, cutoffs: Cutoffs) -> Counter[str]:
    """Remove what the cutoffs select, :data:`BATCH` articles a transaction; how many of
    each source went."""
    conditions = cutoffs.conditions()
    gone: Counter[str] = Counter()
    while conditions:
        with engine.begin() as conn:
            query = sa.select(articles.c.uuid, articles.c.source).where(sa.or_(*conditions)).limit(BATCH)
            batch = conn.execute(query).all()
            if not batch:
                break
            _remove_batch(conn, [uuid for uuid, _ in batch])
            mark(conn, "pruned")
        gone.update(source for _, source in batch)
    return gone


def mark(conn: sa.Connection, name: str) -> None:
    """Set the mark ``name`` to now (in the caller's transaction)."""
    conn.execute(marks.delete().where(marks.c.name == name))
    conn.execute(marks.insert().values(name=name, at=datetime.now(UTC)))


def _remove_batch(conn: sa.Connection, uuids: list[str]) -> None:
    if conn.dialect.name == "sqlite":
        index.delete_sqlite(conn, uuids)
    else:
        for name in ("search_index", "search_heads"):
            conn.execute(sa.text(f"DELETE FROM {name} WHERE uuid = ANY(:uuids)"), {"uuids": uuids})
    links.forget(conn, uuids)
    forget_states(conn, uuids)
    for table in (article_tags, article_signatures, cluster_keys, article_versions, alerts, article_ids, articles):
        for where in bulk.matching(conn, table.c.uuid, uuids):
            conn.execute(table.delete().where(where))
