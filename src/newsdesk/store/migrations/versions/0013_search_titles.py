"""search titles: on SQLite, the title tokens of each search index entry again, by
its rowid, in a plain table (ranking reads the titles of the newest 2,000 matches of a
query; a row of the FTS5 table holds the body too and costs 5-50 us to read)

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-01
"""

from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    op.execute("CREATE TABLE IF NOT EXISTS search_titles (id INTEGER PRIMARY KEY, title TEXT NOT NULL)")
    op.execute("INSERT OR REPLACE INTO search_titles (id, title) SELECT rowid, title FROM search_fts ORDER BY rowid")


def downgrade() -> None:
    op.execute("DROP TABLE IF EXISTS search_titles")
