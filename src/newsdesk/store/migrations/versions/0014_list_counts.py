"""list counts: on SQLite, how many articles each source, language and tag holds, in a
small table kept by triggers (a list's pager needs its total, and counting 700,000
English articles read an index of them: 30-60 ms at one to two million; the tag widget
grouped every article's tags: seconds)

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-01
"""

from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None

# kind 'source' or 'language' (name: the stored value), or 'tag.' + a tag's kind.
_TABLE = (
    "CREATE TABLE IF NOT EXISTS list_counts"
    " (kind TEXT NOT NULL, name TEXT NOT NULL, n INTEGER NOT NULL, PRIMARY KEY (kind, name)) WITHOUT ROWID"
)
_ADD = (
    "INSERT INTO list_counts (kind, name, n) SELECT {kind}, {name}, 1 WHERE {name} IS NOT NULL"
    " ON CONFLICT (kind, name) DO UPDATE SET n = n + 1;"
)
_TAKE = "UPDATE list_counts SET n = n - 1 WHERE kind = {kind} AND name = {name};"


def _steps(template: str, row: str, keys: tuple[tuple[str, str], ...]) -> str:
    """``template`` for each (kind, name) of ``keys``, written for the trigger's ``row``."""
    return " ".join(template.format(kind=kind.format(row=row), name=name.format(row=row)) for kind, name in keys)


_ARTICLE = (("'source'", "{row}.source"), ("'language'", "{row}.language"))
_TAG = (("'tag.' || {row}.kind", "{row}.tag"),)

_TRIGGERS = {
    "list_counts_article_added": f"AFTER INSERT ON articles BEGIN {_steps(_ADD, 'NEW', _ARTICLE)} END",
    "list_counts_article_removed": f"AFTER DELETE ON articles BEGIN {_steps(_TAKE, 'OLD', _ARTICLE)} END",
    "list_counts_article_moved": (
        "AFTER UPDATE OF source, language ON articles"
        " WHEN OLD.source IS NOT NEW.source OR OLD.language IS NOT NEW.language"
        f" BEGIN {_steps(_TAKE, 'OLD', _ARTICLE)} {_steps(_ADD, 'NEW', _ARTICLE)} END"
    ),
    "list_counts_tag_added": f"AFTER INSERT ON article_tags BEGIN {_steps(_ADD, 'NEW', _TAG)} END",
    "list_counts_tag_removed": f"AFTER DELETE ON article_tags BEGIN {_steps(_TAKE, 'OLD', _TAG)} END",
    "list_counts_tag_moved": (
        "AFTER UPDATE OF tag, kind ON article_tags WHEN OLD.tag IS NOT NEW.tag OR OLD.kind IS NOT NEW.kind"
        f" BEGIN {_steps(_TAKE, 'OLD', _TAG)} {_steps(_ADD, 'NEW', _TAG)} END"
    ),
}

_FILL = (
    "INSERT INTO list_counts (kind, name, n) SELECT 'source', source, count(*) FROM articles GROUP BY source",
    "INSERT INTO list_counts (kind, name, n)"
    " SELECT 'language', language, count(*) FROM articles WHERE language IS NOT NULL GROUP BY language",
    "INSERT INTO list_counts (kind, name, n) SELECT 'tag.' || kind, tag, count(*) FROM article_tags GROUP BY kind, tag",
)


def upgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        return  # PostgreSQL counts its lists (concurrent writers would queue on such rows)
    op.execute(_TABLE)
    op.execute("DELETE FROM list_counts")
    for statement in _FILL:
        op.execute(statement)
    for name, body in _TRIGGERS.items():
        op.execute(f"DROP TRIGGER IF EXISTS {name}")
        op.execute(f"CREATE TRIGGER {name} {body}")


def downgrade() -> None:
    for name in _TRIGGERS:
        op.execute(f"DROP TRIGGER IF EXISTS {name}")
    op.execute("DROP TABLE IF EXISTS list_counts")
