"""users, user_tokens and sessions: accounts, their app passwords and API tokens, and
the browsers signed in

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-07
"""

import sqlalchemy as sa
from alembic import op

from newsdesk.store.schema import UTCDateTime

revision = "0019"
down_revision = "0018"
branch_labels = None
depends_on = None


def upgrade() -> None:
    tables = set(sa.inspect(op.get_bind()).get_table_names())
    if "users" not in tables:
        op.create_table(
            "users",
            sa.Column("name", sa.String(40), primary_key=True),
            sa.Column("password", sa.Text, nullable=False),
            sa.Column("admin", sa.Boolean, nullable=False),
            sa.Column("created", UTCDateTime, nullable=False),
        )
    if "user_tokens" not in tables:
        op.create_table(
            "user_tokens",
            sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
            sa.Column("user", sa.String(40), nullable=False),
            sa.Column("kind", sa.String(8), nullable=False),
            sa.Column("label", sa.String(100), nullable=False),
            sa.Column("digest", sa.String(64), nullable=False, unique=True),
            sa.Column("created", UTCDateTime, nullable=False),
            sa.Column("last_used", UTCDateTime),
        )
        op.create_index("ix_user_tokens_user", "user_tokens", ["user"])
    if "sessions" not in tables:
        op.create_table(
            "sessions",
            sa.Column("digest", sa.String(64), primary_key=True),
            sa.Column("user", sa.String(40), nullable=False),
            sa.Column("csrf", sa.String(64), nullable=False),
            sa.Column("created", UTCDateTime, nullable=False),
            sa.Column("expires", UTCDateTime, nullable=False),
        )
        op.create_index("ix_sessions_user", "sessions", ["user"])


def downgrade() -> None:
    op.drop_table("sessions")
    op.drop_table("user_tokens")
    op.drop_table("users")
