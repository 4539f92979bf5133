"""story_keys.title: whether the article's title names the key (cross-lingual links
compare two reports only when both titles name one thing they share). Rows written
before it read true: they do not hold an older article back.

Revision ID: 0024
Revises: 0023
Create Date: 2026-12-07
"""

import sqlalchemy as sa
from alembic import op

revision = "0024"
down_revision = "0023"
branch_labels = None
depends_on = None


def upgrade() -> None:
    columns = {c["name"] for c in sa.inspect(op.get_bind()).get_columns("story_keys")}
    if "title" not in columns:
        op.add_column("story_keys", sa.Column("title", sa.Boolean, nullable=False, server_default=sa.true()))


def downgrade() -> None:
    op.drop_column("story_keys", "title")
