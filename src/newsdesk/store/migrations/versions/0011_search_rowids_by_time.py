"""search rowids by time: on SQLite, the search index's rows of databases of up to
200,000 articles take rowids in order of publication (the newest matches of a query
are then the end of its rowid range: ranking can stop there); a larger database
keeps its rows, which ``newsdesk reindex --all`` rewrites in resumable batches, and
the store reads and writes both kinds

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-01
"""

from datetime import UTC, datetime
from typing import Any

from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None

# The rewrite is one transaction, whose log holds the index anew: 80 s at 100,000
# articles (the file grew from 2.44 to 2.84 GB). Larger databases: reindex.
_REWRITTEN_UP_TO = 200_000
_COLUMNS = "uuid, source, language, published, title, body"


def _by_time(uuid: str, published: str) -> int:
    """The store's rowid (``index.rowid``) from the row's uuid and its UTC time text."""
    moment = datetime.fromisoformat(published).replace(tzinfo=UTC)
    seconds = min(max(int(moment.timestamp()), 0), 2**32 - 1)
    return ((seconds << 31) | (int(uuid[-8:], 16) & 0x7FFFFFFF)) - 2**63


def _by_uuid(uuid: str, published: str) -> int:
    return int(uuid, 16) & (2**63 - 1)


def _rewrite(rowid: object, rows: str) -> None:
    conn = op.get_bind()
    if conn.dialect.name != "sqlite":
        return  # PostgreSQL's index is keyed by uuid
    counted = f"SELECT count(*) FROM (SELECT 1 FROM articles LIMIT {_REWRITTEN_UP_TO + 1})"
    if conn.exec_driver_sql(counted).scalar_one() > _REWRITTEN_UP_TO:
        return
    driver: Any = conn.connection.driver_connection  # sqlite3's own connection
    driver.create_function("newsdesk_rowid", 2, rowid, deterministic=True)
    op.execute("DROP TABLE IF EXISTS temp.search_moved")
    op.execute(
        f"CREATE TEMP TABLE search_moved AS SELECT newsdesk_rowid(uuid, published) AS id, {_COLUMNS}"
        f" FROM search_fts WHERE {rows}"
    )
    op.execute(f"DELETE FROM search_fts WHERE {rows}")
    op.execute(
        f"INSERT OR REPLACE INTO search_fts (rowid, {_COLUMNS}) SELECT id, {_COLUMNS} FROM search_moved ORDER BY id"
    )
    op.execute("DROP TABLE temp.search_moved")
    # Every moved entry left a delete marker for each of its words: merge them away.
    op.execute("INSERT INTO search_fts (search_fts) VALUES ('optimize')")


def upgrade() -> None:
    _rewrite(_by_time, "rowid >= 0")


def downgrade() -> None:
    _rewrite(_by_uuid, "rowid < 0")
