"""Database upkeep after large writes: space given back, planner statistics and the
visibility map brought up to date.

PostgreSQL's autovacuum would do the latter once a fifth of a table is new or dead —
in its own time, and not at all where it is off. Until then a million-row table has
no statistics (the planner guesses its plans) and no visibility map (a count reads
every heap page instead of the index alone): counts 6× and language lists 15× slower
at 100k articles. :func:`settle` applies autovacuum's own threshold right after an
import or a prune, so a large write is followed by the same upkeep at once.
"""

from __future__ import annotations

import sqlalchemy as sa

from newsdesk.errors import StoreError
from newsdesk.store.engine import reason

__all__ = ["due", "settle", "vacuum"]

# autovacuum_vacuum_insert_threshold / _scale_factor (PostgreSQL's defaults)
_BASE_ROWS, _SHARE = 1000, 0.2
_TABLES = ("articles", "article_tags", "search_index", "cluster_keys", "article_signatures", "article_versions")


def due(conn: sa.Connection, changed: int) -> bool:
    """Whether ``changed`` rows (added or removed) are enough to settle: more than
    autovacuum's threshold over what the last VACUUM or ANALYZE counted."""
    if conn.dialect.name != "postgresql" or changed < _BASE_ROWS:
        return False
    counted = conn.execute(
        sa.text("SELECT reltuples FROM pg_class WHERE oid = to_regclass(:name)"), {"name": "articles"}
    ).scalar()
    return changed > _BASE_ROWS + _SHARE * max(0.0, float(counted or 0))


def settle(engine: sa.Engine, changed: int) -> bool:
    """``VACUUM (ANALYZE)`` the article tables on PostgreSQL when ``changed`` rows call
    for it (see :func:`due`); whether it ran. SQLite needs nothing: its queries are
    planned from the indexes alone (an ``ANALYZE`` there made the tag list slower)."""
    try:
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            if not due(conn, changed):
                return False
            conn.execute(sa.text(f"VACUUM (ANALYZE) {', '.join(_TABLES)}"))
    except sa.exc.SQLAlchemyError as exc:
        raise StoreError(f"could not vacuum after {changed} changed articles: {reason(exc)}") from None
    return True


def vacuum(engine: sa.Engine) -> None:
    """Give the space of removed rows back to the file system (SQLite; PostgreSQL's
    autovacuum reuses it) and refresh the planner's statistics."""
    if engine.dialect.name == "sqlite":
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(sa.text("VACUUM"))
            conn.execute(sa.text("PRAGMA optimize"))
