"""The Google Reader API against a served desk, written from its public descriptions
(FeedHQ's API reference, FreshRSS's and Miniflux's implementations): ClientLogin with an
app password, the token, subscriptions and folders, unread counts, stream contents in
pages, item ids in both forms, edit-tag, mark-all-as-read, the Atom stream — on SQLite and
PostgreSQL. Each user's state is their own; bad ids and streams get a 400, a wrong or
revoked password a 401."""

from __future__ import annotations

from dataclasses import replace

import feedparser
import pytest

from newsdesk import accounts
from newsdesk.config import Settings
from newsdesk.pipeline import import_paths
from newsdesk.web import create_app
from tests.conftest import write_data
from tests.web.helpers import PAGED, RECORDS, running

READING_LIST = "user/-/state/com.google/reading-list"
READ = "user/-/state/com.google/read"
STARRED = "user/-/state/com.google/starred"


def _app_password(store, name, *, admin=False):
    if store.user(name) is None:
        store.add_user(name, accounts.hash_password("a long password"), admin=admin)
    password = accounts.new_token("app")
    store.add_token(
        name, "app", "reader", accounts.digest(password), accounts.digest(accounts.fever_key(name, password))
    )
    return password


def _login(client, name, password):
    answer = client.post("/accounts/ClientLogin", data={"Email": name, "Passwd": password, "service": "reader"})
    assert answer.status_code == 200, answer.text
    auth = dict(line.split("=", 1) for line in answer.text.strip().splitlines())["Auth"]
    return {"Authorization": f"GoogleLogin auth={auth}"}


@pytest.fixture
def desk(db_url, tmp_path, open_store):
    write_data(tmp_path / "data" / "wire" / "news.json", RECORDS)
    store = open_store(db_url)
    import_paths(store, [tmp_path / "data"], Settings())
    settings = replace(PAGED, web_public=False)
    with running(create_app(store, settings)) as client:
        yield client, store


def test_sign_in_with_an_app_password(desk):
    client, store = desk
    password = _app_password(store, "ada")
    assert client.get("/reader/api/0/user-info").status_code == 401
    wrong = client.post("/accounts/ClientLogin", data={"Email": "ada", "Passwd": "not-the-one"})
    assert wrong.status_code == 401 and wrong.text == "Error=BadAuthentication"
    assert client.post("/accounts/ClientLogin", data={"Email": "bob", "Passwd": password}).status_code == 401
    headers = _login(client, "ada", password)
    assert client.get("/reader/api/0/user-info", headers=headers).json()["userName"] == "ada"
    as_json = client.post("/accounts/ClientLogin", data={"Email": "ada", "Passwd": password, "output": "json"})
    assert set(as_json.json()) == {"SID", "LSID", "Auth"}
    token = client.get("/reader/api/0/token", headers=headers).text
    assert (
        token
        and client.post("/reader/api/0/edit-tag", headers=headers, data={"i": "1", "T": "forged"}).status_code == 401
    )
    bad = client.get("/reader/api/0/user-info", headers={"Authorization": "GoogleLogin auth=ada/forged"})
    assert bad.status_code == 401 and bad.headers["x-reader-google-bad-token"] == "true"
    assert client.get("/reader/api/0/user-info", headers={"Authorization": f"Bearer {password}"}).status_code == 401
    [app] = store.tokens("ada", "app")
    store.remove_token("ada", app.id)
    assert client.get("/reader/api/0/user-info", headers=headers).status_code == 401, "revoked with its password"


def test_streams_pages_and_states(desk):
    client, store = desk
    headers = _login(client, "ada", _app_password(store, "ada"))
    subscriptions = client.get("/reader/api/0/subscription/list?output=json", headers=headers).json()["subscriptions"]
    assert {"feed/wire_0", "feed/wire_1", "feed/wire_x"} <= {s["id"] for s in subscriptions}
    counts = {
        c["id"]: c["count"] for c in client.get("/reader/api/0/unread-count", headers=headers).json()["unreadcounts"]
    }
    assert counts[READING_LIST] == len(RECORDS) and counts["feed/wire_0"] == 12

    first = client.get(f"/reader/api/0/stream/contents/{READING_LIST}?n=5", headers=headers).json()
    assert len(first["items"]) == 5 and first["continuation"]
    second = client.get(f"/reader/api/0/stream/contents/{READING_LIST}?n=5&c={first['continuation']}", headers=headers)
    ids = [i["id"] for i in first["items"]] + [i["id"] for i in second.json()["items"]]
    assert len(set(ids)) == 10
    published = [i["published"] for i in first["items"] + second.json()["items"]]
    assert published == sorted(published, reverse=True)
    oldest = client.get(f"/reader/api/0/stream/contents/{READING_LIST}?n=3&r=o", headers=headers).json()["items"]
    assert [i["published"] for i in oldest] == sorted(i["published"] for i in oldest) and oldest[0][
        "published"
    ] < published[-1]
    item = first["items"][0]
    assert item["id"].startswith("tag:google.com,2005:reader/item/") and item["summary"]["content"]
    assert item["origin"]["streamId"].startswith("feed/wire_") and READING_LIST in item["categories"]

    refs = client.get(f"/reader/api/0/stream/items/ids?s={READING_LIST}&n=3", headers=headers).json()["itemRefs"]
    short = refs[0]["id"]
    assert short.isdigit() and int(short) == int(item["id"].rsplit("/", 1)[1], 16), "the short form is decimal"
    both = client.post("/reader/api/0/stream/items/contents", headers=headers, data={"i": [short, item["id"]]})
    assert [i["id"] for i in both.json()["items"]] == [item["id"]]

    assert client.post("/reader/api/0/edit-tag", headers=headers, data={"i": [short], "a": READ}).text == "OK"
    assert client.post("/reader/api/0/edit-tag", headers=headers, data={"i": [item["id"]], "a": STARRED}).text == "OK"
    unread = client.get(f"/reader/api/0/stream/items/ids?s={READING_LIST}&xt={READ}&n=100", headers=headers).json()
    assert short not in {r["id"] for r in unread["itemRefs"]} and len(unread["itemRefs"]) == len(RECORDS) - 1
    starred = client.get(f"/reader/api/0/stream/contents/{STARRED}", headers=headers).json()["items"]
    assert [i["id"] for i in starred] == [item["id"]] and READ in starred[0]["categories"]
    counts = {
        c["id"]: c["count"] for c in client.get("/reader/api/0/unread-count", headers=headers).json()["unreadcounts"]
    }
    assert counts[READING_LIST] == len(RECORDS) - 1

    headers_bob = _login(client, "bob", _app_password(store, "bob"))
    theirs = client.get(f"/reader/api/0/stream/contents/{STARRED}", headers=headers_bob).json()["items"]
    assert theirs == [], "another user's stars are not bob's"

    assert client.post("/reader/api/0/mark-all-as-read", headers=headers, data={"s": "feed/wire_0"}).text == "OK"
    counts = {
        c["id"]: c["count"] for c in client.get("/reader/api/0/unread-count", headers=headers).json()["unreadcounts"]
    }
    assert "feed/wire_0" not in counts and counts["feed/wire_1"] == 11
    kept = client.post("/reader/api/0/edit-tag", headers=headers, data={"i": short, "r": READ})
    assert kept.text == "OK"
    again = client.get(f"/reader/api/0/stream/items/ids?s={READING_LIST}&xt={READ}&n=100", headers=headers).json()
    assert short in {r["id"] for r in again["itemRefs"]}


