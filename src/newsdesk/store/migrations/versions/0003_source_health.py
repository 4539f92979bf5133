"""source health

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-24
"""

import sqlalchemy as sa
from alembic import op

from newsdesk.store.schema import UTCDateTime

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "source_health",
        sa.Column("name", sa.String(80), primary_key=True),
        sa.Column("state", sa.String(10), nullable=False),
        sa.Column("last_run", UTCDateTime),
        sa.Column("last_success", UTCDateTime),
        sa.Column("last_error", sa.Text),
        sa.Column("last_error_at", UTCDateTime),
        sa.Column("failures", sa.Integer, nullable=False, server_default="0"),
        sa.Column("new_items", sa.Integer, nullable=False, server_default="0"),
        sa.Column("seen_items", sa.Integer, nullable=False, server_default="0"),
        sa.Column("latency_ms", sa.Integer),
        sa.Column("validators", sa.JSON),
        sa.Column("last_good", sa.JSON),
        sa.Column("bad_sample", sa.JSON),
        sa.Column("alerted", sa.String(10)),
        sa.Column("enabled", sa.Boolean),
    )


def downgrade() -> None:
    op.drop_table("source_health")
