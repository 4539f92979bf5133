"""Briefs served: a day's morning brief as a page and as JSON, its feed item, and
addresses a client can get wrong answered with 404 or 400, never a 500."""

from __future__ import annotations

from xml.etree import ElementTree

import feedparser

from newsdesk.config import Settings
from newsdesk.publish import feeds
from newsdesk.publish.briefs import brief_entry
from newsdesk.watch import briefs
from newsdesk.web import create_app
from tests.watch.test_briefs import EN, EN_LEAD, MORNING, ZH, ZH_LEAD, _pfizer
from tests.web.helpers import running


def test_a_days_brief_as_page_json_and_feed_item(tmp_path, open_store):
    store = open_store(f"sqlite:///{tmp_path}/n.db")
    _pfizer(store, tmp_path)
    with running(create_app(store, Settings())) as client:
        assert 'href="/briefs/morning/"' in client.get("/").text, "briefs are one click from every page"
        page = client.get("/briefs/morning/2025-02-05/").text
        assert ZH[0] in page and EN[0] in page and ZH_LEAD in page and EN_LEAD in page
        assert 'href="/briefs/morning/2025-02-04/"' in page and 'href="/briefs/close/"' in page
        assert EN_LEAD not in client.get("/briefs/morning/2025-02-05/", params={"ticker": "XOM"}).text
        shown = client.get("/api/briefs/morning", params={"day": "2025-02-05", "lang": "en"}).json()
        assert shown["title"] == "早报 Morning brief · 2025-02-05" and shown["from"] == "2025-02-04T16:00:00+08:00"
        assert shown["stories"][0]["sentences"] == {"en": EN_LEAD, "zh": ZH_LEAD}
        assert client.get("/briefs/close/").status_code == 200  # the latest close: empty, still a page
        for wrong in ("/briefs/noon/", "/briefs/morning/2025-13-45/", "/briefs/morning/9999-12-31/",
                      "/briefs/morning/0001-01-01/", "/briefs/morning/x/", "/briefs/noon/index.xml"):  # fmt: skip
            assert client.get(wrong).status_code == 404, wrong
        assert client.get("/api/briefs/morning", params={"day": "05-02-2025"}).status_code in (400, 422)
        assert client.get("/api/briefs/morning", params={"day": "2025-02-30"}).status_code == 404
        for name in ("index.xml", "atom.xml", "feed.json"):
            assert client.get(f"/briefs/morning/{name}").status_code == 200
    made = briefs.make(store, briefs.period("morning", MORNING, "Asia/Shanghai", Settings()), Settings())
    parsed = feedparser.parse(
        feeds.atom(feeds.Items("https://desk.example/"), "briefs/morning/", "Briefs", [brief_entry(made)])
    )
    (item,) = parsed.entries
    assert not parsed.bozo and item.link == "https://desk.example/briefs/morning/2025-02-05/"
    assert item.title == "早报 Morning brief · 2025-02-05" and EN_LEAD in item.summary


def test_served_feeds_answer_conditional_gets_and_gzip(tmp_path, open_store):
    store = open_store(f"sqlite:///{tmp_path}/n.db")
    _pfizer(store, tmp_path)
    with running(create_app(store, Settings())) as client:
        for path in ("/index.xml", "/atom.xml", "/feed.json", "/stories/index.xml", "/briefs/close/feed.json"):
            first = client.get(path)
            tag = first.headers["etag"]
            assert first.status_code == 200 and tag.startswith('"')
            again = client.get(path, headers={"If-None-Match": tag})
            assert again.status_code == 304 and again.content == b"" and again.headers["etag"] == tag, path
            assert client.get(path, headers={"If-None-Match": '"other"'}).status_code == 200
        packed = client.get("/index.xml", headers={"Accept-Encoding": "gzip"})
        assert packed.headers["content-encoding"] == "gzip" and feedparser.parse(packed.text).entries
        assert "content-encoding" not in client.get("/index.xml", headers={"Accept-Encoding": "identity"}).headers
        assert client.head("/atom.xml").status_code == 200


def test_an_opml_list_of_every_feed_for_reader_apps(tmp_path, open_store):
    store = open_store(f"sqlite:///{tmp_path}/n.db")
    _pfizer(store, tmp_path)
    with running(create_app(store, Settings())) as client:
        answer = client.get("/opml.xml")
        assert answer.status_code == 200 and answer.headers["content-type"].startswith("text/x-opml")
        root = ElementTree.fromstring(answer.content)
        assert root.tag == "opml" and root.get("version") == "2.0"
        folders = {o.get("text"): o for o in root.find("body")}
        assert set(folders) == {"newsdesk", "Sources", "Languages"}
        sources = {o.get("text"): o.get("xmlUrl") for o in folders["Sources"]}
        assert {"Reuters", "wallstreetcn"} <= set(sources) or {"Reuters", "华尔街见闻"} <= set(sources)
        for url in [*sources.values(), *(o.get("xmlUrl") for o in folders["newsdesk"])]:
            path = url.split("://", 1)[1].split("/", 1)[1]
            assert client.get("/" + path).status_code == 200, url
