"""reading: indexes on articles.first_seen (the live stream reads what arrived since),
on articles.updated (the web cache asks whether anything changed)
and on (language, published) (lists filtered by language); (published, uuid) replaces
(published): it covers the uuids of a list page, however deep; (kind, tag) on
article_tags: the tag widget's counts read that index only

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
    op.create_index("ix_articles_updated", "articles", ["updated"])
    op.create_index("ix_articles_language_published", "articles", ["language", "published"])
    op.create_index("ix_articles_published_uuid", "articles", ["published", "uuid"])
    op.drop_index("ix_articles_published", "articles")
    op.create_index("ix_article_tags_kind_tag", "article_tags", ["kind", "tag"])


def downgrade() -> None:
    op.drop_index("ix_article_tags_kind_tag", "article_tags")
    op.create_index("ix_articles_published", "articles", ["published"])
    op.drop_index("ix_articles_published_uuid", "articles")
    op.drop_index("ix_articles_language_published", "articles")
    op.drop_index("ix_articles_updated", "articles")
    op.drop_index("ix_articles_first_seen", "articles")
