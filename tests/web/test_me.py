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


def _readers(store, *names):
    """Users with an API token each: name → the headers of their requests."""
    headers = {}
    for name in names:
        store.add_user(name, accounts.hash_password("a long password"))
        token = accounts.new_token("api")
        store.add_token(name, "api", "t", accounts.digest(token))
        headers[name] = {"Authorization": f"Bearer {token}"}
    return headers


def test_mark_all_as_read_by_source_tag_watchlist_and_time(db_url, tmp_path, open_store):
    write_data(tmp_path / "data" / "wire" / "news.json", RECORDS)
    store = open_store(db_url)
    import_paths(store, [tmp_path / "data"], Settings())
    headers = _readers(store, "ada", "bob")
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


def test_muted_sources_and_words_stay_out_of_the_readers_apps(tmp_path, open_store):
    write_data(tmp_path / "data" / "wire" / "news.json", RECORDS)
    store = open_store(f"sqlite:///{tmp_path}/n.db")
    import_paths(store, [tmp_path / "data"], Settings())
    store.add_user("ada", accounts.hash_password("a long password"))
    token, password = accounts.new_token("api"), accounts.new_token("app")
    store.add_token("ada", "api", "t", accounts.digest(token))
    store.add_token("ada", "app", "r", accounts.digest(password), accounts.digest(accounts.fever_key("ada", password)))
    bearer = {"Authorization": f"Bearer {token}"}
    muted = [a for a in store.iter_articles(bodies=False) if a.source == "wire_x" or "meeting 2" in a.title.lower()]
    assert len(muted) == 5  # the XSS one (wire_x), 2, 20, 21, 22
    with running(create_app(store, Settings())) as client:
        assert client.get("/api/me/preferences", headers=bearer).json()["muted_words"] == []
        chosen = {"muted_sources": ["wire_x"], "muted_words": ["meeting 2", " meeting 2 "]}
        saved = client.put("/api/me/preferences", json=chosen, headers=bearer)
        assert saved.status_code == 200 and saved.json()["muted_words"] == ["meeting 2"]
        assert client.put("/api/me/preferences", json={"muted_words": ["x" * 101]}, headers=bearer).status_code == 422
        assert client.get("/api/me/unread-count", headers=bearer).json()["unread"] == len(RECORDS) - 5

        login = client.post("/accounts/ClientLogin", data={"Email": "ada", "Passwd": password}).text
        reader = {"Authorization": "GoogleLogin auth=" + login.split("Auth=")[1].strip()}
        counts = client.get("/reader/api/0/unread-count", headers=reader).json()["unreadcounts"]
        by_id = {c["id"]: c["count"] for c in counts}
        assert by_id["user/-/state/com.google/reading-list"] == len(RECORDS) - 5 and "feed/wire_x" not in by_id
        items = client.get("/reader/api/0/stream/contents/user/-/state/com.google/reading-list?n=100", headers=reader)
        titles = [i["title"] for i in items.json()["items"]]
        assert len(titles) == len(RECORDS) - 5 and not any("meeting 2" in t.lower() for t in titles)

        key = accounts.fever_key("ada", password)
        fever = client.post("/fever/?api&items&since_id=0", data={"api_key": key}).json()["items"]
        assert len(fever) == len(RECORDS) - 5
        unread = client.post("/fever/?api&unread_item_ids", data={"api_key": key}).json()["unread_item_ids"]
        assert len(unread.split(",")) == len(RECORDS) - 5


def test_a_readers_own_watchlists(tmp_path, open_store):
    store = open_store(f"sqlite:///{tmp_path}/n.db")
    store.save_watchlist("desk", {"query": "美联储"})  # kept before owners existed: the admin's
    headers = _readers(store, "ada", "bob")
    with running(create_app(store, Settings())) as client:
        made = client.put(
            "/api/me/watchlists/ada-fed", json={"query": "美联储", "public": True}, headers=headers["ada"]
        )
        assert made.status_code == 200, made.text
        assert [w["name"] for w in client.get("/api/me/watchlists", headers=headers["ada"]).json()["watchlists"]] == [
            "ada-fed"
        ]
        assert client.get("/api/me/watchlists", headers=headers["bob"]).json()["watchlists"] == []
        assert client.put("/api/me/watchlists/ada-fed", json={"query": "x"}, headers=headers["bob"]).status_code == 403
        assert client.put("/api/me/watchlists/desk", json={"query": "x"}, headers=headers["bob"]).status_code == 403
        secret = {"query": "x", "notify": ["${NEWSDESK_NOTIFY_SLACK}"]}
        refused = client.put("/api/me/watchlists/bob-x", json=secret, headers=headers["bob"])
        assert refused.status_code == 400 and "${NAME}" in refused.json()["error"]
        assert client.delete("/api/me/watchlists/ada-fed", headers=headers["bob"]).status_code == 404
        assert client.delete("/api/me/watchlists/ada-fed", headers=headers["ada"]).status_code == 200
        assert store.watchlist_owners() == {"desk": None}
