"""articles and the record versions seen for them

Revision ID: 0001
Revises:
Create Date: 2026-11-24
"""

import sqlalchemy as sa
from alembic import op

from newsdesk.store.schema import UTCDateTime

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "articles",
        sa.Column("uuid", sa.String(32), primary_key=True),
        sa.Column("link", sa.Text, nullable=False),
        sa.Column("source", sa.String(200), nullable=False),
        sa.Column("external_id", sa.String(200)),
        sa.Column("title", sa.Text, nullable=False),
        sa.Column("raw_html", sa.Text, nullable=False),
        sa.Column("html", sa.Text, nullable=False),
        sa.Column("markdown", sa.Text, nullable=False),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("summary", sa.Text, nullable=False),
        sa.Column("image", sa.Text),
        sa.Column("author", sa.Text),
        sa.Column("language", sa.String(20)),
        sa.Column("kind", sa.Integer, nullable=False),
        sa.Column("kind_raw", sa.String(200)),
        sa.Column("published", UTCDateTime, nullable=False),
        sa.Column("first_seen", UTCDateTime, nullable=False),
        sa.Column("updated", UTCDateTime, nullable=False),
        sa.Column("content_hash", sa.String(32), nullable=False),
        sa.Column("tags", sa.JSON, nullable=False),
        sa.Column("tickers", sa.JSON, nullable=False),
        sa.Column("cluster", sa.String(64)),
    )
    op.create_index("ix_articles_published", "articles", ["published"])
    op.create_index("ix_articles_source_published", "articles", ["source", "published"])
    op.create_table(
        "article_versions",
        sa.Column("uuid", sa.String(32), primary_key=True),
        sa.Column("content_hash", sa.String(32), primary_key=True),
    )


def downgrade() -> None:
    op.drop_table("article_versions")
    op.drop_table("articles")