def test_folders_atom_and_bad_input(desk):
    client, store = desk
    headers = _login(client, "root", _app_password(store, "root", admin=True))
    edit = {"ac": "edit", "s": "feed/wire_0", "a": "user/-/label/Macro"}
    assert client.post("/reader/api/0/subscription/edit", headers=headers, data=edit).text == "OK"
    tags = client.get("/reader/api/0/tag/list", headers=headers).json()["tags"]
    assert {"id": "user/-/label/Macro", "label": "Macro", "type": "folder"} in tags
    folder = client.get("/reader/api/0/stream/contents/user/-/label/Macro?n=100", headers=headers).json()["items"]
    assert len(folder) == 12 and all("user/-/label/Macro" in i["categories"] for i in folder)
    renamed = client.post(
        "/reader/api/0/rename-tag", headers=headers, data={"s": "user/-/label/Macro", "dest": "user/-/label/Rates"}
    )
    assert renamed.text == "OK"
    listed = client.get("/reader/api/0/subscription/list", headers=headers).json()["subscriptions"]
    assert next(s for s in listed if s["id"] == "feed/wire_0")["categories"][0]["label"] == "Rates"

    reader = _login(client, "ada", _app_password(store, "ada"))
    assert client.post("/reader/api/0/subscription/edit", headers=reader, data=edit).status_code == 403

    atom = client.get("/reader/atom/feed%2Fwire_1?n=4", headers=headers)
    assert atom.headers["content-type"].startswith("application/atom+xml")
    feed = feedparser.parse(atom.content)
    assert not feed.bozo and len(feed.entries) == 4
    assert all(e.id.startswith("tag:google.com,2005:reader/item/") for e in feed.entries)
    assert {t.label for t in feed.entries[0].tags} >= {"reading-list", "kept-unread"}
    client.post("/reader/api/0/edit-tag", headers=headers, data={"i": feed.entries[0].id, "a": READ})
    again = feedparser.parse(client.get("/reader/atom/feed/wire_1?n=4", headers=headers).content)
    assert "read" in {t.label for t in again.entries[0].tags}

    for path in (
        "/reader/api/0/stream/contents/feed/nope",
        f"/reader/api/0/stream/contents/{READING_LIST}?c=zzz",
        f"/reader/api/0/stream/contents/{READING_LIST}?n=x",
        "/reader/api/0/stream/contents/user/-/state/com.google/broadcast-nothing",
        f"/reader/api/0/stream/contents/{READING_LIST}?c=1738917470000000n1",
    ):
        answer = client.get(path, headers=headers)
        assert answer.status_code == 400 and answer.text, path
    for ids in (["tag:google.com,2005:reader/item/xyz"], ["12ab"], ["tag:google.com,2005:reader/item/00ff"]):
        assert client.post("/reader/api/0/edit-tag", headers=headers, data={"i": ids, "a": READ}).status_code == 400
    assert client.post("/reader/api/0/edit-tag", headers=headers, data={"a": READ}).status_code == 400
    for huge in ("-1", "18446744073709551615", "tag:google.com,2005:reader/item/ffffffffffffffff"):
        answer = client.post("/reader/api/0/edit-tag", headers=headers, data={"i": huge, "a": READ})
        assert answer.status_code == 200 and answer.text == "OK", "nobody's number: nothing to mark"
        contents = client.post("/reader/api/0/stream/items/contents", headers=headers, data={"i": huge})
        assert contents.status_code == 200 and contents.json()["items"] == []
    far = f"/reader/api/0/stream/contents/{READING_LIST}?c=99999999999999999999u{'0' * 32}"
    assert client.get(far, headers=headers).status_code == 400
