"""newsdesk reindex: rebuilds index and enrichment, resumable, and upgrades old databases."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
import sqlalchemy as sa
from alembic import command
from alembic.config import Config

from newsdesk.config import Settings, database_url
from newsdesk.enrich import VERSION
from newsdesk.pipeline import import_paths, reindex
from newsdesk.search import search
from newsdesk.store import Store
from newsdesk.store.engine import MIGRATIONS
from tests.conftest import newsdesk, record, write_data


def test_an_interrupted_reindex_resumes_where_it_stopped(db_url, tmp_path):
    write_data(tmp_path / "data" / "wire" / "news.json", [record(n, title=f"黄金第{n}号报道") for n in range(30)])
    with Store(db_url) as store:
        import_paths(store, [tmp_path / "data"], Settings())
        before = sorted(h.uuid for h in search(store, "黄金", limit=100))
        store.mark_stale()
        assert store.count_stale(VERSION) == 30

        def stop(_done: int) -> None:
            raise KeyboardInterrupt

        with pytest.raises(KeyboardInterrupt):
            reindex(store, batch_size=10, on_batch=stop)
        assert store.count_stale(VERSION) == 20  # the finished batch was committed
        assert reindex(store, batch_size=10) == 20
        assert store.count_stale(VERSION) == 0
        assert sorted(h.uuid for h in search(store, "黄金", limit=100)) == before


@pytest.mark.slow  # several command-line processes
def test_a_database_from_before_search_is_upgraded_then_reindexed(sqlite_url):
    engine = sa.create_engine(database_url(sqlite_url))
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "0001")
        now = datetime(2025, 2, 5, tzinfo=UTC).replace(tzinfo=None)
        connection.execute(
            sa.text(
                "INSERT INTO articles (uuid, link, source, title, raw_html, html, markdown, text, summary, kind,"
                " published, first_seen, updated, content_hash, tags, tickers, language)"
                " VALUES ('0123456789abcdef0123456789abcdef', 'https://x.example/1', 'old', '特斯拉交付量创新高',"
                " '<p>特斯拉(TSLA.O)季度交付量创新高。</p>', '<p>特斯拉(TSLA.O)季度交付量创新高。</p>', 'x',"
                " '特斯拉(TSLA.O)季度交付量创新高。', 's', 1, :now, :now, :now, 'h', '[]', '[]', 'zh-CN')"
            ),
            {"now": now},
        )
    engine.dispose()
    result = newsdesk("search", "交付量", "--json", db=sqlite_url, check=True)
    assert "newsdesk reindex" in result.stderr and '"results": []' in result.stdout
    done = newsdesk("reindex", db=sqlite_url, check=True)
    assert "1 articles reindexed" in done.stderr
    result = newsdesk("search", "交付量", "--ticker", "TSLA", "--json", db=sqlite_url, check=True)
    assert "0123456789abcdef0123456789abcdef" in result.stdout and "reindex" not in result.stderr
    again = newsdesk("reindex", "--all", db=sqlite_url, check=True)
    assert "1 articles reindexed" in again.stderr


def test_reindex_renumbers_search_entries_an_earlier_version_wrote_resumably(sqlite_url, tmp_path):
    """A large database keeps the search rows the upgrade found (rowid from the uuid):
    reindex moves them, a batch a transaction, to the rowids the store writes now."""
    from newsdesk.store import index

    made = [record(n, title=f"白银第{n}号报道", pub_date=f"2025-02-{1 + n:02d} 10:00") for n in range(10)]
    write_data(tmp_path / "data" / "wire" / "news.json", made)
    with Store(sqlite_url) as store:
        import_paths(store, [tmp_path / "data"], Settings())
        stored = {a.uuid: a.published for a in store.iter_articles(bodies=False)}
        with store.engine.begin() as conn:  # as an earlier version wrote them
            for uuid in stored:
                conn.execute(sa.text("UPDATE search_fts SET rowid = :r WHERE uuid = :u"),
                             {"r": index.legacy_rowid(uuid), "u": uuid})  # fmt: skip
        moves = store.move_search_rowids(batch=4)
        assert next(moves) == 4  # then stopped: the first batch stays done
        moves.close()
        with store.engine.connect() as conn:
            assert conn.execute(sa.text("SELECT count(*) FROM search_fts WHERE rowid < 0")).scalar() == 4
    done = newsdesk("reindex", db=sqlite_url, check=True)
    assert "6 search entries renumbered" in done.stderr
    with Store(sqlite_url) as store:
        with store.engine.begin() as conn:
            rows = dict(conn.execute(sa.text("SELECT uuid, rowid FROM search_fts")).all())
            conn.execute(sa.text("INSERT INTO search_fts (search_fts) VALUES ('integrity-check')"))  # raises if broken
        assert rows == {uuid: index.rowid(uuid, published) for uuid, published in stored.items()}
        assert len(search(store, "白银", limit=20)) == 10
        assert list(store.move_search_rowids()) == []  # nothing left to move or merge
