"""Database upkeep as the articles grow and shrink: planner statistics, the
visibility map, space given back.

PostgreSQL's autovacuum analyzes a table once a tenth of it is new and vacuums it
once a fifth is — in its own time, and not at all where it is off. A table that
grows faster than that, or without it, has no statistics: the lookups of an import
(500 uuids in ``cluster_keys``, ``article_tags``, ``article_versions``) are then
planned as sequential scans, so each batch reads the whole table and an import slows
down quadratically (a million articles: 5.6 billion rows read by 360,000). A table
without a visibility map makes every count read the whole heap. So a :class:`Growth`
kept by the store analyzes the article tables whenever its own writes pass
autovacuum's threshold since the planner last counted them, and :meth:`Growth.settle`
vacuums them after a large import or prune.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

import sqlalchemy as sa

from newsdesk.errors import StoreError
from newsdesk.store import index
from newsdesk.store.engine import reason

__all__ = ["Growth", "move_search_rowids", "vacuum"]

# autovacuum_vacuum_insert_threshold / _scale_factor (PostgreSQL's defaults)
_BASE_ROWS, _SHARE = 1000, 0.2
_TABLES = (
    "articles",
    "article_tags",
    "search_index",
    "search_heads",
    "cluster_keys",
    "story_keys",
    "article_signatures",
    "article_versions",
)


class Growth:
    """The articles a store has added or removed, and the upkeep they call for
    (PostgreSQL only; SQLite plans from its indexes alone, and an ``ANALYZE`` there
    made the tag list slower)."""

    def __init__(self, engine: sa.Engine) -> None:
        self.engine = engine
        self.on = engine.dialect.name == "postgresql"
        self.counted: float | None = None  # the planner's count at the last ANALYZE
        self.vacuumed: float | None = None  # … and at the last VACUUM (or the first write)
        self.since_analyze = self.since_vacuum = 0

    def added(self, rows: int) -> None:
        """After a committed write of ``rows`` new articles: ANALYZE when due."""
        if not self.on or not rows:
            return
        if self.counted is None:
            self.counted = self.vacuumed = _counted(self.engine)
        self.since_analyze += rows
        self.since_vacuum += rows
        if _over(self.since_analyze, self.counted):
            _run(self.engine, "ANALYZE", self.since_analyze)
            self.counted, self.since_analyze = _counted(self.engine), 0

    def settle(self, removed: int = 0) -> bool:
        """``VACUUM (ANALYZE)`` when the articles added since the last one (or since
        the store opened), plus ``removed``, pass the threshold; whether it ran."""
        if not self.on:
            return False
        changed = self.since_vacuum + removed
        if not _over(changed, self.vacuumed if self.vacuumed is not None else _counted(self.engine)):
            return False
        _run(self.engine, "VACUUM (ANALYZE)", changed)
        self.counted = self.vacuumed = _counted(self.engine)
        self.since_analyze = self.since_vacuum = 0
        return True


def _over(changed: int, counted: float) -> bool:
    return changed > _BASE_ROWS + _SHARE * max(0.0, counted)


def _counted(engine: sa.Engine) -> float:
    """The planner's row count of ``articles`` (-1, read as 0, before any ANALYZE)."""
    sql = sa.text("SELECT reltuples FROM pg_class WHERE oid = to_regclass('articles')")
    try:
        with engine.connect() as conn:
            return max(0.0, float(conn.execute(sql).scalar() or 0))
    except sa.exc.SQLAlchemyError as exc:
        raise StoreError(f"could not read the planner's statistics: {reason(exc)}") from None


def _run(engine: sa.Engine, verb: str, changed: int) -> None:
    try:
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(sa.text(f"{verb} {', '.join(_TABLES)}"))
    except sa.exc.SQLAlchemyError as exc:
        raise StoreError(
            f"could not {verb.split()[0].lower()} after {changed} changed articles: {reason(exc)}"
        ) from None


def vacuum(engine: sa.Engine) -> None:
    """Give the space of removed rows back to the file system (SQLite; PostgreSQL's
    autovacuum reuses it) and refresh the planner's statistics."""
    if engine.dialect.name == "sqlite":
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(sa.text("VACUUM"))
            conn.execute(sa.text("PRAGMA optimize"))


def move_search_rowids(engine: sa.Engine, batch: int) -> Iterator[int]:
    """Give the search entries an earlier version wrote (SQLite, rowid from the uuid)
    the rowid of their publication time, ``batch`` a transaction (an interrupted run
    keeps what it moved), then merge the index's segments, a step a transaction;
    yields how many each batch moved."""
    if engine.dialect.name != "sqlite":
        return

    def step(work: Callable[[sa.Connection], int | bool]) -> int | bool:
        try:
            with engine.begin() as conn:
                return work(conn)
        except sa.exc.SQLAlchemyError as exc:
            raise StoreError(f"could not renumber the search index: {reason(exc)}") from None

    while moved := int(step(lambda conn: index.move_legacy(conn, batch))):
        yield moved
    while step(index.merge_step):  # what the moves left (see index.merge_step)
        pass
