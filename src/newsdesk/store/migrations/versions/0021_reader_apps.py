"""article_ids, feeds, categories, subscriptions, read_counts, user_prefs; sessions.token_id and
user_tokens.fever: what reader apps need (numbers for articles and feeds, feeds added
by URL, folders, unread counts, app sign-ins revoked with their app password, the Fever
key, watchlists.owner)

Revision ID: 0021
Revises: 0020
Create Date: 2026-12-07
"""

import sqlalchemy as sa
from alembic import op

from newsdesk.store.schema import UTCDateTime

revision = "0021"
down_revision = "0020"
branch_labels = None
depends_on = None


def upgrade() -> None:
    bind = op.get_bind()
    inspector = sa.inspect(bind)
    tables = set(inspector.get_table_names())
    if "article_ids" not in tables:
        op.create_table(
            "article_ids",
            sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
            sa.Column("uuid", sa.String(32), nullable=False, unique=True),
            sqlite_autoincrement=True,
        )
        # Numbers in arrival order, so that Fever's since_id pages forward.
        bind.execute(sa.text("INSERT INTO article_ids (uuid) SELECT uuid FROM articles ORDER BY first_seen, uuid"))
    if "categories" not in tables:
        op.create_table(
            "categories",
            sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
            sa.Column("name", sa.String(100), nullable=False, unique=True),
            sqlite_autoincrement=True,
        )
    if "feeds" not in tables:
        op.create_table(
            "feeds",
            sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
            sa.Column("name", sa.String(80), nullable=False, unique=True),
            sa.Column("category", sa.String(100)),
            sqlite_autoincrement=True,
        )
    if "subscriptions" not in tables:
        op.create_table(
            "subscriptions",
            sa.Column("name", sa.String(80), primary_key=True),
            sa.Column("url", sa.Text, nullable=False, unique=True),
            sa.Column("site", sa.Text),
            sa.Column("title", sa.String(200), nullable=False),
            sa.Column("added_by", sa.String(40)),
            sa.Column("created", UTCDateTime, nullable=False),
        )
    if "read_counts" not in tables:
        op.create_table(
            "read_counts",
            sa.Column("user", sa.String(40), primary_key=True),
            sa.Column("source", sa.String(200), primary_key=True),
            sa.Column("n", sa.Integer, nullable=False),
        )
        bind.execute(
            sa.text(
                'INSERT INTO read_counts ("user", source, n) SELECT s."user", a.source, count(*)'
                " FROM article_states s JOIN articles a ON a.uuid = s.uuid WHERE s.read"
                ' GROUP BY s."user", a.source'
            )
        )
    if "user_prefs" not in tables:
        op.create_table(
            "user_prefs",
            sa.Column("user", sa.String(40), primary_key=True),
            sa.Column("value", sa.JSON, nullable=False),
            sa.Column("updated", UTCDateTime, nullable=False),
        )
    if "ix_article_states_uuid" not in {i["name"] for i in inspector.get_indexes("article_states")}:
        op.create_index("ix_article_states_uuid", "article_states", ["uuid"])
    if "owner" not in {c["name"] for c in inspector.get_columns("watchlists")}:
        op.add_column("watchlists", sa.Column("owner", sa.String(40)))  # the existing ones: the admin's
    if "token_id" not in {c["name"] for c in inspector.get_columns("sessions")}:
        op.add_column("sessions", sa.Column("token_id", sa.Integer))
    if "fever" not in {c["name"] for c in inspector.get_columns("user_tokens")}:
        op.add_column("user_tokens", sa.Column("fever", sa.String(64)))
        op.create_index("ix_user_tokens_fever", "user_tokens", ["fever"])


def downgrade() -> None:
    op.drop_index("ix_user_tokens_fever", "user_tokens")
    op.drop_column("user_tokens", "fever")
    op.drop_column("sessions", "token_id")
    op.drop_column("watchlists", "owner")
    op.drop_index("ix_article_states_uuid", "article_states")
    for name in ("user_prefs", "read_counts", "subscriptions", "feeds", "categories", "article_ids"):
        op.drop_table(name)
