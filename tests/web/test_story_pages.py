"""Top stories and story pages of the served site: both languages' headlines, one time
line with copies folded, an old id redirected, story feeds for the desk and a ticker."""

from __future__ import annotations

import re

import feedparser

from newsdesk.config import Settings
from newsdesk.pipeline import import_paths
from newsdesk.store import Store
from newsdesk.web import create_app
from tests.conftest import record, write_data
from tests.store.test_story_links import EN_PFIZER, ZH_PFIZER, desk
from tests.web.helpers import running

TRADITIONAL = ("輝瑞第四季度營收177.6億美元 勝預期", ZH_PFIZER[1])


def _import(store: Store, tmp_path, name: str, items: list) -> None:
    records = [
        record(n, title=title, description=body, language=lang, source=source, pub_date=when)
        for n, (title, body), lang, source, when in items
    ]
    import_paths(store, [write_data(tmp_path / "data" / f"{name}.json", records)], Settings())


def test_top_stories_and_a_story_page(tmp_path, open_store):
    store = open_store(f"sqlite:///{tmp_path}/n.db")
    desk(store, tmp_path)
    _import(store, tmp_path, "zh", [(1, ZH_PFIZER, "zh-CN", "wallstreetcn", "2025-02-04 20:10:00")])
    _import(
        store,
        tmp_path,
        "more",
        [
            (2, EN_PFIZER, "en", "Reuters", "2025-02-04 20:25:00"),
            (3, TRADITIONAL, "zh-HK", "hkej", "2025-02-04 20:40:00"),
        ],
    )
    (story,) = {a.cluster for a in store.iter_articles() if int(a.link.rsplit("/", 1)[1]) < 5000}
    # The English report started a story of its own, merged into the Chinese one's.
    old = next(a.uuid for a in store.iter_articles() if a.language == "en")
    assert old != story and store.merged_into(old) == story
    with running(create_app(store, Settings())) as client:
        home = client.get("/").text
        assert 'href="/stories/"' in home, "top stories are one click from the timeline"
        top = client.get("/stories/", params={"ticker": "PFE"}).text  # the desk's day of other news aside
        assert ZH_PFIZER[0] in top and EN_PFIZER[0] in top and f'href="/stories/{story}/"' in top
        assert "3 outlets" in top and "PFE" in top
        page = client.get(f"/stories/{story}/").text
        lines = re.findall(r"<li lang=\"(\w+)\">", page)
        assert lines == ["zh", "en"], "the Traditional copy is folded into the Simplified line"
        folded = page.split('<li lang="zh">')[1].split("</li>")[0]
        assert "2 copies" in folded and 'href="/sources/wallstreetcn/"' in folded and 'href="/sources/hkej/"' in folded
        moved = client.get(f"/stories/{old}/", follow_redirects=False)
        assert moved.status_code == 301 and moved.headers["location"] == f"/stories/{story}/"
        assert client.get("/stories/0123456789abcdef0123456789abcdef/").status_code == 404
        assert client.get("/stories/?lang=%25%25").status_code == 400
        everything = feedparser.parse(client.get("/stories/index.xml").text)
        assert not everything.bozo and any(e.link.endswith(f"/stories/{story}/") for e in everything.entries)
        ticker = feedparser.parse(client.get("/stories/tags/PFE/atom.xml").text)
        assert not ticker.bozo and [e.link.rsplit("/stories/", 1)[1] for e in ticker.entries] == [f"{story}/"]
        assert feedparser.parse(client.get("/stories/tags/NVDA/index.xml").text).entries == []
