"""Searching the index that :mod:`newsdesk.store.index` writes.

SQLite: a query ranks the newest :data:`CANDIDATES` of its matches (all of them
when fewer match) by the query's words found in their titles, newest first among
equals (:func:`_best_sqlite`); the newest matches are the end of the rowid range,
and a date filter is a rowid range too. PostgreSQL: the articles whose head (title
and lede) matches, by ``ts_rank`` over the head, then the rest newest first
(:func:`_best_postgresql`). Only the index is read (it carries copies of the filter
columns), never ``articles``.
"""

from __future__ import annotations

import heapq
import json
from collections.abc import Callable
from typing import Any

import sqlalchemy as sa

from newsdesk.models import ArticleFilter
from newsdesk.store.index import rowid, sqlite_time, stored_time

CANDIDATES = 2000  # SQLite: a query matching more ranks its newest this many
Rank = Callable[[list[str]], list[float]]  # title tokens of candidates -> their scores


def search(
    conn: sa.Connection,
    expression: str,
    where: ArticleFilter,
    limit: int,
    *,
    newest: bool = False,
    offset: int = 0,
    rank: Rank | None = None,
) -> list[tuple[str, float]]:
    """``(uuid, score)`` of the best matches, best first (``newest``: newest first);
    ``expression`` is an FTS5 MATCH string on SQLite and a tsquery literal on
    PostgreSQL; ``rank`` scores the title tokens of SQLite's candidates (higher is
    better; none: newest first). Only the index is read (it carries copies of the
    filter columns), never ``articles``."""
    sqlite = conn.dialect.name == "sqlite"
    filters, params = _filters(where, sqlite)
    params["expression"] = expression
    if sqlite:
        if newest:
            return _newest_sqlite(conn, where, filters, params, limit, offset)
        return _best_sqlite(conn, where, rank, filters, params, limit, offset)
    # The planner prices a sequential scan as cheap because it does not count
    # detoasting every tsvector: 28 ms against 6 ms through the GIN index.
    conn.execute(sa.text("SET LOCAL enable_seqscan = off"))
    if not newest:
        return _best_postgresql(conn, expression, filters, params, limit, offset)
    sql = (
        "SELECT f.uuid, ts_rank(h.head, q, 1) AS score FROM search_index f JOIN search_heads h ON h.uuid = f.uuid,"
        f" CAST(:expression AS tsquery) AS q WHERE f.doc @@ q {filters}"
        " ORDER BY f.published DESC, score DESC LIMIT :limit OFFSET :offset"
    )
    return [(row[0], float(row[1])) for row in conn.execute(sa.text(sql), {**params, "limit": limit, "offset": offset})]


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


_MATCHED = "SELECT rowid FROM search_fts f WHERE search_fts MATCH :expression"


def _best_sqlite(
    conn: sa.Connection,
    where: ArticleFilter,
    rank: Rank | None,
    filters: str,
    params: dict[str, object],
    limit: int,
    offset: int,
) -> list[tuple[str, float]]:
    """The best matches among the newest :data:`CANDIDATES` (all of them when fewer
    match), by ``rank`` of their titles, newest first among equal scores. FTS5's
    own BM25 is not used: it counts every match of every word in the whole index
    for its IDF (18 ms for a word in 142,000 articles) however few matches it
    ranks. The candidates' titles come from ``search_titles``; no other row is
    read but the winners'."""
    places = _candidates(conn, where, filters, params)
    ids = list(places)
    titles = dict(_by_rowid(conn, "title", ids, table="search_titles"))
    scores = dict(zip(ids, rank([titles.get(id_, "") for id_ in ids]) if rank else [0.0] * len(ids), strict=True))
    wanted = offset + limit
    titled = (id_ for id_, score in scores.items() if score)
    best = sorted(titled, key=lambda id_: (scores[id_], places[id_]), reverse=True)[:wanted]
    if len(best) < wanted:  # then the matches in the body alone, newest first
        rest = (id_ for id_, score in scores.items() if not score)
        best += heapq.nlargest(wanted - len(best), rest, key=places.__getitem__)
    uuids = dict(_by_rowid(conn, "uuid", best[offset:]))
    return [(uuids[id_], scores[id_]) for id_ in best[offset:] if id_ in uuids]


