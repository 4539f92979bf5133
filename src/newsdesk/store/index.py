"""The search index, inside the article's own transaction.

SQLite: an FTS5 table ``search_fts`` whose columns hold the tokens of
:mod:`newsdesk.tokens`, ranked by FTS5's BM25 with the title weighted ten times
the body. Its rowid is made from the publication time and the uuid
(:func:`rowid`): an update or a prune deletes by rowid, not by a scan, and the
newest matches of a query are the end of its range — a query that matches more
than :data:`CANDIDATES` articles ranks the newest that many, not all of them
(BM25 scores each match it is asked to rank: 250 ms for a word in 180,000
articles, against 7 ms for 430 of them). Rows written before that scheme
have a rowid made from the uuid alone (zero or more); ``newsdesk reindex``
renumbers them. PostgreSQL: the same tokens as a ``tsvector``
literal (title at weight A, body at D — again ten to one under ``ts_rank``) in
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

import json
import re
from collections import defaultdict
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa

from newsdesk.models import Article, ArticleFilter
from newsdesk.store.schema import articles
from newsdesk.tokens import article_tokens

_MAX_POSITION = 16383  # PostgreSQL's limit for positions in a tsvector
_MAX_POSITIONS_PER_TOKEN = 255
_TITLE_WEIGHT, _BODY_WEIGHT = 10.0, 1.0
HEAD_TOKENS = 100  # body tokens in PostgreSQL's ranking document, besides the title
_BM25 = f"-bm25(search_fts, 0, 0, 0, 0, {_TITLE_WEIGHT}, {_BODY_WEIGHT})"
_SPARE = 64  # rows ranked beyond those wanted, to see whether ties run past them
CANDIDATES = 2000  # SQLite: a query matching more ranks its newest this many


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
    conn.execute(sa.text("DELETE FROM search_fts WHERE rowid = :rowid"), [{"rowid": n} for n in rowids])


def move_legacy(conn: sa.Connection, limit: int) -> int:
    """Give up to ``limit`` entries written under the uuid scheme the rowid of their
    publication time (SQLite); how many moved (0: none is left)."""
    found = conn.execute(
        sa.text(f"SELECT rowid, {_FTS_COLUMNS} FROM search_fts WHERE rowid >= 0 LIMIT :n"), {"n": limit}
    ).all()
    if not found:
        return 0
    conn.execute(sa.text("DELETE FROM search_fts WHERE rowid = :rowid"), [{"rowid": row[0]} for row in found])
    moved = [dict(row._mapping) for row in found]
    for row in moved:
        row["rowid"] = rowid(row["uuid"], datetime.fromisoformat(row["published"]).replace(tzinfo=UTC))
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
            row.update(rowid=rowid(article.uuid, article.published), published=_sqlite_time(article.published))
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


def _sqlite_time(value: datetime) -> str:
    """UTC as sortable text: how the FTS5 table keeps ``published`` for range filters."""
    return value.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")


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


def search(
    conn: sa.Connection, expression: str, where: ArticleFilter, limit: int, *, newest: bool = False, offset: int = 0
) -> list[tuple[str, float]]:
    """``(uuid, score)`` of the best matches, best first (``newest``: newest first);
    ``expression`` is an FTS5 MATCH string on SQLite and a tsquery literal on
    PostgreSQL. Only the index is read (it carries copies of the filter columns),
    never ``articles``."""
    sqlite = conn.dialect.name == "sqlite"
    filters, params = _filters(where, sqlite)
    if sqlite and not newest:
        return _best_sqlite(conn, expression, filters, params, limit, offset)
    params.update(expression=expression, limit=limit, offset=offset)
    if not sqlite:
        # The planner prices a sequential scan as cheap because it does not count
        # detoasting every tsvector: 28 ms against 6 ms through the GIN index.
        conn.execute(sa.text("SET LOCAL enable_seqscan = off"))
        if not newest:
            return _best_postgresql(conn, expression, filters, params, limit, offset)
    sql = (
        f"SELECT uuid, {_BM25} AS score FROM search_fts f WHERE search_fts MATCH :expression"
        if sqlite
        else "SELECT f.uuid, ts_rank(h.head, q, 1) AS score FROM search_index f JOIN search_heads h ON h.uuid = f.uuid,"
        " CAST(:expression AS tsquery) AS q WHERE f.doc @@ q"
    )
    sql += f" {filters} ORDER BY f.published DESC, score DESC LIMIT :limit OFFSET :offset"
    return [(row[0], float(row[1])) for row in conn.execute(sa.text(sql), params)]


def _best_postgresql(
    conn: sa.Connection, expression: str, filters: str, params: dict[str, object], limit: int, offset: int
) -> list[tuple[str, float]]:
    """The best matches in two tiers: the articles whose head (title and lede) matches,
    by ``ts_rank`` over the head, then those that match further down, newest first.
    The first tier is found through the head's own GIN index, so ranking reads as
    many rows as there are head matches (a tenth of the matches of two common words),
    and the second is read only when the first has fewer than ``offset + limit``."""
    wanted = offset + limit
    # A head match is a match of the whole article, except where the query excludes
    # a word: the body may hold it.
    whole = " AND (SELECT i.doc @@ q FROM search_index i WHERE i.uuid = f.uuid)" if "!" in expression else ""
    ranked = (
        "SELECT f.uuid, ts_rank(f.head, q, 1) AS score FROM search_heads f, CAST(:expression AS tsquery) AS q"
        f" WHERE f.head @@ q{whole} {filters} ORDER BY score DESC, f.published DESC LIMIT :n"
    )
    rows = list(conn.execute(sa.text(ranked), {**params, "n": wanted}))
    if len(rows) < wanted:
        rows += conn.execute(
            sa.text(
                "SELECT f.uuid, 0.0 FROM search_index f JOIN search_heads h ON h.uuid = f.uuid,"
                " CAST(:expression AS tsquery) AS q"
                f" WHERE f.doc @@ q AND NOT h.head @@ q {filters} ORDER BY f.published DESC LIMIT :n"
            ),
            {**params, "n": wanted - len(rows)},
        ).all()
    return [(row[0], float(row[1])) for row in rows[offset:wanted]]


def _best_sqlite(
    conn: sa.Connection, expression: str, filters: str, params: dict[str, object], limit: int, offset: int
) -> list[tuple[str, float]]:
    """The best matches by score, then the newest among equal scores — among the
    newest :data:`CANDIDATES` matches when more match — ranking rowids alone: a
    tie-break on ``published`` in SQL reads every match's stored row (the row holds
    its tokens), 100 ms for a query matching 5,000 articles against 15 ms for the
    scores. The rows of the best ``offset + limit`` and of everything that
    ties with the last of them are read afterwards, by rowid."""
    wanted = offset + limit
    params = {**params, "expression": expression}
    matched = f"SELECT rowid FROM search_fts f WHERE search_fts MATCH :expression {filters}"
    floor = conn.execute(  # the newest CANDIDATES matches end here (none: fewer match)
        sa.text(f"{matched} AND f.rowid < 0 ORDER BY f.rowid DESC LIMIT 1 OFFSET :skip"),
        {**params, "skip": CANDIDATES - 1},
    ).scalar()
    if floor is not None:
        filters += " AND f.rowid >= :floor AND f.rowid < 0"
        params["floor"] = floor
    ranked = f"SELECT rowid AS id, {_BM25} AS score FROM search_fts f WHERE search_fts MATCH :expression {filters}"
    rows = conn.execute(sa.text(f"{ranked} ORDER BY score DESC LIMIT :n"), {**params, "n": wanted + _SPARE}).all()
    if len(rows) == wanted + _SPARE and rows[-1][1] == rows[wanted - 1][1]:  # ties run past what was read
        boundary = {**params, "boundary": rows[wanted - 1][1]}
        rows = conn.execute(sa.text(f"SELECT id, score FROM ({ranked}) WHERE score >= :boundary"), boundary).all()
    scores: dict[int, float] = {row[0]: row[1] for row in rows}
    found = conn.execute(
        sa.text("SELECT rowid, uuid, published FROM search_fts WHERE rowid IN (SELECT value FROM json_each(:ids))"),
        {"ids": json.dumps(list(scores))},
    ).all()
    best = sorted(found, key=lambda row: (scores[row[0]], row[2]), reverse=True)[offset:wanted]
    return [(uuid, float(scores[id_])) for id_, uuid, _ in best]


def count(conn: sa.Connection, expression: str, where: ArticleFilter) -> int:
    """How many articles match (the search page's result count)."""
    sqlite = conn.dialect.name == "sqlite"
    filters, params = _filters(where, sqlite)
    params["expression"] = expression
    if sqlite:
        sql = f"SELECT count(*) FROM search_fts f WHERE search_fts MATCH :expression {filters}"
    else:
        conn.execute(sa.text("SET LOCAL enable_seqscan = off"))
        sql = f"SELECT count(*) FROM search_index f WHERE f.doc @@ CAST(:expression AS tsquery) {filters}"
    return int(conn.execute(sa.text(sql), params).scalar_one())


def _filters(where: ArticleFilter, sqlite: bool) -> tuple[str, dict[str, object]]:
    clauses: list[str] = []
    params: dict[str, object] = {}
    if where.source:
        clauses.append("f.source = :source")
        params["source"] = where.source
    if where.lang:
        clauses.append("(f.language = :lang OR f.language LIKE :lang_prefix)")
        params.update(lang=where.lang, lang_prefix=where.lang_pattern)
    for name, op in (("since", ">="), ("until", "<=")):
        value = getattr(where, name)
        if value is not None:
            clauses.append(f"f.published {op} :{name}")
            params[name] = _sqlite_time(value) if sqlite else value
    for name, kind in (("ticker", "= 'ticker'"), ("tag", "IS NOT NULL")):
        value = getattr(where, name)
        if value:
            clauses.append(
                f"EXISTS (SELECT 1 FROM article_tags t WHERE t.uuid = f.uuid AND t.tag = :{name} AND t.kind {kind})"
            )
            params[name] = value.upper() if name == "ticker" else value
    return "".join(f" AND {c}" for c in clauses), params
