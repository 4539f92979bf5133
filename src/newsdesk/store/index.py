"""The search index, inside the article's own transaction.

SQLite: an FTS5 table ``search_fts`` whose columns hold the tokens of
:mod:`newsdesk.tokens`. Its rowid is made from the publication time and the uuid
(:func:`rowid`): an update or a prune deletes by rowid, not by a scan, and
:mod:`newsdesk.store.searchreads` finds the newest matches of a query at the end of
its range. Rows written before that scheme have a rowid made from the uuid alone
(zero or more); ``newsdesk reindex`` renumbers them. ``search_titles`` holds the
title tokens again, by the same rowid, in a plain table: ranking reads the titles of
thousands of matches, and a row of ``search_fts`` (with the body) costs 5–50 µs to
read where one of these costs about one.

PostgreSQL: the same tokens as a ``tsvector`` literal (title at weight A, body at
D, ten to one under ``ts_rank``) in
``search_index``, behind a GIN index, and a second, short one in
``search_heads``: the title and the first :data:`HEAD_TOKENS` tokens of the body,
behind a GIN index of its own (both tables carry copies of the filter columns).
Building the literals in Python keeps PostgreSQL's own parser and locale out of
it: both databases see one token list.

Why a head: ``ts_rank`` reads the whole tsvector of every match, and a long
article's is compressed and stored out of line (TOAST); two common words match
tens of thousands of articles at a million, and ranking them all over their
whole documents took a quarter of a second. The best matches are now the
articles whose head matches, ranked over the head (small enough to stay in the
row, and found through its own index: a tenth of the matches of two common
words); the articles that match only further down follow, newest first. Every
match is still found (``doc`` decides what matches, and ``count``).
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa

from newsdesk.models import Article
from newsdesk.store.schema import articles
from newsdesk.tokens import article_tokens

_MAX_POSITION = 16383  # PostgreSQL's limit for positions in a tsvector
_MAX_POSITIONS_PER_TOKEN = 255
HEAD_TOKENS = 100  # body tokens in PostgreSQL's ranking document, besides the title


def rowid(uuid: str, published: datetime) -> int:
    """An article's FTS5 rowid: negative, in order of publication (to the second),
    with 31 bits of the md5 hex ``uuid`` apart articles of the same second."""
    seconds = min(max(int(published.timestamp()), 0), 2**32 - 1)
    return ((seconds << 31) | (int(uuid[-8:], 16) & 0x7FFFFFFF)) - 2**63


def legacy_rowid(uuid: str) -> int:
    """The rowid of an article indexed before rowids followed publication time."""
    return int(uuid, 16) & (2**63 - 1)


def delete_sqlite(conn: sa.Connection, uuids: Sequence[str]) -> None:
    """Remove the index entries of ``uuids`` (whichever rowid scheme wrote them),
    before their articles' rows change or go."""
    if not uuids:
        return
    stored = conn.execute(
        sa.select(articles.c.uuid, articles.c.published).where(articles.c.uuid.in_(list(uuids)))
    ).all()
    rowids = [legacy_rowid(uuid) for uuid in uuids] + [rowid(uuid, published) for uuid, published in stored]
    _delete_sqlite(conn, rowids)


def _delete_sqlite(conn: sa.Connection, rowids: list[int]) -> None:
    for table in ("search_fts", "search_titles"):  # (search_titles.id is its rowid)
        conn.execute(sa.text(f"DELETE FROM {table} WHERE rowid = :rowid"), [{"rowid": n} for n in rowids])


def move_legacy(conn: sa.Connection, limit: int) -> int:
    """Give up to ``limit`` entries written under the uuid scheme the rowid of their
    publication time (SQLite); how many moved (0: none is left)."""
    found = conn.execute(
        sa.text(f"SELECT rowid, {_FTS_COLUMNS} FROM search_fts WHERE rowid >= 0 LIMIT :n"), {"n": limit}
    ).all()
    if not found:
        return 0
    _delete_sqlite(conn, [row[0] for row in found])
    moved = [dict(row._mapping) for row in found]
    for row in moved:
        row["rowid"] = rowid(row["uuid"], stored_time(row["published"]))
    _insert_sqlite(conn, moved)
    return len(found)


def merge_step(conn: sa.Connection, pages: int = 2000) -> bool:
    """Merge FTS5 segments, about ``pages`` pages' worth; whether there was work. A
    moved entry leaves a delete marker for each of its words until the segments
    that hold them merge: a million moved doubled the time of common words' queries."""
    driver: Any = conn.connection.driver_connection  # sqlite3's own: its change counter
    before = driver.total_changes
    conn.execute(sa.text("INSERT INTO search_fts (search_fts, rank) VALUES ('merge', :pages)"), {"pages": -pages})
    return bool(driver.total_changes - before >= 2)  # FTS5's documented sign of work done


