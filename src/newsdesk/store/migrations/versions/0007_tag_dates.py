"""tag dates: the publication time of each tagged article in article_tags, with a
(tag, published, uuid) index, so that a tag's newest articles are an index range
instead of every tagged row sorted (a tag page on a large database)

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-30
"""

import sqlalchemy as sa
from alembic import op

from newsdesk.store.schema import UTCDateTime

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("article_tags") as table:
        table.add_column(sa.Column("published", UTCDateTime, nullable=True))
    op.execute(
        "UPDATE article_tags SET published = (SELECT a.published FROM articles a WHERE a.uuid = article_tags.uuid)"
    )
    op.create_index("ix_article_tags_tag_published", "article_tags", ["tag", "published", "uuid"])


def downgrade() -> None:
    op.drop_index("ix_article_tags_tag_published", "article_tags")
    with op.batch_alter_table("article_tags") as table:
        table.drop_column("published")
