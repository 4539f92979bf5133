"""Every kind of feed newsdesk writes — the site's, a tag's (Chinese ones too), a
source's, a language's, a month's, the top stories', the briefs' — static and served,
checked against the RSS 2.0, Atom (RFC 4287's RELAX NG schema, xmllint) and JSON Feed
1.1 specifications; static and served feeds of a list have the same title."""

from __future__ import annotations

import os
import shutil
from dataclasses import replace
from urllib.parse import quote

import pytest
from lxml import etree

from newsdesk.config import Settings
from newsdesk.pipeline import import_paths
from newsdesk.publish.site import build_site
from newsdesk.web import create_app
from tests.conftest import record, write_data
from tests.publish.feedspecs import check_atom, check_json_feed, check_rss, url_problem
from tests.web.helpers import RECORDS, running

SETTINGS = replace(Settings(), site_base_url="https://news.example.org/", site_per_page=5)  # lists with feeds
EXTRA = [
    record(500, title="无日期的快讯 undated", pub_date=None, source="wire_0"),
    record(
        501, title="<![CDATA[英伟达 Nvidia 财报]]>", source="wire_1", link="https://news.example.com/文章/501?x=一 二"
    ),
]


@pytest.fixture(scope="module")
def feeds(tmp_path_factory, request):
    if shutil.which("xmllint") is None:
        if os.environ.get("CI"):
            pytest.fail("xmllint is required under CI (make system-deps installs libxml2-utils)")
        pytest.skip("xmllint is not installed (make system-deps)")
    folder = tmp_path_factory.mktemp("feedspecs")
    write_data(folder / "data" / "wire" / "news.json", RECORDS + EXTRA)
    from newsdesk.store import Store

    store = Store(f"sqlite:///{folder / 'n.db'}")
    import_paths(store, [folder / "data"], SETTINGS)
    build_site(store, folder / "public", SETTINGS)
    public = folder / "public"
    files = sorted(p for p in public.rglob("*") if p.name in ("index.xml", "atom.xml", "feed.json"))
    served = {}
    with running(create_app(store, SETTINGS)) as client:
        for path in files:
            relative = path.relative_to(public).as_posix()
            answer = client.get("/" + quote(relative))
            served[relative] = answer.text if answer.status_code == 200 else None
    store.close()
    return public, files, served, folder


def _check(path, text, where):
    if path.name == "index.xml":
        return check_rss(text, where)
    if path.name == "feed.json":
        return check_json_feed(text, where)
    return check_atom(path, where)


def test_every_static_and_served_feed_keeps_to_its_specification(feeds):
    public, files, served, folder = feeds
    kinds = {p.relative_to(public).parts[0] if len(p.relative_to(public).parts) > 1 else "site" for p in files}
    assert {"site", "tags", "sources", "lang", "archive", "stories", "briefs"} <= kinds, kinds
    assert any("%" not in p.as_posix() and any(ord(c) > 127 for c in p.as_posix()) for p in files), "a Chinese tag"
    problems = []
    for path in files:
        relative = path.relative_to(public).as_posix()
        problems += _check(path, path.read_text(encoding="utf-8"), f"static {relative}")
        text = served[relative]
        if text is None:
            problems.append(f"served {relative}: not served")
            continue
        copy = folder / "served" / relative
        copy.parent.mkdir(parents=True, exist_ok=True)
        copy.write_text(text, encoding="utf-8")
        problems += _check(copy, text, f"served {relative}")
    assert problems == [], "\n".join(problems[:40])


def test_static_and_served_feeds_have_the_same_titles(feeds):
    public, files, served, _ = feeds
    different = []
    for path in files:
        if path.name != "index.xml":
            continue
        relative = path.relative_to(public).as_posix()
        title = etree.fromstring(path.read_bytes()).findtext("channel/title")
        shown = etree.fromstring(served[relative].encode()).findtext("channel/title") if served[relative] else None
        if title != shown:
            different.append(f"{relative}: {title!r} / {shown!r}")
    assert different == []


def test_the_checks_find_what_the_specifications_forbid(tmp_path):
    assert (
        url_problem("https://x.example/新闻/") and url_problem("/relative") and url_problem("http://localhost:1313/a")
    )
    assert not url_problem("https://x.example/%E6%96%B0/?q=a%20b")
    rss = '<rss version="2.0"><channel><title>t</title><item><author>Ann</author></item></channel></rss>'
    found = "\n".join(check_rss(rss, "r"))
    for expected in ("without <link>", "without <description>", "neither title nor description", "email", "pubDate"):
        assert expected in found
    bad = tmp_path / "atom.xml"
    bad.write_text('<feed xmlns="http://www.w3.org/2005/Atom"><title>t</title><entry><title>e</title></entry></feed>')
    assert any("validate" in p for p in check_atom(bad, "a")), "no id, no updated: the schema refuses it"
    assert check_json_feed('{"version": "1", "items": [{"id": 3}]}', "j")