def tokens(article: Article) -> tuple[str, str]:
    """The enrichment's tokens (space-separated), or made now for an article saved without it."""
    return article.tokens or article_tokens(article.title, article.text)


def write(conn: sa.Connection, batch: Sequence[Article]) -> None:
    """Replace the index entries of ``batch``."""
    if not batch:
        return
    sqlite = conn.dialect.name == "sqlite"
    rows = []
    for article in batch:
        title, body = tokens(article)
        row: dict[str, Any] = {"uuid": article.uuid, "source": article.source, "language": article.language}
        if sqlite:
            row.update(rowid=rowid(article.uuid, article.published), published=sqlite_time(article.published))
            row.update(title=title, body=body)
        else:
            title_tokens, body_tokens = title.split(), body.split()
            doc, head = tsvector(title_tokens, body_tokens), tsvector(title_tokens, body_tokens[:HEAD_TOKENS])
            row.update(published=article.published, doc=doc, head=head)
        rows.append(row)
    if sqlite:
        delete_sqlite(conn, [row["uuid"] for row in rows])
        _insert_sqlite(conn, rows)
    else:  # one statement a table for the batch: arrays in, unnest, cast each literal to a tsvector
        for table, text in (("search_index", "doc"), ("search_heads", "head")):
            names = ("uuid", "source", "language", "published", text)
            conn.execute(
                sa.text(
                    f"INSERT INTO {table} (uuid, source, language, published, {text})"
                    " SELECT u, s, l, p, CAST(d AS tsvector) FROM unnest(CAST(:uuid AS text[]),"
                    " CAST(:source AS text[]), CAST(:language AS text[]), CAST(:published AS timestamptz[]),"
                    f" CAST(:{text} AS text[])) AS t(u, s, l, p, d)"
                    " ON CONFLICT (uuid) DO UPDATE SET source = excluded.source, language = excluded.language,"
                    f" published = excluded.published, {text} = excluded.{text}"
                ),
                {name: [row[name] for row in rows] for name in names},
            )


_FTS_COLUMNS = "uuid, source, language, published, title, body"


def _insert_sqlite(conn: sa.Connection, rows: list[dict[str, Any]]) -> None:
    # OR REPLACE: two articles of one second whose uuids end alike (one in two
    # billion) keep the later one's entry rather than fail the batch.
    values = ", ".join(f":{name}" for name in _FTS_COLUMNS.split(", "))
    conn.execute(sa.text(f"INSERT OR REPLACE INTO search_fts (rowid, {_FTS_COLUMNS}) VALUES (:rowid, {values})"), rows)
    conn.execute(sa.text("INSERT OR REPLACE INTO search_titles (id, title) VALUES (:rowid, :title)"), rows)


def sqlite_time(value: datetime) -> str:
    """UTC as sortable text: how the FTS5 table keeps ``published`` for range filters."""
    return value.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")


def stored_time(text: str) -> datetime:
    """The aware UTC time :func:`sqlite_time` wrote."""
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def tsvector(title: list[str], body: list[str]) -> str:
    """A tsvector literal: title tokens at weight A, body tokens unweighted (D)."""
    positions: dict[str, list[str]] = defaultdict(list)
    for number, token in enumerate([*title, *body], start=1):
        if number > _MAX_POSITION:
            break
        where = positions[token]
        if len(where) < _MAX_POSITIONS_PER_TOKEN:
            where.append(f"{number}A" if number <= len(title) else str(number))
    return " ".join(f"'{_escape(token)}':{','.join(where)}" for token, where in positions.items())


def _escape(token: str) -> str:
    return token.replace("\\", "\\\\").replace("'", "''")


# One entry of PostgreSQL's text form of a tsvector: 'lexeme':1A,2,3, positions in
# ascending order; inside the quotes a quote or backslash is doubled, as in the
# literals :func:`tsvector` writes, so a lexeme is copied as printed.
_ENTRY = re.compile(r"('(?:[^'\\]+|''|\\.)*'):([0-9A-D,]+)")


def head_of(doc: str) -> str:
    """The ``head`` literal for a ``doc`` in PostgreSQL's text form: its title
    positions (weight A) and the first :data:`HEAD_TOKENS` body positions after them
    (what :func:`write` stores, made again from the stored document)."""
    entries = _ENTRY.findall(doc)
    last_title = 0
    for _, positions in entries:
        if "A" in positions:
            last_title = max(last_title, *(int(p[:-1]) for p in positions.split(",") if p.endswith("A")))
    cutoff = last_title + HEAD_TOKENS
    kept = []
    for lexeme, positions in entries:
        near = []
        for position in positions.split(","):
            if int(position.rstrip("A")) > cutoff:
                break
            near.append(position)
        if near:
            kept.append(f"{lexeme}:{','.join(near)}")
    return " ".join(kept)
