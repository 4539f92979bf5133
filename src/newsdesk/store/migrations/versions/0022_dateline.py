"""articles.dateline: the article's date is the day its text's dateline names (its
source gave none)

Revision ID: 0022
Revises: 0021
Create Date: 2026-12-07
"""

import sqlalchemy as sa
from alembic import op

revision = "0022"
down_revision = "0021"
branch_labels = None
depends_on = None


def upgrade() -> None:
    inspector = sa.inspect(op.get_bind())
    if "dateline" not in {c["name"] for c in inspector.get_columns("articles")}:
        op.add_column("articles", sa.Column("dateline", sa.Boolean, nullable=False, server_default=sa.false()))


def downgrade() -> None:
    op.drop_column("articles", "dateline")
