"""Feeds added by URL on a real HTTP server on 127.0.0.1: the CLI subscribes to a site's
page (its <link rel=alternate> feed) and fetches it like any source; a page with no feed,
a duplicate and a private address (unless allowed) are refused, each saying why; OPML goes
out and into a fresh database whole, a bad OPML imports nothing; the JSON API adds and
removes feeds with the one error shape and the owner's rights."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest

from newsdesk import accounts
from newsdesk.config import Settings
from newsdesk.web import create_app
from tests.conftest import newsdesk, threaded_server
from tests.web.helpers import running

FEED = """<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>Loopback Markets</title><link>{BASE}/site/</link>
<item><title>Rates hold steady</title><link>{BASE}/a/1</link><guid>{BASE}/a/1</guid>
<pubDate>Mon, 07 Dec 2026 08:00:00 GMT</pubDate>
<description><![CDATA[<p>The central bank held rates at its meeting, as markets expected.</p>]]></description></item>
<item><title>Oil climbs on supply cut</title><link>{BASE}/a/2</link><guid>{BASE}/a/2</guid>
<pubDate>Mon, 07 Dec 2026 09:00:00 GMT</pubDate>
<description><![CDATA[<p>Crude rose after producers announced a further cut.</p>]]></description></item>
</channel></rss>"""
PAGE = (
    '<!doctype html><html><head><title>Site</title><link rel="alternate" type="application/rss+xml"'
    ' href="/feed.xml"></head><body>hi</body></html>'
)
PLAIN = "<!doctype html><html><head><title>No feed</title></head><body>nothing</body></html>"


@pytest.fixture
def site():
    with threaded_server() as server:
        base = server.url_for("").rstrip("/")
        server.expect_request("/feed.xml").respond_with_data(
            FEED.replace("{BASE}", base), content_type="application/rss+xml"
        )
        server.expect_request("/site/").respond_with_data(PAGE, content_type="text/html")
        server.expect_request("/plain/").respond_with_data(PLAIN, content_type="text/html")
        yield base


def test_subscribe_fetch_and_opml_round_trip(site, tmp_path):
    db, fresh = f"sqlite:///{tmp_path}/a.db", f"sqlite:///{tmp_path}/b.db"
    (tmp_path / "private.toml").write_text("[sources]\nsubscribe_private = true\n")
    private = ("--config", str(tmp_path / "private.toml"))
    refused = newsdesk("sources", "add", f"{site}/site/", db=db)
    assert refused.returncode == 1 and "127.0.0.1" in refused.stderr, "a private address needs the setting"
    added = newsdesk(*private, "sources", "add", f"{site}/site/", "--category", "Markets", "--json", db=db)
    assert added.returncode == 0, added.stderr
    made = json.loads(added.stdout)
    assert made["url"] == f"{site}/feed.xml" and made["title"] == "Loopback Markets" and made["category"] == "Markets"
    again = newsdesk(*private, "sources", "add", f"{site}/feed.xml", db=db)
    assert again.returncode == 2 and "already" in again.stderr
    none = newsdesk(*private, "sources", "add", f"{site}/plain/", db=db)
    assert none.returncode == 1 and "links no RSS or Atom feed" in none.stderr
    listed = newsdesk(*private, "sources", "--json", db=db)
    assert made["name"] in {json.loads(line)["name"] for line in listed.stdout.splitlines()}
    fetched = newsdesk(*private, "fetch", made["name"], "--json", db=db)
    assert fetched.returncode == 0, fetched.stderr
    assert json.loads(fetched.stdout)["new"] == 2

    exported = newsdesk(*private, "sources", "opml", "export", db=db)
    opml = tmp_path / "feeds.opml"
    opml.write_text(exported.stdout, encoding="utf-8")
    assert f'xmlUrl="{site}/feed.xml"' in exported.stdout and 'text="Markets"' in exported.stdout
    imported = newsdesk(*private, "sources", "opml", "import", str(opml), db=fresh)
    assert imported.returncode == 0 and "1 feeds added" in imported.stderr
    assert newsdesk(*private, "sources", "opml", "export", db=fresh).stdout == exported.stdout
    twice = newsdesk(*private, "sources", "opml", "import", str(opml), db=fresh)
    assert "0 feeds added" in twice.stderr

    bad = tmp_path / "bad.opml"
    bad.write_text(
        '<opml version="2.0"><body><outline xmlUrl="https://ok.example/feed"/>'
        '<outline xmlUrl="javascript:alert(1)"/></body></opml>'
    )
    failed = newsdesk("sources", "opml", "import", str(bad), db=fresh)
    assert failed.returncode == 2 and "feed 2" in failed.stderr and "not an http(s) URL" in failed.stderr
    assert "ok.example" not in newsdesk("sources", "opml", "export", db=fresh).stdout, "nothing half-imported"
    bad.write_text("<html><body>not opml</body></html>")
    assert "not OPML" in newsdesk("sources", "opml", "import", str(bad), db=fresh).stderr
    removed = newsdesk("sources", "remove", made["name"], db=fresh)
    assert removed.returncode == 0 and newsdesk("sources", "remove", made["name"], db=fresh).returncode == 2


def test_subscriptions_api(site, tmp_path, open_store):
    store = open_store(f"sqlite:///{tmp_path}/n.db")
    tokens = {}
    for name, admin in (("root", True), ("ada", False), ("bob", False)):
        store.add_user(name, accounts.hash_password("a long password"), admin=admin)
        tokens[name] = accounts.new_token("api")
        store.add_token(name, "api", "script", accounts.digest(tokens[name]))
    as_ = {name: {"Authorization": f"Bearer {token}"} for name, token in tokens.items()}
    settings = replace(Settings(), sources_subscribe_private=True)
    with running(create_app(store, settings)) as client:
        assert client.post("/api/subscriptions", json={"url": f"{site}/site/"}).status_code == 401
        made = client.post(
            "/api/subscriptions", headers=as_["ada"], json={"url": f"{site}/site/", "category": "Markets"}
        )
        assert made.status_code == 201 and made.json()["added_by"] == "ada"
        name = made.json()["name"]
        duplicate = client.post("/api/subscriptions", headers=as_["bob"], json={"url": f"{site}/feed.xml"})
        assert duplicate.status_code == 409 and "already" in duplicate.json()["error"]
        assert client.post("/api/subscriptions", headers=as_["bob"], json={"url": f"{site}/plain/"}).status_code == 422
        assert client.post("/api/subscriptions", headers=as_["bob"], json={"url": "ftp://x"}).status_code == 400
        assert (
            client.post("/api/subscriptions", headers=as_["bob"], json={"url": "http://x/", "extra": 1}).status_code
            == 422
        )
        assert [s["name"] for s in client.get("/api/subscriptions", headers=as_["bob"]).json()["subscriptions"]] == [
            name
        ]
        assert client.delete(f"/api/subscriptions/{name}", headers=as_["bob"]).status_code == 403
        opml = client.get("/api/subscriptions/opml", headers=as_["bob"])
        assert opml.headers["content-type"].startswith("text/x-opml") and f"{site}/feed.xml" in opml.text
        assert client.post("/api/subscriptions/opml", headers=as_["ada"], content=opml.content).status_code == 403
        assert client.post("/api/subscriptions/opml", headers=as_["root"], content=b"<nope").status_code == 400
        assert client.delete(f"/api/subscriptions/{name}", headers=as_["ada"]).status_code == 204
        assert client.delete(f"/api/subscriptions/{name}", headers=as_["ada"]).status_code == 404
        again = client.post("/api/subscriptions/opml", headers=as_["root"], content=opml.content)
        assert again.status_code == 200 and again.json()["added"] == 1
