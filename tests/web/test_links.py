"""No dead ends: a crawler follows every link from the home page (depth 3) on the served
app and on the static build, and finds none broken."""

from __future__ import annotations

from collections import deque
from urllib.parse import urljoin, urlsplit

import feedparser
from selectolax.lexbor import LexborHTMLParser

from newsdesk.config import Settings
from newsdesk.pipeline import import_paths
from newsdesk.publish.site import build_site
from newsdesk.store import Store
from tests.conftest import json_source, record, write_data
from tests.web.helpers import PAGED, RECORDS, running

MAX_DEPTH = 3


def links(html: str) -> list[str]:
    tree = LexborHTMLParser(html)
    found = [node.attributes.get("href") for node in tree.css("a[href], link[href]")]
    found += [node.attributes.get("src") for node in tree.css("img[src], script[src]")]
    return [link for link in found if link and not link.startswith(("data:", "#", "mailto:", "javascript:"))]


def crawl(fetch, start: str) -> tuple[set[str], list[tuple[str, str, int]]]:
    """(pages seen, [(link, found on, status)] of the broken ones); ``fetch(url)`` → (status, type, text)."""
    seen, broken, queue = {start}, [], deque([(start, 0, "")])
    while queue:
        url, depth, parent = queue.popleft()
        status, kind, text = fetch(url)
        if status >= 400:
            broken.append((url, parent, status))
            continue
        if "html" not in kind or depth >= MAX_DEPTH:
            continue
        for link in links(text):
            target = urljoin(url, link).split("#")[0]
            if urlsplit(target).netloc != urlsplit(start).netloc or target in seen:
                continue
            seen.add(target)
            queue.append((target, depth + 1, url))
    return seen, broken


def test_every_link_of_the_served_app_resolves(server):
    def fetch(url: str) -> tuple[int, str, str]:
        response = server.get(url)
        return response.status_code, response.headers.get("content-type", ""), response.text

    seen, broken = crawl(fetch, str(server.base_url) + "/")
    assert not broken, broken[:10]
    assert any(u.endswith("/index.xml") for u in seen) and any("/tags/" in u for u in seen) and len(seen) > 50
    for path in ("/index.xml", "/atom.xml", "/feed.json", "/sitemap.xml", "/sources/wire_0/index.xml"):
        response = server.get(path)
        assert response.status_code == 200, path
    rss = feedparser.parse(server.get("/index.xml").text)
    assert not rss.bozo and len(rss.entries) == 20 and rss.entries[0].link.startswith(str(server.base_url))
    items = server.get("/feed.json").json()["items"]
    assert all(item.get("content_text") or item.get("content_html") for item in items)  # JSON Feed 1.1 requires one
    times = [node.attributes["datetime"] for node in LexborHTMLParser(server.get("/").text).css("time[datetime]")]
    assert times and all(len(t) == len("2025-02-07T08:37:50+00:00") for t in times)  # whole seconds
    assert server.get("/tags/no-such-tag/index.xml").status_code == 404
    assert server.get("/sitemap-9.xml").status_code == 404


def test_every_link_of_the_static_build_resolves(sqlite_url, tmp_path):
    write_data(tmp_path / "data" / "wire" / "news.json", [*RECORDS, record(90, language="en", title="English story")])
    with Store(sqlite_url) as store:
        import_paths(store, [tmp_path / "data"], Settings())
        build_site(store, tmp_path / "site", PAGED)
    root = tmp_path / "site"

    def fetch(url: str) -> tuple[int, str, str]:
        path = root / urlsplit(url).path.lstrip("/")
        path = path / "index.html" if url.endswith("/") else path
        if not path.is_file():
            return 404, "", ""
        return 200, "text/html" if path.suffix == ".html" else "other", path.read_text(encoding="utf-8")

    seen, broken = crawl(fetch, "file://site/")
    assert not broken, broken[:10]
    assert len(seen) > 50 and any(u.endswith("/index.xml") for u in seen)
    # a language list with an archive page has (and links) its feeds; one of one article does not
    with_feeds = {d.name for d in (root / "lang").iterdir() if (d / "index.xml").is_file()}
    assert with_feeds and all((root / "lang" / name / "page/1.html").is_file() for name in with_feeds)
    assert "en" not in with_feeds and (root / "lang" / "en" / "index.html").is_file()


def test_first_run_page_and_the_sources_page_with_its_admin_form(sqlite_url, tmp_path, httpserver):
    """An empty database says how to get news; /sources/ lists each source's health, and
    with a token configured its buttons act (the token in the form body, not the URL)."""
    import json

    from newsdesk.web import create_app

    httpserver.expect_request("/list").respond_with_data(
        json.dumps({"items": [{"t": "来源页面 sources page", "u": "https://x.example.com/s/1"}]}),
        content_type="application/json",
    )
    folder = json_source(tmp_path / "sources", "mine", httpserver.url_for("/list"))
    settings = Settings(
        web_admin_token="s3cret-token",
        sources_folder=str(folder),
        fetch_host_delay=0.0,
        import_workers=1,
        web_cache_seconds=0,
    )
    with Store(sqlite_url) as store, running(create_app(store, settings)) as client:
        home = client.get("/").text
        assert "newsdesk run" in home and "newsdesk import PATH" in home and 'href="/sources/"' in home
        page = client.get("/sources/").text
        assert "mine" in page and 'type="password" name="token"' in page and "jin10_articles_articles" in page
        refused = client.post("/sources/", data={"token": "wrong", "action": "fetch:mine"})
        assert refused.status_code == 401 and "mine" not in str(refused.url.query)
        assert "admin token is needed" in refused.text and "does not exist" not in refused.text
        done = client.post("/sources/", data={"token": "s3cret-token", "action": "fetch:mine"}, follow_redirects=False)
        assert done.status_code == 303 and "s3cret" not in done.headers["location"]
        assert "mine: ok, 1 new" in client.get(done.headers["location"]).text
        client.post("/sources/", data={"token": "s3cret-token", "action": "disable:mine"})
        assert store.health()["mine"].enabled is False
        assert "来源页面" in client.get("/").text  # no longer the first-run page
    with Store(sqlite_url) as store, running(create_app(store, Settings(sources_folder=str(folder)))) as anonymous:
        assert 'name="token"' not in anonymous.get("/sources/").text  # no token configured: no buttons


def test_filters_are_url_parameters_on_lists_and_search(server):
    only = server.get("/", params={"source": "wire_1"})
    assert only.status_code == 200 and 'name="source" value="wire_1"' in only.text and "11 articles" in only.text
    sources = {link for link in links(only.text) if link.startswith("/sources/wire_")}
    assert sources == {"/sources/wire_1/"}  # every card is from that source
    dated = server.get("/", params={"until": "2025-02-08", "lang": "zh"})
    older = [link for link in links(dated.text) if "/page/" in link]
    assert older and all("until=2025-02-08" in link and "lang=zh" in link for link in older)  # the pager keeps them
    assert server.get(older[0]).status_code == 200
    bad = server.get("/", params={"since": "yesterday"})
    assert bad.status_code == 400 and "since: &#39;yesterday&#39; is not a date" in bad.text
    assert server.get("/", params={"since": "0001-01-01", "until": "9999-12-31T20:00:00-05:00"}).status_code == 400
    found = server.get("/search/", params={"q": "Fed", "source": "wire_0"}).text
    assert 'type="hidden" name="source" value="wire_0"' in found and "· wire_1<" not in found and "· wire_0<" in found
