"""search index, tags, near-duplicate signatures

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-24

Existing articles get ``enriched = 0``: ``newsdesk reindex`` builds their index,
tags and clusters (a migration cannot run the tokenizer it would need).
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("articles") as batch:
        batch.add_column(sa.Column("enriched", sa.Integer, nullable=False, server_default="0"))
    op.create_index("ix_articles_enriched", "articles", ["enriched"])
    op.create_index("ix_articles_cluster", "articles", ["cluster"])
    op.create_table(
        "article_tags",
        sa.Column("uuid", sa.String(32), primary_key=True),
        sa.Column("tag", sa.String(200), primary_key=True),
        sa.Column("kind", sa.String(10), nullable=False),
    )
    op.create_index("ix_article_tags_tag", "article_tags", ["tag"])
    op.create_table(
        "article_signatures",
        sa.Column("uuid", sa.String(32), primary_key=True),
        sa.Column("minhash", sa.LargeBinary, nullable=False),
    )
    op.create_table(
        "cluster_keys",
        sa.Column("key", sa.BigInteger, primary_key=True),
        sa.Column("uuid", sa.String(32), primary_key=True),
    )
    op.create_index("ix_cluster_keys_uuid", "cluster_keys", ["uuid"])
    if op.get_bind().dialect.name == "sqlite":
        # Tokens arrive pre-made (newsdesk.tokens); unicode61 only splits on spaces.
        # The filter columns are copies, so that a search never reads the wide articles rows.
        op.execute(
            "CREATE VIRTUAL TABLE search_fts USING fts5(uuid UNINDEXED, source UNINDEXED, language UNINDEXED,"
            " published UNINDEXED, title, body, tokenize='unicode61 remove_diacritics 0')"
        )
    else:
        op.execute(
            "CREATE TABLE search_index (uuid varchar(32) PRIMARY KEY, source varchar(200) NOT NULL,"
            " language varchar(20), published timestamptz NOT NULL, doc tsvector NOT NULL)"
        )
        op.execute("CREATE INDEX ix_search_index_doc ON search_index USING gin (doc)")


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute("DROP TABLE search_fts")
    else:
        op.execute("DROP TABLE search_index")
    for table in ("cluster_keys", "article_signatures", "article_tags"):
        op.drop_table(table)
    op.drop_index("ix_articles_cluster", "articles")
    op.drop_index("ix_articles_enriched", "articles")
    with op.batch_alter_table("articles") as batch:
        batch.drop_column("enriched")
