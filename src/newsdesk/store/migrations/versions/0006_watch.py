"""watch: watchlists and the alerts outbox

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-30
"""

import sqlalchemy as sa
from alembic import op

from newsdesk.store.schema import UTCDateTime

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "watchlists",
        sa.Column("name", sa.String(80), primary_key=True),
        sa.Column("definition", sa.JSON, nullable=False),
        sa.Column("updated", UTCDateTime, nullable=False),
    )
    op.create_table(
        "alerts",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("watchlist", sa.String(80), nullable=False),
        sa.Column("cluster", sa.String(64), nullable=False),
        sa.Column("uuid", sa.String(32), nullable=False),
        sa.Column("created", UTCDateTime, nullable=False),
        sa.Column("state", sa.String(10), nullable=False),
        sa.Column("attempts", sa.Integer, nullable=False, server_default="0"),
        sa.Column("next_try", UTCDateTime, nullable=False),
        sa.Column("last_error", sa.Text),
        sa.Column("sent", UTCDateTime),
        sa.UniqueConstraint("watchlist", "cluster", name="uq_alerts_watchlist_cluster"),
    )
    op.create_index("ix_alerts_state_next_try", "alerts", ["state", "next_try"])


def downgrade() -> None:
    op.drop_table("alerts")
    op.drop_table("watchlists")
