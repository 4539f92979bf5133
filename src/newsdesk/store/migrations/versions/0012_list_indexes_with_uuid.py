"""list indexes with the uuid: the (language, published) and (source, published)
indexes of articles end with the uuid, so that a page of a language's or a source's
list is read from the index alone, however far into the list it is (a page in the
middle of 420,000 articles skipped half of them with a table lookup each: ~1 s)

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-01
"""

from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None

_LISTS = ("language", "source")


def upgrade() -> None:
    # IF (NOT) EXISTS: a database made from the current schema and stamped older may
    # hold the new indexes already.
    for column in _LISTS:
        op.execute(f"DROP INDEX IF EXISTS ix_articles_{column}_published")
        op.execute(
            f"CREATE INDEX IF NOT EXISTS ix_articles_{column}_published_uuid ON articles ({column}, published, uuid)"
        )


def downgrade() -> None:
    for column in _LISTS:
        op.execute(f"DROP INDEX IF EXISTS ix_articles_{column}_published_uuid")
        op.execute(f"CREATE INDEX IF NOT EXISTS ix_articles_{column}_published ON articles ({column}, published)")
