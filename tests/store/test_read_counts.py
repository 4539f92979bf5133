"""Read counts kept beside the states: whatever marks articles (one by one, a stream at
once, unread again), prunes them or removes a user, each user's count per source equals
what their states say — on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime

import sqlalchemy as sa

from newsdesk.config import Settings
from newsdesk.pipeline import import_paths
from newsdesk.store import retention
from newsdesk.store.apps import Stream
from tests.conftest import record, write_data


def _truth(store, user):
    query = sa.text(
        "SELECT a.source, count(*) FROM article_states s JOIN articles a ON a.uuid = s.uuid"
        ' WHERE s."user" = :user AND s.read GROUP BY a.source'
    )
    with store.engine.connect() as conn:
        return {source: n for source, n in conn.execute(query, {"user": user})}


def test_read_counts_follow_every_change(db_url, tmp_path, open_store):
    records = [record(n, pub_date=1738917470 + n * 3600, source=f"wire_{n % 3}") for n in range(30)]
    write_data(tmp_path / "data" / "wire" / "news.json", records)
    store = open_store(db_url)
    import_paths(store, [tmp_path / "data"], Settings())
    uuids = [a.uuid for a in store.iter_articles(bodies=False)]
    store.mark("ada", uuids[:7], read=True)
    store.mark("ada", uuids[:3], read=True)  # again: nothing more
    store.mark("ada", uuids[2:4], read=False)
    store.mark("ada", uuids[10:12], starred=True)  # starring reads nothing
    store.mark("bob", uuids[:1], read=True)
    assert store.read_counts("ada") == _truth(store, "ada") and sum(_truth(store, "ada").values()) == 5
    store.mark_stream("ada", Stream(sources=("wire_1",)))
    assert store.read_counts("ada") == _truth(store, "ada") and store.read_count("ada", "wire_1") == 10
    unread = store.unread_counts("ada")
    assert "wire_1" not in unread and sum(n for n, _ in unread.values()) == 30 - store.read_count("ada")
    gone = store.prune(retention.Cutoffs(before=datetime.fromtimestamp(1738917470 + 15 * 3600, UTC)))
    assert sum(gone.values()) == 15
    assert store.read_counts("ada") == _truth(store, "ada") and store.read_counts("bob") == _truth(store, "bob")
    with store.engine.connect() as conn:
        assert (
            conn.execute(
                sa.text(
                    "SELECT count(*) FROM article_states s LEFT JOIN articles a ON a.uuid = s.uuid WHERE a.uuid IS NULL"
                )
            ).scalar()
            == 0
        )
    store.remove_user("ada")
    assert store.read_counts("ada") == {}
