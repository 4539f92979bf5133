"""Retention: articles past their keep time go with everything that hangs on them;
a prune killed half-way leaves a consistent database that the next one finishes; a
static build after a prune equals a full build."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import time
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from newsdesk.config import Settings
from newsdesk.pipeline import import_paths
from newsdesk.pipeline.prune import prune
from newsdesk.sources.catalog import Source
from newsdesk.store import Store
from tests.conftest import newsdesk, record, start_newsdesk, write_data

NOW = datetime.now(UTC)
TABLES = ("article_tags", "article_signatures", "cluster_keys", "story_keys", "article_versions", "alerts")


def _aged(n: int, days: float, **fields) -> dict:
    when = (NOW - timedelta(days=days)).timestamp()
    return record(n, pub_date=int(when), title=f"黄金第{n}号新闻 gold story {n}", **fields)


def _orphans(store: Store) -> dict[str, int]:
    """Rows of the side tables whose article is gone (a consistent database has none)."""
    found = {}
    with store.engine.connect() as conn:
        for table in TABLES:
            sql = f"SELECT count(*) FROM {table} t WHERE NOT EXISTS (SELECT 1 FROM articles a WHERE a.uuid = t.uuid)"
            found[table] = conn.execute(sa.text(sql)).scalar_one()
        for index in ("search_fts",) if store.dialect == "sqlite" else ("search_index", "search_heads"):
            sql = f"SELECT count(*) FROM {index} t WHERE NOT EXISTS (SELECT 1 FROM articles a WHERE a.uuid = t.uuid)"
            found[index] = conn.execute(sa.text(sql)).scalar_one()
    return found


def test_articles_past_their_keep_time_go_with_their_index_tags_clusters_and_alerts(db_url, tmp_path):
    records = [
        _aged(1, 40),  # older than retention.days
        _aged(2, 10),
        _aged(3, 3, kind=2),  # a flash older than retention.flash_days
        _aged(4, 0.5, kind=2),
        _aged(5, 40, source="archive"),  # its source keeps everything
        _aged(6, 8, source="short"),  # its source keeps a week
        _aged(7, 40, description="<p>黄金。修改后的正文。</p>"),  # a version of record 1's story
    ]
    write_data(tmp_path / "data" / "wire" / "news.json", records)
    settings = Settings(retention_days=30, retention_flash_days=1)
    sources = [Source(name="archive", kind="rss", url="https://a.example.com/", file="t", retention_days=0),
               Source(name="short", kind="rss", url="https://s.example.com/", file="t", retention_days=7)]  # fmt: skip
    with Store(db_url) as store:
        store.save_watchlist("gold", {"query": "黄金"})
        import_paths(store, [tmp_path / "data"], settings)
        assert store.count() == 7 and store.alert_log("gold")
        counted = prune(store, settings, sources, dry_run=True)
        assert store.count() == 7  # a dry run removes nothing
        before = store.version()
        gone = prune(store, settings, sources)
        pruned = store.version()
        assert pruned != before  # what the web app caches by: the newest 'updated' alone is unchanged
        assert gone == counted and sum(gone.values()) == 4
        kept = sorted(a.link.rsplit("/", 1)[1] for a in store.iter_articles(bodies=False))
        assert kept == ["2", "4", "5"]
        assert set(_orphans(store).values()) == {0}
        with store.engine.connect() as conn:  # story keys are counted as many times as they are kept
            kept_keys = conn.execute(sa.text("SELECT count(*) FROM story_keys")).scalar_one()
            assert kept_keys and conn.execute(sa.text("SELECT sum(n) FROM story_key_counts")).scalar_one() == kept_keys
        with store.engine.connect() as conn:  # the kept ones are still in the index
            for index in ("search_fts",) if store.dialect == "sqlite" else ("search_index", "search_heads"):
                assert conn.execute(sa.text(f"SELECT count(*) FROM {index}")).scalar_one() == 3
        assert prune(store, settings, sources) == {}  # nothing more to do
        assert store.version() == pruned


@pytest.mark.slow
def test_a_prune_killed_half_way_leaves_a_consistent_database_that_the_next_finishes(tmp_path):
    records = [_aged(n, 60 + n % 30, description=f"<p>第{n}条旧闻。</p>") for n in range(2600)]
    (tmp_path / "old.jsonl").write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in records) + "\n")
    (tmp_path / "fresh.jsonl").write_text(json.dumps(_aged(9999, 1), ensure_ascii=False) + "\n")
    config = tmp_path / "keep.toml"
    config.write_text("[retention]\ndays = 30\n")
    db = tmp_path / "prune.db"
    newsdesk("import", str(tmp_path / "old.jsonl"), str(tmp_path / "fresh.jsonl"), db=f"sqlite:///{db}", check=True)
    victim = start_newsdesk("--config", str(config), "prune", db=f"sqlite:///{db}")
    deadline = time.monotonic() + 120
    while victim.poll() is None and time.monotonic() < deadline:
        with sqlite3.connect(db, timeout=30) as conn:
            if conn.execute("SELECT count(*) FROM articles").fetchone()[0] < 2601:
                break  # a batch has been committed
        time.sleep(0.05)
    if victim.poll() is not None:
        pytest.fail("the prune finished before it could be killed: give it more to do")
    os.kill(victim.pid, signal.SIGKILL)
    victim.wait()
    with Store(f"sqlite:///{db}") as store:
        left = store.count()
        assert 1 < left < 2601 and set(_orphans(store).values()) == {0}
    done = newsdesk("--config", str(config), "prune", "--json", "--vacuum", db=f"sqlite:///{db}", check=True)
    assert json.loads(done.stdout)["articles"] == left - 1
    with Store(f"sqlite:///{db}") as store:
        assert [a.link for a in store.iter_articles(bodies=False)] == ["https://news.example.com/articles/9999"]


def test_a_build_after_a_prune_equals_a_full_build(sqlite_url, tmp_path):
    from newsdesk.publish.site import build_site

    records = [_aged(n, 5 + 10 * n, source=f"wire_{n % 2}", description=f"<p>第{n}条。</p>") for n in range(8)]
    write_data(tmp_path / "data" / "wire" / "news.json", records)
    settings = Settings(retention_days=30)
    with Store(sqlite_url) as store:
        import_paths(store, [tmp_path / "data"], settings)
        build_site(store, tmp_path / "site", settings, per_page=2)
        assert sum(prune(store, settings, []).values()) == 5
        report = build_site(store, tmp_path / "site", settings, per_page=2)
        build_site(store, tmp_path / "full", settings, per_page=2, full=True)
    assert report.removed > 0

    def files(root):
        return {
            p.relative_to(root): p.read_bytes() for p in root.rglob("*") if p.is_file() and ".newsdesk-" not in p.name
        }

    assert files(tmp_path / "site") == files(tmp_path / "full")
