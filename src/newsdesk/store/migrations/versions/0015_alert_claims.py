"""alerts.claimed_by: the sender process holding a claim, so that another sender on its
host takes the claim over at once when that process is gone

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-07
"""

import sqlalchemy as sa
from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # May run again over a database that has the column (one made by the current schema
    # and set back to an older revision): added only where missing.
    if "claimed_by" not in {c["name"] for c in sa.inspect(op.get_bind()).get_columns("alerts")}:
        op.add_column("alerts", sa.Column("claimed_by", sa.String(200)))


def downgrade() -> None:
    with op.batch_alter_table("alerts") as batch:
        batch.drop_column("claimed_by")
