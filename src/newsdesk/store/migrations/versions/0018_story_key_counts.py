"""story_key_counts: how many articles named each story key in each six hours, so that
linking reads how common a key is without counting its rows

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-07
"""

import sqlalchemy as sa
from alembic import op

revision = "0018"
down_revision = "0017"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # May run again over a database that has it (see 0016): made only where missing, and
    # filled from the keys already stored.
    if "story_key_counts" in set(sa.inspect(op.get_bind()).get_table_names()):
        return
    op.create_table(
        "story_key_counts",
        sa.Column("key", sa.BigInteger, primary_key=True),
        sa.Column("slot", sa.Integer, primary_key=True),
        sa.Column("n", sa.Integer, nullable=False),
        sqlite_with_rowid=False,
    )
    bind = op.get_bind()
    slot = (
        "CAST(FLOOR(EXTRACT(EPOCH FROM published) / 21600) AS INTEGER)"
        if bind.dialect.name == "postgresql"
        else "CAST(strftime('%s', published) / 21600 AS INTEGER)"
    )
    op.execute(
        f"INSERT INTO story_key_counts (key, slot, n) SELECT key, {slot}, count(*) FROM story_keys GROUP BY 1, 2"
    )


def downgrade() -> None:
    op.drop_table("story_key_counts")