def _candidates(conn: sa.Connection, where: ArticleFilter, filters: str, params: dict[str, object]) -> dict[int, int]:
    """The rowids of the newest :data:`CANDIDATES` matches (all, when fewer match),
    each with its place in time: the rowid itself, but for the old scheme's."""
    newest = _rows(
        conn,
        f"{_MATCHED} {filters}{_time_range(where, params)} AND f.rowid < 0 ORDER BY f.rowid DESC LIMIT :n",
        {**params, "n": CANDIDATES},
    )
    places = {id_: id_ for (id_,) in newest}
    if len(places) < CANDIDATES:  # every match is in: the old scheme's too, placed by their time
        legacy = _rows(conn, f"{_MATCHED} {filters} AND f.rowid >= 0", params)
        places.update(_legacy_places(conn, [id_ for (id_,) in legacy]))
    return places


def _newest_sqlite(
    conn: sa.Connection, where: ArticleFilter, filters: str, params: dict[str, object], limit: int, offset: int
) -> list[tuple[str, float]]:
    """The newest matches: the end of the rowid range, walked backwards (a date
    filter narrows it), once every entry is numbered by its time; before that, by
    the stored publication time (every match's row is read)."""
    order = "f.published DESC, f.rowid DESC"
    if conn.execute(sa.text("SELECT 1 FROM search_fts WHERE rowid >= 0 LIMIT 1")).first() is None:
        order, filters = "f.rowid DESC", filters + _time_range(where, params)
    sql = f"SELECT uuid, 0.0 FROM search_fts f WHERE search_fts MATCH :expression {filters} ORDER BY {order}"
    rows = conn.execute(sa.text(f"{sql} LIMIT :limit OFFSET :offset"), {**params, "limit": limit, "offset": offset})
    return [(row[0], float(row[1])) for row in rows]


def _time_range(where: ArticleFilter, params: dict[str, object]) -> str:
    """The rowids (of the time scheme) a date filter allows, as clauses: FTS5 seeks
    to them instead of reading the stored time of every match (the filter on
    ``published`` stays, to the microsecond)."""
    clauses = ""
    if where.since is not None:
        clauses += " AND f.rowid >= :since_id"
        params["since_id"] = rowid("0" * 8, where.since)
    if where.until is not None:
        clauses += " AND f.rowid <= :until_id"
        params["until_id"] = rowid("f" * 8, where.until)
    return clauses


def _legacy_places(conn: sa.Connection, ids: list[int]) -> dict[int, int]:
    """Entries of the old scheme: rowid -> the rowid their time would give them."""
    rows = _by_rowid(conn, "uuid, published", ids)
    return {row[0]: rowid(row[1], stored_time(row[2])) for row in rows}


def _by_rowid(conn: sa.Connection, columns: str, ids: list[int], table: str = "search_fts") -> list[Any]:
    sql = f"SELECT rowid, {columns} FROM {table} WHERE rowid IN (SELECT value FROM json_each(:ids))"
    return _rows(conn, sql, {"ids": json.dumps(ids)})


def _rows(conn: sa.Connection, sql: str, params: dict[str, object]) -> list[Any]:
    """Rows straight from sqlite3, for the thousands of rowids a ranking reads:
    SQLAlchemy's result rows cost more than the query."""
    driver: Any = conn.connection.driver_connection
    return driver.execute(sql, params).fetchall()  # type: ignore[no-any-return]


def count(conn: sa.Connection, expression: str, where: ArticleFilter, limit: int | None = None) -> int:
    """How many articles match (the search page's result count), counted up to
    ``limit`` when it is given: a common word's whole list of matches is not read."""
    sqlite = conn.dialect.name == "sqlite"
    filters, params = _filters(where, sqlite)
    params["expression"] = expression
    if sqlite:
        sql = f"SELECT 1 FROM search_fts f WHERE search_fts MATCH :expression {filters}"
    else:
        conn.execute(sa.text("SET LOCAL enable_seqscan = off"))
        sql = f"SELECT 1 FROM search_index f WHERE f.doc @@ CAST(:expression AS tsquery) {filters}"
    if limit is not None:
        sql += " LIMIT :limit"
        params["limit"] = limit
    return int(conn.execute(sa.text(f"SELECT count(*) FROM ({sql}) AS matched"), params).scalar_one())


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
            params[name] = sqlite_time(value) if sqlite else value
    for name, kind in (("ticker", "= 'ticker'"), ("tag", "IS NOT NULL"), ("section", "= 'section'")):
        value = getattr(where, name)
        if value:
            clauses.append(
                f"EXISTS (SELECT 1 FROM article_tags t WHERE t.uuid = f.uuid AND t.tag = :{name} AND t.kind {kind})"
            )
            params[name] = value.upper() if name == "ticker" else value
    return "".join(f" AND {c}" for c in clauses), params
