"""Reading and writing ``source_health`` rows (one per source name)."""

from __future__ import annotations

from dataclasses import asdict, fields

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite

from newsdesk.models import SourceHealth
from newsdesk.store.schema import source_health

__all__ = ["read", "write"]

_COLUMNS = [f.name for f in fields(SourceHealth)]


def read(conn: sa.Connection, names: list[str] | None = None) -> dict[str, SourceHealth]:
    query = source_health.select()
    if names is not None:
        query = query.where(source_health.c.name.in_(names))
    return {row["name"]: SourceHealth(**{c: row[c] for c in _COLUMNS}) for row in conn.execute(query).mappings()}


def write(conn: sa.Connection, health: SourceHealth) -> None:
    """Insert or replace the row of ``health.name``."""
    values = asdict(health)
    insert = (postgresql.insert if conn.dialect.name == "postgresql" else sqlite.insert)(source_health).values(values)
    conn.execute(insert.on_conflict_do_update(index_elements=["name"], set_={k: v for k, v in values.items() if k != "name"}))
