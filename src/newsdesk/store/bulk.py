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
from sqlalchemy.dialects.postgresql import ARRAY

CHUNK = 500  # keeps SQLite's IN (...) lists under its parameter limit


def insert(conn: sa.Connection, table: sa.Table, rows: Sequence[dict[str, Any]]) -> None:
    """Insert ``rows`` (dicts with the same keys) into ``table``."""
    if not rows:
        return
    if conn.dialect.name != "postgresql":
        conn.execute(table.insert(), list(rows))
        return
    columns = list(rows[0])
    arrays = [
        sa.func.unnest(sa.bindparam(f"a_{c}", [r[c] for r in rows], type_=ARRAY(table.c[c].type))).label(c)
        for c in columns
    ]
    conn.execute(table.insert().from_select(columns, sa.select(*arrays)))


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
