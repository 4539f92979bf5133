"""article_states: each user's read and starred articles

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-07
"""

import sqlalchemy as sa
from alembic import op

from newsdesk.store.schema import UTCDateTime

revision = "0020"
down_revision = "0019"
branch_labels = None
depends_on = None


def upgrade() -> None:
    if "article_states" in set(sa.inspect(op.get_bind()).get_table_names()):
        return
    op.create_table(
        "article_states",
        sa.Column("user", sa.String(40), primary_key=True),
        sa.Column("uuid", sa.String(32), primary_key=True),
        sa.Column("read", sa.Boolean, nullable=False),
        sa.Column("starred", sa.Boolean, nullable=False),
        sa.Column("updated", UTCDateTime, nullable=False),
    )
    op.create_index("ix_article_states_user_starred", "article_states", ["user", "starred"])


def downgrade() -> None:
    op.drop_table("article_states")
