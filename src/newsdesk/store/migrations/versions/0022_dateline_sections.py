"""articles.dateline (the article's date is the day its text's dateline names: its
source gave none) and articles.sections (newsdesk.enrich.sections, also kept as
``article_tags`` rows of kind ``section`` for lists filtered by one)

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
    columns = {c["name"] for c in sa.inspect(op.get_bind()).get_columns("articles")}
    if "dateline" not in columns:
        op.add_column("articles", sa.Column("dateline", sa.Boolean, nullable=False, server_default=sa.false()))
    if "sections" not in columns:  # filled by `newsdesk reindex` (enrich version 4)
        op.add_column("articles", sa.Column("sections", sa.JSON, nullable=False, server_default="[]"))


def downgrade() -> None:
    op.drop_column("articles", "sections")
    op.drop_column("articles", "dateline")
