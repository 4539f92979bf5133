"""Every kind of page, served and built, passes the Nu Html Checker (vnu.jar, from
``make web-checks``) with no error; the feeds parse and carry what their specs require."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import feedparser
import pytest

from newsdesk.config import Settings
from newsdesk.pipeline import import_paths
from newsdesk.publish.site import build_site
from newsdesk.store import Store
from newsdesk.web import create_app
from tests.conftest import ROOT, record, write_data
from tests.web.helpers import RECORDS, running

pytestmark = pytest.mark.slow

VNU = ROOT / "tools" / "web-checks" / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
FLASHES = [
    record(
        300 + n,
        title="",
        description=f"【快讯】美国1月非农就业人口增加{n}万人，预期17万人。",
        kind=2,
        source="flash_wire",
        image="",
        pub_date=1738917600 + n,
    )
    for n in range(3)
]
MORE = [
    record(400, title="Undated 无日期", pub_date=None, source="wire_0"),
    record(
        401,
        title="Image with width",
        description='<p>图<img src="https://img.example.com/a.png" width="100%"></p><h4>Deep heading</h4><p>text</p>',
        source="wire_1",
        pub_date=1738917100,
    ),
]


def _checker() -> list[str]:
    java = shutil.which("java")
    if java and VNU.exists():
        return [java, "-jar", str(VNU)]
    if os.environ.get("CI"):
        pytest.fail(f"the Nu Html Checker is required under CI ({VNU}, java): make test installs it")
    pytest.skip("the Nu Html Checker is missing: `make web-checks` installs it (java needed)")


@pytest.fixture(scope="module")
def pages(tmp_path_factory):
    """Every kind of page, served (saved as files) and built, in one folder."""
    folder = tmp_path_factory.mktemp("markup")
    write_data(folder / "data" / "wire" / "news.json", RECORDS + FLASHES + MORE)
    store = Store(f"sqlite:///{folder / 'site.db'}")
    import_paths(store, [folder / "data"], Settings())
    build_site(store, folder / "public", Settings())
    served = folder / "served"
    served.mkdir()
    with running(create_app(store, Settings())) as client:
        uuid = client.get("/api/articles", params={"limit": 1}).json()["articles"][0]["uuid"]
        wide = client.get("/api/search", params={"q": "Deep heading"}).json()["results"][0]["uuid"]
        story = client.get("/api/stories", params={"limit": 1}).json()["stories"][0]["id"]
        paths = [
            "/",
            "/page/1.html",
            f"/posts/{uuid}.html",
            f"/posts/{wide}.html",
            "/tags/AAPL/",
            "/sources/wire_0/",
            "/lang/zh-CN/",
            "/sources/",
            "/search/",
            "/search/?q=Fed",
            "/search/?q=Fed&sort=date&page=2",
            "/search/?q=-x",
            "/?source=wire_0",
            "/stories/",
            f"/stories/{story}/",
            "/no/such/page",
        ]
        for n, path in enumerate(paths):
            (served / f"{n:02d}.html").write_text(client.get(path).text, encoding="utf-8")
        feeds = {name: client.get(f"/{name}").text for name in ("index.xml", "atom.xml", "feed.json")}
        stories = {name: client.get(f"/stories/{name}").text for name in ("index.xml", "atom.xml", "feed.json")}
    store.close()
    built = folder / "public"
    static = [
        built / "index.html",
        built / "page" / "1" / "index.html",
        built / "404.html",
        built / "search" / "index.html",
        next((built / "posts").glob("*.html")),
        next((built / "tags").glob("*/index.html")),
        next((built / "sources").glob("*/index.html")),
        next((built / "lang").glob("*/index.html")),
    ]
    return {"files": sorted(served.glob("*.html")) + static, "feeds": feeds, "stories": stories, "built": built}


def test_every_page_kind_has_no_markup_errors(pages):
    result = subprocess.run(
        [*_checker(), "--errors-only", "--format", "json", *map(str, pages["files"])],
        capture_output=True,
        text=True,
        timeout=300,
    )
    messages = json.loads(result.stderr or '{"messages": []}')["messages"]
    errors = [
        f"{Path(m.get('url', '')).name}:{m.get('lastLine')}: {m['message']}" for m in messages if m["type"] == "error"
    ]
    assert errors == []
    assert len(pages["files"]) == 24


def test_the_checker_does_find_errors(tmp_path):
    bad = tmp_path / "bad.html"
    bad.write_text(
        '<!DOCTYPE html><html lang="en"><head><title>x</title></head><body><img src="a.png" width="100%"></body></html>'
    )
    result = subprocess.run(
        [*_checker(), "--errors-only", "--format", "json", str(bad)], capture_output=True, text=True, timeout=120
    )
    assert len(json.loads(result.stderr)["messages"]) >= 2  # no alt, a width that is not a number


def test_feeds_parse_and_json_feed_items_carry_content(pages):
    for name in ("index.xml", "atom.xml"):
        parsed = feedparser.parse(pages["feeds"][name])
        assert not parsed.bozo and len(parsed.entries) == 20, name
    feed = json.loads(pages["feeds"]["feed.json"])
    assert feed["version"] == "https://jsonfeed.org/version/1.1"
    assert all(item["content_html"].strip() and item["summary"] is not None for item in feed["items"])
    built = json.loads((pages["built"] / "feed.json").read_text(encoding="utf-8"))
    assert all(item.get("content_html") or item.get("content_text") for item in built["items"])


def test_story_feeds_parse_and_link_to_story_pages(pages):
    for name in ("index.xml", "atom.xml"):
        parsed = feedparser.parse(pages["stories"][name])
        assert not parsed.bozo and parsed.entries, name
        assert all("/stories/" in e.link for e in parsed.entries), name
    feed = json.loads(pages["stories"]["feed.json"])
    assert feed["items"] and all(item["url"].endswith("/") and "/stories/" in item["url"] for item in feed["items"])
