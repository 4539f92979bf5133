"""search head: on PostgreSQL a second, short tsvector in search_index (the title
and the first body tokens) with its own GIN index, the first tier of the ranking
(without reading each match's whole document); filled from the stored documents

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-30
"""

import sqlalchemy as sa
from alembic import op

from newsdesk.store.index import head_of

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

_CHUNK = 2000


def upgrade() -> None:
    conn = op.get_bind()
    if conn.dialect.name == "sqlite":
        return  # FTS5 ranks with BM25 over its own columns
    op.execute("ALTER TABLE search_index ADD COLUMN head tsvector")
    last = ""
    while True:  # by uuid, a chunk at a time: memory stays flat whatever the size
        rows = conn.execute(
            sa.text("SELECT uuid, doc::text FROM search_index WHERE uuid > :last ORDER BY uuid LIMIT :n"),
            {"last": last, "n": _CHUNK},
        ).all()
        if not rows:
            break
        conn.execute(
            sa.text(
                "UPDATE search_index SET head = CAST(t.h AS tsvector)"
                " FROM unnest(CAST(:uuids AS text[]), CAST(:heads AS text[])) AS t(u, h) WHERE uuid = t.u"
            ),
            {"uuids": [row[0] for row in rows], "heads": [head_of(row[1]) for row in rows]},
        )
        last = rows[-1][0]
    op.execute("ALTER TABLE search_index ALTER COLUMN head SET NOT NULL")
    op.execute("CREATE INDEX ix_search_index_head ON search_index USING gin (head)")


def downgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        op.execute("ALTER TABLE search_index DROP COLUMN head")  # and its index
