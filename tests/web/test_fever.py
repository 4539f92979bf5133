"""The Fever API against a served desk, written from Fever's public API description (as
Miniflux and FreshRSS serve it): the api_key is md5 of name:app password; groups and
feeds with their links; items 50 at a time forward by since_id and back by max_id; unread
and saved ids; marking items, a feed and a group read — on SQLite and PostgreSQL."""

from __future__ import annotations

from dataclasses import replace

import pytest

from newsdesk import accounts
from newsdesk.config import Settings
from newsdesk.pipeline import import_paths
from newsdesk.web import create_app
from tests.conftest import record, write_data
from tests.web.helpers import PAGED, running

RECORDS = [record(n, title=f"Fever item {n}", pub_date=1738917470 + n, source=f"wire_{n % 3}") for n in range(120)]


@pytest.fixture
def fever(db_url, tmp_path, open_store):
    write_data(tmp_path / "data" / "wire" / "news.json", RECORDS)
    store = open_store(db_url)
    import_paths(store, [tmp_path / "data"], Settings())
    password = accounts.new_token("app")
    store.add_user("ada", accounts.hash_password("a long password"))
    store.add_token(
        "ada", "app", "fever", accounts.digest(password), accounts.digest(accounts.fever_key("ada", password))
    )
    store.set_category("wire_0", "Macro")
    key = accounts.fever_key("ada", password)
    with running(create_app(store, replace(PAGED, web_public=False))) as client:

        def ask(query: str = "", **form: str):
            answer = client.post(f"/fever/?api&{query}", data={"api_key": key, **form})
            assert answer.status_code == 200, answer.text
            return answer.json()

        yield ask, client, key


def test_fever_reads_and_marks(fever):
    ask, client, key = fever
    assert client.post("/fever/?api", data={"api_key": "0" * 32}).json() == {"api_version": 3, "auth": 0}
    assert client.post("/fever/?api").json()["auth"] == 0
    assert client.post("/fever/", data={"api_key": "x"}).status_code == 400
    assert ask()["auth"] == 1
    listed = ask("groups&feeds")
    [group] = listed["groups"]
    assert group["title"] == "Macro"
    feeds = {f["title"]: f for f in listed["feeds"]}
    assert {"wire_0", "wire_1", "wire_2"} <= set(feeds)
    assert listed["feeds_groups"] == [{"group_id": group["id"], "feed_ids": str(feeds["wire_0"]["id"])}]

    seen, since = [], 0
    while True:
        page = ask(f"items&since_id={since}")
        if not page["items"]:
            break
        assert len(page["items"]) <= 50 and page["total_items"] == 120
        seen += [i["id"] for i in page["items"]]
        since = max(i["id"] for i in page["items"])
    assert len(seen) == 120 and seen == sorted(seen), "since_id pages forward in arrival order"
    back = ask(f"items&max_id={seen[-1]}")["items"]
    assert [i["id"] for i in back] == sorted(seen[-51:-1], reverse=True)
    picked = ask(f"items&with_ids={seen[0]},{seen[5]}")["items"]
    assert {i["id"] for i in picked} == {seen[0], seen[5]} and picked[0]["html"] and picked[0]["url"]

    assert len(ask("unread_item_ids")["unread_item_ids"].split(",")) == 120
    ask(mark="item", **{"as": "read"}, id=str(seen[0]))
    ask(mark="item", **{"as": "saved"}, id=str(seen[1]))
    unread = ask("unread_item_ids")["unread_item_ids"].split(",")
    assert str(seen[0]) not in unread and len(unread) == 119
    assert ask("saved_item_ids")["saved_item_ids"] == str(seen[1])
    assert ask(f"items&with_ids={seen[0]}")["items"][0]["is_read"] == 1
    ask(mark="item", **{"as": "unread"}, id=str(seen[0]))
    ask(mark="feed", **{"as": "read"}, id=str(feeds["wire_1"]["id"]), before="4102444800")
    assert len(ask("unread_item_ids")["unread_item_ids"].split(",")) == 80
    ask(mark="group", **{"as": "read"}, id=str(group["id"]), before="4102444800")
    assert len(ask("unread_item_ids")["unread_item_ids"].split(",")) == 40
    ask(mark="group", **{"as": "read"}, id="0", before="4102444800")
    assert ask("unread_item_ids")["unread_item_ids"] == ""
    huge = "9999999999999999999"  # past any 64-bit number: nobody's, and no overflow
    assert ask(f"items&since_id={huge}")["items"] == [] and ask(f"items&with_ids={huge}")["items"] == []
    assert len(ask(f"items&max_id={huge}")["items"]) == 50
    ask(mark="item", **{"as": "read"}, id=huge)
    assert client.post("/fever/?api&items&since_id=-99999999999999999999", data={"api_key": key}).status_code == 400
    for bad in (
        {"mark": "item", "as": "eaten", "id": "1"},
        {"mark": "feed", "as": "read", "id": "x"},
        {"mark": "group", "as": "read", "id": "999"},
    ):
        answer = client.post("/fever/?api", data={"api_key": key, **bad})
        assert answer.status_code == 400 and answer.json()["error"]
