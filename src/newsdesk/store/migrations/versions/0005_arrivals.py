"""arrivals: an index on articles.first_seen (the live stream reads what arrived since)

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-30
"""

from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_articles_first_seen", "articles", ["first_seen"])


def downgrade() -> None:
    op.drop_index("ix_articles_first_seen", "articles")
