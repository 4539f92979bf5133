"""A reader's "mark all as read" and unread counts through /api/me: everything, a
source's, a tag's, a watchlist's, published before a time — on SQLite and PostgreSQL;
another reader's counts stay whole; bad bodies are 422 in the one error shape."""

from __future__ import annotations

from datetime import UTC, datetime

import sqlalchemy as sa

from newsdesk import accounts
from newsdesk.config import Settings
from newsdesk.pipeline import import_paths
from newsdesk.web import create_app
from tests.conftest import write_data
from tests.web.helpers import RECORDS, running


def test_mark_all_as_read_by_source_tag_watchlist_and_time(db_url, tmp_path, open_store):
    write_data(tmp_path / "data" / "wire" / "news.json", RECORDS)
    store = open_store(db_url)
    import_paths(store, [tmp_path / "data"], Settings())
    headers = {}
    for name in ("ada", "bob"):
        store.add_user(name, accounts.hash_password("a long password"))
        token = accounts.new_token("api")
        store.add_token(name, "api", "t", accounts.digest(token))
        headers[name] = {"Authorization": f"Bearer {token}"}
    uuids = [a.uuid for a in store.iter_articles(bodies=False) if a.source == "wire_1"][:3]
    now = datetime.now(UTC)
    with store.engine.begin() as conn:  # a watchlist's matches, as the outbox records them
        for n, uuid in enumerate(uuids):
            row = {"c": f"c{n}", "u": uuid, "t": now}
            conn.execute(sa.text("INSERT INTO alerts (watchlist, cluster, uuid, created, state, attempts, next_try)"
                                 " VALUES ('fed', :c, :u, :t, 'sent', 0, :t)"), row)  # fmt: skip
    with running(create_app(store, Settings())) as client:

        def unread(user, **query):
            answer = client.get("/api/me/unread-count", params=query, headers=headers[user])
            assert answer.status_code == 200, answer.text
            return answer.json()["unread"]

        assert unread("ada") == len(RECORDS) and unread("ada", watchlist="fed") == 3
        tagged = unread("ada", tag="wire_x")
        assert tagged == 1
        assert client.post("/api/me/read", json={"watchlist": "fed"}, headers=headers["ada"]).json() == {"marked": 3}
        assert unread("ada", watchlist="fed") == 0 and unread("ada", source="wire_1") == 8
        assert client.post("/api/me/read", json={"tag": "wire_x"}, headers=headers["ada"]).json() == {"marked": 1}
        before = datetime.fromtimestamp(1738917470 + 5, UTC).isoformat()  # the five oldest of the 23 wires
        marked = client.post("/api/me/read", json={"source": "wire_0", "before": before}, headers=headers["ada"])
        assert marked.json() == {"marked": 3}  # 0, 2, 4
        assert unread("ada") == len(RECORDS) - 7 and unread("bob") == len(RECORDS)
        assert client.post("/api/me/read", json={}, headers=headers["ada"]).json()["marked"] == len(RECORDS) - 7
        assert unread("ada") == 0 and unread("ada", tag="wire_x") == 0
        for bad in ({"before": "yesterday"}, {"before": "2025-01-01T00:00:00"}, {"tag": "x" * 300}, {"who": "bob"}):
            answer = client.post("/api/me/read", json=bad, headers=headers["bob"])
            assert answer.status_code == 422 and "error" in answer.json(), bad
        assert client.post("/api/me/read", json={}).status_code == 401
        assert unread("bob") == len(RECORDS)
