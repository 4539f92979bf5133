"""ingest: articles.dated, source_health.rejected, source_runs (one run of a source at a time)

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-30
"""

import sqlalchemy as sa
from alembic import op

from newsdesk.store.schema import UTCDateTime

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("articles") as batch:
        batch.add_column(sa.Column("dated", sa.Boolean, nullable=False, server_default=sa.true()))
    with op.batch_alter_table("source_health") as batch:
        batch.add_column(sa.Column("rejected", sa.JSON))
    op.create_table(
        "source_runs",
        sa.Column("name", sa.String(80), primary_key=True),
        sa.Column("owner", sa.String(200), nullable=False),
        sa.Column("expires", UTCDateTime, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("source_runs")
    with op.batch_alter_table("source_health") as batch:
        batch.drop_column("rejected")
    with op.batch_alter_table("articles") as batch:
        batch.drop_column("dated")
