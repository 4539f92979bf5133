"""articles.importance: what a source says of an item (0 normal, 1 important, 2 top),
and a partial index of the marked ones in date order for the "important only" lists

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-07
"""

import sqlalchemy as sa
from alembic import op

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # May run again over a database that has them (one made by the current schema and
    # set back to an older revision): each added only where missing.
    inspector = sa.inspect(op.get_bind())
    if "importance" not in {c["name"] for c in inspector.get_columns("articles")}:
        op.add_column("articles", sa.Column("importance", sa.SmallInteger, nullable=False, server_default="0"))
    if "ix_articles_important" not in {i["name"] for i in inspector.get_indexes("articles")}:
        where = sa.text("importance > 0")
        op.create_index(
            "ix_articles_important", "articles", ["published", "uuid"], sqlite_where=where, postgresql_where=where
        )


def downgrade() -> None:
    op.drop_index("ix_articles_important", "articles")
    op.drop_column("articles", "importance")
