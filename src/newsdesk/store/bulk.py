"""Bulk statements that cost one round trip on PostgreSQL.

psycopg's ``executemany`` still pays Python work per row, and ``IN (…)`` lists need
chunking under parameter limits; PostgreSQL takes whole arrays instead (``unnest``,
``= ANY``). SQLite is in-process, so plain ``executemany`` and chunked ``IN`` are
already cheap there.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.dialects.postgresql import ARRAY

CHUNK = 500  # keeps SQLite's IN (...) lists under its parameter limit


def insert(conn: sa.Connection, table: sa.Table, rows: Sequence[dict[str, Any]]) -> None:
    """Insert ``rows`` (dicts with the same keys) into ``table``."""
    if not rows:
        return
    columns = list(rows[0])
    if conn.dialect.name != "postgresql":
        # The driver's executemany over ready tuples: SQLAlchemy's own spends more per row
        # (parameter processing, compiled-cache lookups) than SQLite spends inserting it.
        quote = conn.dialect.identifier_preparer.quote
        binds = [table.c[c].type.dialect_impl(conn.dialect).bind_processor(conn.dialect) for c in columns]
        places = ", ".join("?" * len(columns))
        sql = f"INSERT INTO {quote(table.name)} ({', '.join(map(quote, columns))}) VALUES ({places})"
        bound = [_bound(bind, [r[c] for r in rows]) for c, bind in zip(columns, binds, strict=True)]
        conn.exec_driver_sql(sql, list(zip(*bound, strict=True)))
        return
    arrays = [
        sa.func.unnest(sa.bindparam(f"a_{c}", [r[c] for r in rows], type_=ARRAY(table.c[c].type))).label(c)
        for c in columns
    ]
    conn.execute(table.insert().from_select(columns, sa.select(*arrays)))


def _bound(bind: Any, values: list[Any]) -> list[Any]:
    """A column's values through its bind processor, each distinct value once: rows of a
    batch repeat them (an article's uuid and time on each of its keys)."""
    if bind is None:
        return values
    done: dict[Any, Any] = {}
    try:
        return [done[v] if v in done else done.setdefault(v, bind(v)) for v in values]
    except TypeError:  # unhashable values (JSON lists)
        return [bind(v) for v in values]


def add_counts(conn: sa.Connection, table: sa.Table, column: str, rows: Sequence[dict[str, Any]]) -> None:
    """Add each row's ``column`` to the stored row of the same primary key, or insert the
    row where there is none (rows: one per key, all with the same fields)."""
    if not rows:
        return
    keys = [c.name for c in table.primary_key.columns]
    if conn.dialect.name == "postgresql":
        names = list(rows[0])
        arrays = [
            sa.func.unnest(sa.bindparam(f"a_{c}", [r[c] for r in rows], type_=ARRAY(table.c[c].type))).label(c)
            for c in names
        ]
        insert = postgresql.insert(table).from_select(names, sa.select(*arrays))
        conn.execute(
            insert.on_conflict_do_update(index_elements=keys, set_={column: table.c[column] + insert.excluded[column]})
        )
        return
    upsert = sqlite.insert(table)
    conn.execute(
        upsert.on_conflict_do_update(index_elements=keys, set_={column: table.c[column] + upsert.excluded[column]}),
        list(rows),
    )


def matching(conn: sa.Connection, column: sa.Column[Any], values: Sequence[Any]) -> Iterator[sa.ColumnElement[bool]]:
    """WHERE clauses that together select ``column`` in ``values``: one ``= ANY``
    on PostgreSQL, chunked ``IN`` lists on SQLite."""
    if not values:
        return
    if conn.dialect.name == "postgresql":
        yield column == sa.any_(sa.bindparam(None, list(values), type_=ARRAY(column.type)))
        return
    for start in range(0, len(values), CHUNK):
        yield column.in_(values[start : start + CHUNK])
