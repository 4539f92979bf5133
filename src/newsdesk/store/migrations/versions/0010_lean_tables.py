"""lean tables: on SQLite, cluster_keys and article_tags become WITHOUT ROWID tables
(the primary key is the table: one B-tree less to write and store for the 22 keys and
~8 tags of every article) in new and small databases; on both databases the index on
article_tags.tag alone goes (ix_article_tags_tag_published starts with the tag and
serves the same lookups)

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-01
"""

from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

_TABLES = {
    "cluster_keys": (
        '"key" BIGINT NOT NULL, uuid VARCHAR(32) NOT NULL, PRIMARY KEY ("key", uuid)',
        '"key", uuid',
        ["CREATE INDEX ix_cluster_keys_uuid ON cluster_keys (uuid)"],
    ),
    "article_tags": (
        "uuid VARCHAR(32) NOT NULL, tag VARCHAR(200) NOT NULL, kind VARCHAR(10) NOT NULL, published DATETIME, "
        "PRIMARY KEY (uuid, tag)",
        "uuid, tag, kind, published",
        [
            "CREATE INDEX ix_article_tags_tag_published ON article_tags (tag, published, uuid)",
            "CREATE INDEX ix_article_tags_kind_tag ON article_tags (kind, tag)",
        ],
    ),
}


# Rebuilt up to this many rows (about 200,000 articles, a minute): the rebuild is one
# transaction, whose log needs the new tables' size in free disk (13 GB and more than
# ten minutes at two million articles, where it was stopped). A larger database keeps
# its tables as they are, which the store reads and writes the same way.
_REBUILT_UP_TO = 5_000_000


def upgrade() -> None:
    # Each step may be run again: databases migrated before migrations ran in one
    # transaction on SQLite may hold what a killed run of this one left.
    op.execute("DROP INDEX IF EXISTS ix_article_tags_tag")
    conn = op.get_bind()
    if conn.dialect.name != "sqlite":
        return  # PostgreSQL keeps every table in a heap apart from its indexes anyway
    for name in _TABLES:  # what a killed run of this migration left
        op.execute(f"DROP TABLE IF EXISTS {name}_lean")
    counted = f"SELECT count(*) FROM (SELECT 1 FROM cluster_keys LIMIT {_REBUILT_UP_TO + 1})"
    if conn.exec_driver_sql(counted).scalar_one() > _REBUILT_UP_TO:
        return
    for name, (columns, names, indexes) in _TABLES.items():
        op.execute(f"CREATE TABLE {name}_lean ({columns}) WITHOUT ROWID")
        # In key order: each row goes at the end of the new B-tree.
        primary = names.split(", ")[:2]
        op.execute(f"INSERT INTO {name}_lean ({names}) SELECT {names} FROM {name} ORDER BY {', '.join(primary)}")
        op.execute(f"DROP TABLE {name}")
        op.execute(f"ALTER TABLE {name}_lean RENAME TO {name}")
        for statement in indexes:
            op.execute(statement)


def downgrade() -> None:
    op.create_index("ix_article_tags_tag", "article_tags", ["tag"])
