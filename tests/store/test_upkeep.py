"""Upkeep as the articles grow: PostgreSQL's statistics follow a store's writes
(ANALYZE each time they pass autovacuum's threshold), and an import or a prune that
changed a fifth of the articles vacuums them, not left to an autovacuum that may be
off (it is on the test server)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import sqlalchemy as sa

from newsdesk.config import Settings
from newsdesk.pipeline import import_paths
from newsdesk.pipeline.prune import prune
from newsdesk.store import Store
from tests.conftest import record, write_data


def _vacuumed(store: Store) -> tuple[datetime | None, float]:
    """When ``articles`` was last vacuumed by hand, and the row count the planner knows."""
    with store.engine.connect() as conn:
        row = conn.execute(
            sa.text(
                "SELECT s.last_vacuum, c.reltuples FROM pg_stat_user_tables s JOIN pg_class c ON c.oid = s.relid "
                "WHERE c.oid = to_regclass('articles')"
            )
        ).one()
    return row[0], float(row[1])


def _runs(store: Store) -> tuple[int, int]:
    """How many times ``cluster_keys`` was analyzed and vacuumed by hand."""
    with store.engine.connect() as conn:
        sql = "SELECT analyze_count, vacuum_count FROM pg_stat_user_tables WHERE relid = to_regclass('cluster_keys')"
        return tuple(conn.execute(sa.text(sql)).one())  # type: ignore[return-value]


def _records(first: int, count: int, day: datetime) -> list[dict]:
    return [record(n, title=f"Story {n} about markets", pub_date=day.isoformat()) for n in range(first, first + count)]


def test_a_large_import_and_a_large_prune_settle_postgresql_a_small_one_does_not(pg_url, tmp_path):
    old, recent = datetime.now(UTC) - timedelta(days=60), datetime.now(UTC) - timedelta(days=1)
    write_data(tmp_path / "big" / "wire" / "news.json", _records(0, 1500, old) + _records(1500, 300, recent))
    write_data(tmp_path / "small" / "wire" / "news.json", _records(5000, 20, recent))
    with Store(pg_url) as store:
        assert _vacuumed(store) == (None, -1.0)  # never vacuumed nor analyzed
        assert import_paths(store, [tmp_path / "big"], Settings(import_batch_size=500)).new == 1800
        first, counted = _vacuumed(store)
        assert first is not None and counted == 1800
        # analyzed once the import passed 1,000 articles (at 1,500), then vacuumed and analyzed at its end
        assert _runs(store) == (2, 1)
        assert import_paths(store, [tmp_path / "small"], Settings()).new == 20
        assert _vacuumed(store) == (first, 1800)  # 20 new rows: nothing to do
        assert sum(prune(store, Settings(retention_days=30), []).values()) == 1500
        again, counted = _vacuumed(store)
        assert again is not None and again > first and counted == 320


def test_sqlite_is_left_as_it_is(sqlite_url, tmp_path):
    write_data(tmp_path / "big" / "wire" / "news.json", _records(0, 1100, datetime.now(UTC)))
    with Store(sqlite_url) as store:
        import_paths(store, [tmp_path / "big"], Settings())
        assert store.settle(1100) is False
        with store.engine.connect() as conn:
            assert conn.execute(sa.text("SELECT count(*) FROM sqlite_master WHERE name = 'sqlite_stat1'")).scalar() == 0
