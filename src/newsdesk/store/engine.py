"""Opening a database: URL handling, SQLite pragmas, migrations."""

from __future__ import annotations

import fcntl
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from newsdesk.config import database_url
from newsdesk.errors import ConfigError, StoreError
from newsdesk.store.checkpoints import BACKSTOP

MIGRATIONS = Path(__file__).parent / "migrations"


def _sqlite_pragmas(dbapi_connection, _record) -> None:  # type: ignore[no-untyped-def]
    cursor = dbapi_connection.cursor()
    # WAL: readers never block the writer; NORMAL sync is safe against process kills.
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.execute("PRAGMA cache_size=-16384")  # 16 MB of pages a connection, not 2 MB
    cursor.execute(f"PRAGMA wal_autocheckpoint={BACKSTOP}")  # a store's own thread checkpoints (.checkpoints)
    cursor.close()


def _sqlite_mapped(dbapi_connection, _record) -> None:  # type: ignore[no-untyped-def]
    # Search reads the FTS5 doclists of frequent tokens: mapped pages instead of pages
    # copied in (a fifth off an uncached search). For serving only: the mapped pages
    # count in the process's resident memory, up to 1 GB on a large database.
    dbapi_connection.execute("PRAGMA mmap_size=1073741824")
    dbapi_connection.execute("PRAGMA cache_size=-65536")


def reason(exc: sa.exc.SQLAlchemyError) -> str:
    """The database's own words (not the statement and its thousands of parameters)."""
    return str(getattr(exc, "orig", None) or exc).strip()


def create(url: str, *, mapped: bool = False) -> Engine:
    """Create an engine for ``url`` and bring its schema to the newest migration;
    ``mapped``: SQLite reads through memory-mapped I/O (a server's reads)."""
    url = database_url(url)
    try:
        engine = sa.create_engine(url, future=True)
    except (sa.exc.ArgumentError, ImportError) as exc:
        raise ConfigError(f"bad database URL {url!r}: {exc}") from None
    if engine.dialect.name == "sqlite":
        sa.event.listen(engine, "connect", _sqlite_pragmas)
        if mapped:
            sa.event.listen(engine, "connect", _sqlite_mapped)
    elif engine.dialect.name != "postgresql":
        raise ConfigError(f"unsupported database {engine.dialect.name!r} in {url!r}: use sqlite or postgresql")
    try:
        migrate(engine)
    except sa.exc.OperationalError as exc:
        raise StoreError(f"cannot open {engine.url.render_as_string()}: {exc.orig}") from None
    return engine


MIGRATION_LOCK = 7_281_346  # pg_advisory_xact_lock key: one migrating process at a time


def migrate(engine: Engine) -> None:
    """Bring the schema to the newest migration. Processes starting together on a fresh
    database take turns (a file lock beside a SQLite file, an advisory lock on
    PostgreSQL): the first creates the tables, the others find them made."""
    if _current(engine) == newest_revision():
        return  # the common case, without loading Alembic (a tenth of a second of every command)
    from alembic import command
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    with _sqlite_lock(engine), _one_transaction(engine) as connection:
        if engine.dialect.name == "postgresql":
            connection.execute(sa.text("SELECT pg_advisory_xact_lock(:key)"), {"key": MIGRATION_LOCK})
        config.attributes["connection"] = connection
        command.upgrade(config, "head")


def newest_revision() -> str:
    """The newest migration's revision: revisions are numbered, and each file is named
    after its own (``0007_tag_dates.py`` holds revision ``0007``)."""
    return max(path.name.split("_", 1)[0] for path in (MIGRATIONS / "versions").glob("[0-9][0-9][0-9][0-9]_*.py"))


def _current(engine: Engine) -> str | None:
    """The database's revision, or None (a new database: no ``alembic_version`` yet)."""
    try:
        with engine.connect() as connection:
            return connection.execute(sa.text("SELECT version_num FROM alembic_version")).scalar()
    except sa.exc.DatabaseError:
        return None


@contextmanager
def _one_transaction(engine: Engine) -> Iterator[sa.Connection]:
    """A connection in one transaction, committed at the end or rolled back whole. On
    SQLite the driver's own transaction handling would commit before each DDL statement
    (a migration stopped half-way stayed half done): it is off for this connection, and
    the transaction is begun here."""
    if engine.dialect.name != "sqlite":
        with engine.begin() as connection:
            yield connection
        return
    with engine.connect() as connection:
        driver = connection.connection.driver_connection
        level = driver.isolation_level  # type: ignore[union-attr]
        driver.isolation_level = None  # type: ignore[union-attr]
        try:
            connection.exec_driver_sql("BEGIN IMMEDIATE")
            try:
                yield connection
            except BaseException:
                connection.rollback()
                raise
            connection.commit()
        finally:
            driver.isolation_level = level  # type: ignore[union-attr]


@contextmanager
def _sqlite_lock(engine: Engine) -> Iterator[None]:
    database = engine.url.database if engine.dialect.name == "sqlite" else None
    if not database or database == ":memory:":
        yield
        return
    try:
        handle = open(f"{database}.migrate-lock", "a+b")  # noqa: SIM115 - held across the yield
    except OSError:  # a read-only folder: no concurrent creation is possible there anyway
        yield
        return
    with handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
