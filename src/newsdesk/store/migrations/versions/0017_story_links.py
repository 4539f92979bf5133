"""story_keys (what articles name, hashed, for linking reports in two languages) and
story_merges (the stories merged into others, so their ids keep resolving)

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-07
"""

import sqlalchemy as sa
from alembic import op

from newsdesk.store.schema import UTCDateTime

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # May run again over a database that has them (see 0016): each made only where missing.
    tables = set(sa.inspect(op.get_bind()).get_table_names())
    if "story_keys" not in tables:
        op.create_table(
            "story_keys",
            sa.Column("key", sa.BigInteger, primary_key=True),
            sa.Column("published", UTCDateTime, primary_key=True),
            sa.Column("uuid", sa.String(32), primary_key=True),
            sa.Column("language", sa.String(8), nullable=False),
            sqlite_with_rowid=False,
        )
        op.create_index("ix_story_keys_uuid", "story_keys", ["uuid"])
    if "story_merges" not in tables:
        op.create_table(
            "story_merges",
            sa.Column("old", sa.String(64), primary_key=True),
            sa.Column("new", sa.String(64), nullable=False),
            sa.Column("merged", UTCDateTime, nullable=False),
        )
        op.create_index("ix_story_merges_new", "story_merges", ["new"])


def downgrade() -> None:
    op.drop_table("story_merges")
    op.drop_table("story_keys")
