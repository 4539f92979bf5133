"""``source_health`` rows (one per source name) and ``source_runs`` leases (one run of
a source at a time, whichever process runs it)."""

from __future__ import annotations

from dataclasses import asdict, fields
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite

from newsdesk.errors import StoreError
from newsdesk.models import SourceHealth
from newsdesk.store.schema import source_health, source_runs

__all__ = ["claim", "holder", "read", "release", "release_in", "write"]

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
    conn.execute(
        insert.on_conflict_do_update(index_elements=["name"], set_={k: v for k, v in values.items() if k != "name"})
    )


def claim(engine: sa.Engine, name: str, owner: str, seconds: float, *, replacing: str | None = None) -> bool:
    """Take (or, for its owner, renew) the run lease of ``name`` unless someone else holds
    a live one (atomic: the primary key decides); ``replacing``: a holder known to be
    dead, whose lease is taken over before it runs out."""
    now = datetime.now(UTC)
    insert = (postgresql.insert if engine.dialect.name == "postgresql" else sqlite.insert)(source_runs)
    runs = source_runs.c
    gone = sa.or_(runs.expires < now, runs.owner == owner, *([runs.owner == replacing] if replacing else []))
    try:
        with engine.begin() as conn:
            conn.execute(source_runs.delete().where(runs.name == name, gone))
            row = {"name": name, "owner": owner, "expires": now + timedelta(seconds=seconds)}
            taken = insert.values(row).on_conflict_do_nothing(index_elements=["name"]).returning(source_runs.c.name)
            return conn.execute(taken).first() is not None
    except sa.exc.SQLAlchemyError as exc:
        raise StoreError(f"cannot take the run lease of source {name}: {exc}") from None


def holder(conn: sa.Connection, name: str) -> str | None:
    """Who holds the run lease of ``name`` (expired or not), or None."""
    return conn.execute(sa.select(source_runs.c.owner).where(source_runs.c.name == name)).scalar()


def release(engine: sa.Engine, name: str, owner: str) -> None:
    try:
        with engine.begin() as conn:
            release_in(conn, name, owner)
    except sa.exc.SQLAlchemyError as exc:
        raise StoreError(f"cannot release the run lease of source {name}: {exc}") from None


def release_in(conn: sa.Connection, name: str, owner: str) -> None:
    conn.execute(source_runs.delete().where(source_runs.c.name == name, source_runs.c.owner == owner))
