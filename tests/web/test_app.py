"""newsdesk serve: the real ASGI app on a real socket on 127.0.0.1 (uvicorn in a thread)."""

from __future__ import annotations

import socket
import subprocess
import threading
import time
from typing import Any

import httpx
import pytest

from newsdesk.config import Settings
from newsdesk.pipeline import import_paths
from newsdesk.pipeline.prune import prune
from newsdesk.store import Store
from newsdesk.web import create_app
from tests.conftest import json_source, newsdesk, record, start_newsdesk, wait_for, write_data
from tests.web.helpers import PAGED, RECORDS, running


def test_pages_are_served_with_pager_sidebar_and_article_pages(server):
    home = server.get("/")
    assert home.status_code == 200 and home.text.count('class="card"') == 14  # 24 articles: 14 + one archive page
    assert (
        'href="/page/1.html"' in home.text and "最新 Recent" in home.text and "site.js" not in home.text
    )  # widgets inline
    archive = server.get("/page/1.html")
    assert (
        archive.status_code == 200
        and archive.text.count('class="card"') == 10
        and 'rel="prev" href="/"' in archive.text
    )
    assert [server.get(f"/page/{n}.html").status_code for n in (0, 2, -1)] == [404, 404, 404]
    # where numbered pages were (page/N/): moved for good, query kept; bad numbers are still 404
    moved = server.get("/page/1/", params={"lang": "zh"}, follow_redirects=False)
    assert moved.status_code == 301 and moved.headers["location"] == "/page/1.html?lang=zh"
    assert [server.get(f"/page/{n}/", follow_redirects=False).status_code for n in (0, -1, "x")] == [404, 404, 422]
    uuid = server.get("/api/articles", params={"limit": 1}).json()["articles"][0]["uuid"]
    page = server.get(f"/posts/{uuid}.html")
    assert page.status_code == 200 and "Fed meeting 22" in page.text
    moved = server.get(f"/posts/{uuid}/")  # where article pages were: old links still lead there
    assert moved.status_code == 301 and moved.headers["location"] == f"/posts/{uuid}.html"
    assert server.get("/sources/wire_0/").status_code == 200
    assert server.get("/tags/AAPL/").status_code == 200
    assert server.get("/style.css").headers["content-type"].startswith("text/css")


def test_the_search_box_works_when_served(server):
    page = server.get("/search/", params={"q": "测试内容 Fed", "all": "1"})  # every article, not one per story
    assert page.status_code == 200 and page.text.count('class="card"') == 20 and "<mark>测试内容</mark>" in page.text
    assert server.get("/search/").status_code == 200
    bad = server.get("/search/", params={"q": "-x"})
    assert bad.status_code == 400 and "no words" in bad.text


def test_search_page_counts_sorts_and_numbers_its_pages(server):
    every = {"q": "Fed meeting", "all": "1"}  # every article (the default is one per story)
    first = server.get("/search/", params=every)
    assert "23 条结果 · 23 results" in first.text and first.text.count('class="card"') == 20
    assert 'href="?q=Fed+meeting&amp;all=1&amp;page=2"' in first.text and 'aria-current="page">1<' in first.text
    second = server.get("/search/", params={**every, "page": 2})
    assert second.text.count('class="card"') == 3
    newest = server.get("/search/", params={**every, "sort": "date"})
    titles = [line for line in newest.text.splitlines() if "<h2><a" in line]
    assert "Fed meeting 22" in titles[0] and "Fed meeting 3" in titles[-1]  # newest first: 22 … 3
    assert 'href="?q=Fed+meeting&amp;sort=date&amp;all=1&amp;page=2"' in newest.text
    filtered = server.get("/search/", params={**every, "source": "wire_0"})
    assert "12 条结果" in filtered.text  # the even ones of 0..22
    assert server.get("/search/", params={"q": "Fed", "sort": "random"}).status_code == 422
    assert server.get("/search/", params={"q": "Fed", "page": 0}).status_code == 422
    api = server.get("/api/search", params={"q": "Fed meeting", "sort": "date", "limit": 5, "offset": 5}).json()
    assert [hit["title"].split()[-1] for hit in api["results"]] == ["17", "16", "15", "14", "13"]


def test_a_search_page_counts_up_to_what_its_pages_can_show(sqlite_url):
    from newsdesk.search import MAX_LIMIT
    from tests.conftest import article

    with Store(sqlite_url) as store:
        many = [article(n, title=f"黄金 gold {n}", text=f"gold {n}") for n in range(MAX_LIMIT + 5)]
        store.save(many, [], many[0].published)
        with running(create_app(store, PAGED)) as client:
            page = client.get("/search/", params={"q": "gold", "all": "1"})
            assert "1000+ 条结果 · more than 1,000 results" in page.text
            assert 'href="?q=gold&amp;all=1&amp;page=50"' in page.text and "page=51" not in page.text
            assert "1 条结果 · 1 result<" in client.get("/search/", params={"q": "gold 7"}).text


def test_api_articles_filters_and_cursor_pagination(server):
    first = server.get("/api/articles", params={"limit": 10}).json()
    second = server.get("/api/articles", params={"limit": 10, "cursor": first["next_cursor"]}).json()
    third = server.get("/api/articles", params={"limit": 10, "cursor": second["next_cursor"]}).json()
    uuids = [a["uuid"] for page in (first, second, third) for a in page["articles"]]
    assert len(uuids) == len(set(uuids)) == 24 and third["next_cursor"] is None
    assert {a["source"] for a in server.get("/api/articles", params={"source": "wire_1"}).json()["articles"]} == {
        "wire_1"
    }
    assert [a["title"] for a in server.get("/api/articles", params={"ticker": "aapl"}).json()["articles"]][0].endswith(
        "财报"
    )
    one = server.get(f"/api/articles/{uuids[0]}").json()
    assert one["uuid"] == uuids[0] and "html" in one and "markdown" in one


def test_api_search_sources_tags_and_openapi(server):
    found = server.get("/api/search", params={"q": "美联储 测试内容", "limit": 3}).json()
    assert (
        found["query"] == "美联储 测试内容"
        and len(found["results"]) == 3
        and "<mark>测试内容</mark>" in found["results"][0]["snippet"]
    )
    assert server.get("/api/search", params={"q": "-only"}).status_code == 400
    assert server.get("/api/search", params={"q": "x" * 5000}).status_code == 422
    listed = {s["name"]: s for s in server.get("/api/sources").json()["sources"]}
    assert {name: listed[name]["articles"] for name in ("wire_0", "wire_1", "wire_x")} == {
        "wire_0": 12,
        "wire_1": 11,
        "wire_x": 1,
    }
    assert not listed["wire_0"]["in_catalog"] and listed["jin10_articles_articles"]["in_catalog"]
    assert listed["jin10_articles_articles"]["health"]["state"] == "new" and listed["fx168"]["enabled"] is False
    assert {"tag": "AAPL", "articles": 1} in server.get("/api/tags", params={"kind": "ticker"}).json()["tags"]
    assert "/api/search" in server.get("/openapi.json").json()["paths"]


@pytest.mark.parametrize(
    "path",
    [
        "/posts/../../etc/passwd",
        "/posts/%2e%2e%2f%2e%2e%2fetc%2fpasswd/",
        "/tags/..%2F..%2Fetc/",
        "/..%2f..%2fetc/passwd",
        "/posts/0123/",
        "/posts/0123.html",
        "/posts/../x.html",
        "/nothing/here",
        "/api/articles/not-a-uuid",
        "/api/nothing",
    ],
)
def test_unknown_paths_and_traversal_are_404_with_json_errors_on_the_api(server, path):
    response = server.get(path)
    assert response.status_code == 404
    if path.startswith("/api/"):
        assert "error" in response.json()
    assert "root:" not in response.text


def test_bad_api_input_is_a_json_error_never_a_500(server):
    for params in (
        {"limit": 0},
        {"limit": "x"},
        {"since": "yesterday"},
        {"cursor": "!!!"},
        {"since": "2025-02-05T00:00:00"},
    ):
        response = server.get("/api/articles", params=params)
        assert response.status_code in (400, 422) and "error" in response.json()
    bad_kind = server.get("/api/tags", params={"kind": "nope"})
    assert bad_kind.status_code == 422 and "error" in bad_kind.json()
    kinds = server.get("/openapi.json").json()["paths"]["/api/tags"]["get"]["parameters"][0]["schema"]
    assert "ticker" in str(kinds) and "enum" in str(kinds)  # documented as an enum


def test_dates_beyond_what_python_holds_are_400_in_filters_and_cursors(server):
    import base64

    for params in ({"since": "9999-12-31T20:00:00-05:00"}, {"until": "0001-01-01T00:00:00+14:00"}):
        for path in ("/api/articles", "/api/search"):
            response = server.get(path, params={**params, "q": "Fed"} if path == "/api/search" else params)
            assert response.status_code == 400 and "out of range" in response.json()["error"], (path, params)
    cursor = base64.urlsafe_b64encode(f"9999-12-31T20:00:00-05:00|{'a' * 32}".encode()).decode().rstrip("=")
    response = server.get("/api/articles", params={"cursor": cursor})
    assert response.status_code == 400 and "error" in response.json()


def test_every_error_has_one_shape_and_pages_carry_security_headers(server):
    wrong = server.post("/api/articles")
    assert wrong.status_code == 405 and set(wrong.json()) == {"error"}
    for path in ("/", "/api/articles", "/nope"):
        headers = server.get(path).headers
        policy = headers["content-security-policy"]
        assert "script-src 'self'" in policy and "unsafe-inline" not in policy.split("script-src")[1].split(";")[0]
        assert "frame-ancestors 'none'" in policy and headers["x-content-type-options"] == "nosniff"


def test_hostile_article_renders_without_script(server):
    uuid = server.get("/api/articles", params={"source": "wire_x"}).json()["articles"][0]["uuid"]
    page = server.get(f"/posts/{uuid}.html").text
    assert "<script>window" not in page and "onerror" not in page
    assert "window.pwned=1 苹果 Apple (AAPL) 财报" in page  # the title's tags are gone, its text stays


@pytest.mark.slow
def test_serve_with_worker_processes_and_no_cache_shows_new_articles_at_once(sqlite_url, tmp_path):
    """`newsdesk serve --workers 2` (uvicorn's process manager, the settings handed to each process)
    with web.cache_seconds = 0: an article imported while it runs is on the next page view."""
    write_data(tmp_path / "one" / "wire" / "news.json", RECORDS[:3])
    write_data(tmp_path / "two" / "wire" / "news.json", [record(500, title="迟到的新闻 late news")])
    config = tmp_path / "settings.toml"
    config.write_text('[web]\ncache_seconds = 0\n[site]\ntitle = "工作进程 workers"\n')
    newsdesk("import", str(tmp_path / "one"), db=sqlite_url, check=True)
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    args = ["--config", str(config), "serve", "--port", str(port), "--workers", "2"]
    server = start_newsdesk(*args, db=sqlite_url, stdout=subprocess.DEVNULL)
    try:
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=10) as client:
            deadline = time.monotonic() + 30
            while True:
                try:
                    home = client.get("/")
                    break
                except httpx.TransportError:
                    assert time.monotonic() < deadline and server.poll() is None, (
                        server.stderr.read() if server.stderr else ""
                    )
                    time.sleep(0.2)
            assert "工作进程 workers" in home.text and "late news" not in home.text
            newsdesk("import", str(tmp_path / "two"), db=sqlite_url, check=True)
            assert "late news" in client.get("/").text
            assert (
                client.get("/api/search", params={"q": "迟到"}).json()["results"][0]["title"] == "迟到的新闻 late news"
            )
            docs = client.get("/docs")
            assert docs.status_code == 200 and "/static-offline-docs/swagger-ui-bundle.js" in docs.text  # no CDN
            assert client.get("/static-offline-docs/swagger-ui-bundle.js").status_code == 200
    finally:
        server.terminate()
        server.wait(15)
    assert f"serving {sqlite_url} on http://127.0.0.1:{port}/" in (server.stderr.read() if server.stderr else "")


def test_admin_actions_need_the_token_and_fetch_or_toggle_a_source(sqlite_url, tmp_path, httpserver):
    """Admin API on a real socket: no token configured → 403; wrong token → 401; with
    it, a source is fetched now (from a loopback server) and disabled/enabled."""
    import json as jsonlib

    httpserver.expect_request("/list").respond_with_data(
        jsonlib.dumps({"items": [{"t": "管理员触发 admin fetch", "u": "https://x.example.com/admin/1"}]}),
        content_type="application/json",
    )
    folder = json_source(tmp_path / "sources", "mine", httpserver.url_for("/list"))
    store = Store(sqlite_url)
    settings = Settings(
        web_admin_token="s3cret-token", sources_folder=str(folder), fetch_host_delay=0.0, import_workers=1
    )
    with running(create_app(store, settings)) as client, running(create_app(store, Settings())) as anonymous:
        assert anonymous.post("/api/admin/sources/mine/disable").status_code == 403
        assert client.post("/api/admin/sources/mine/disable").status_code == 401
        assert (
            client.post("/api/admin/sources/mine/disable", headers={"Authorization": "Bearer nope"}).status_code == 401
        )
        auth = {"Authorization": "Bearer s3cret-token"}
        assert client.post("/api/admin/sources/nope/disable", headers=auth).status_code == 404
        assert client.post("/api/admin/sources/mine/disable", headers=auth).json() == {"name": "mine", "enabled": False}
        mine = {s["name"]: s for s in client.get("/api/sources").json()["sources"]}["mine"]
        assert mine["enabled"] is False
        assert store.claim_run("mine", "the daemon elsewhere", 60)  # another process is running it
        busy = client.post("/api/admin/sources/mine/fetch", headers=auth)
        assert busy.status_code == 409 and "being fetched now" in busy.json()["error"]
        store.release_run("mine", "the daemon elsewhere")
        run = client.post("/api/admin/sources/mine/fetch", headers=auth).json()["run"]
        assert run["state"] == "ok" and run["new"] == 1
        assert client.post("/api/admin/sources/mine/enable", headers=auth).json()["enabled"] is True
        mine = {s["name"]: s for s in client.get("/api/sources").json()["sources"]}["mine"]
        assert mine["enabled"] is True and mine["articles"] == 1 and mine["health"]["state"] == "ok"
    assert store.health()["mine"].enabled is True
    store.close()


def test_concurrent_admin_fetches_of_one_source_run_it_once(sqlite_url, tmp_path, httpserver):
    """Two admin fetches of the same source at once: one runs it, the other answers 409."""
    import json as jsonlib
    import threading
    from concurrent.futures import ThreadPoolExecutor

    from werkzeug import Response

    refused = threading.Event()

    def slow_list(request):
        refused.wait(30)  # held until the other fetch has been answered 409
        items = [{"t": "并发 concurrent fetch", "u": "https://x.example.com/concurrent/1"}]
        return Response(jsonlib.dumps({"items": items}), content_type="application/json")

    httpserver.expect_request("/slow").respond_with_handler(slow_list)
    folder = json_source(tmp_path / "sources", "slow", httpserver.url_for("/slow"))
    settings = Settings(
        web_admin_token="s3cret-token", sources_folder=str(folder), fetch_host_delay=0.0, import_workers=1
    )
    auth = {"Authorization": "Bearer s3cret-token"}
    with Store(sqlite_url) as store, running(create_app(store, settings)) as client:

        def fetch(_: int):
            answer = client.post("/api/admin/sources/slow/fetch", headers=auth, timeout=30)
            if answer.status_code == 409:
                refused.set()
            return answer

        with ThreadPoolExecutor(2) as pool:
            answers = list(pool.map(fetch, range(2)))
        assert sorted(a.status_code for a in answers) == [200, 409]
        assert [a.json()["run"]["new"] for a in answers if a.status_code == 200] == [1]
        assert sum(r.path == "/slow" for r, _ in httpserver.log) == 1


def test_a_ticker_page_says_what_the_ticker_is_and_how_often_it_is_in_the_news(server):
    page = server.get("/tags/AAPL/").text
    assert (
        '<section class="ticker-head" aria-label="AAPL">' in page
        and "<strong>Apple Inc</strong> · 苹果公司 · US" in page
    )
    assert page.count('title="20') == 30  # one bar a day for the last 30 days
    assert "ticker-head" not in server.get("/tags/wire_0/").text  # not a ticker: no header


def test_pruned_articles_leave_the_cached_pages(db_url, tmp_path):
    """The page cache lives while the store's version is unchanged: a prune changes it,
    though it leaves the newest 'updated' as it was."""
    old = record(1, title="旧闻第一号 stale story", pub_date=int(time.time()) - 90 * 86400, source="wire_0")
    fresh = record(2, title="新闻第二号 fresh story", pub_date=int(time.time()) - 3600, source="wire_0")
    write_data(tmp_path / "data" / "wire" / "news.json", [old, fresh])
    settings = Settings(retention_days=30, web_cache_seconds=1)  # unchanged articles: cached until they change
    with Store(db_url) as store:
        import_paths(store, [tmp_path / "data"], settings)
        with running(create_app(store, settings)) as client:
            assert "stale story" in client.get("/").text
            assert len(client.get("/api/articles").json()["articles"]) == 2
            assert sum(prune(store, settings, []).values()) == 1
            time.sleep(1.1)  # the cache reads the version at most once a second
            assert "stale story" not in client.get("/").text and "fresh story" in client.get("/").text
            assert len(client.get("/api/articles").json()["articles"]) == 1


@pytest.mark.slow  # a command-line build
def test_the_per_page_setting_pages_the_served_lists_and_the_built_site(sqlite_url, tmp_path):
    write_data(tmp_path / "data" / "wire" / "news.json", RECORDS)  # 24 articles
    (tmp_path / "settings.toml").write_text("[site]\nper_page = 7\n", encoding="utf-8")
    settings = Settings(site_per_page=7)
    with Store(sqlite_url) as store:
        import_paths(store, [tmp_path / "data"], settings)
        with running(create_app(store, settings)) as client:
            served = [client.get(path).text.count('class="card"') for path in ("/", "/page/1.html", "/page/2.html")]
    config = ("--config", str(tmp_path / "settings.toml"))
    newsdesk(*config, "build", str(tmp_path / "site"), db=sqlite_url, check=True)
    built = [(tmp_path / "site" / p).read_text(encoding="utf-8").count('class="card"') for p in ("index.html",)]
    assert served == [10, 7, 7]  # 24 = 10 on the front page + two full pages of 7
    assert built == [7]  # the home page shows a page of the newest; the archives by month hold the rest
    narrow = newsdesk(*config, "build", str(tmp_path / "narrow"), "--per-page", "3", db=sqlite_url, check=True)
    assert narrow.returncode == 0 and (tmp_path / "narrow" / "index.html").read_text().count('class="card"') == 3


def test_the_tag_widget_is_counted_again_at_most_every_ten_minutes_with_the_cache_on(sqlite_url, tmp_path):
    """A new article shows in the recent widget once the cache sees it; the tag widget's
    counts (a count over every tag) are kept for ``TAG_LIST_SECONDS``."""
    settings = Settings(web_cache_seconds=1)
    first = [
        record(n, title=f"特斯拉(TSLA.O)第{n}号报道", description="<p>特斯拉(TSLA.O)交付量创新高。</p>")
        for n in range(3)
    ]
    later = [
        record(10 + n, title=f"英伟达(NVDA.O)第{n}号报道", description="<p>英伟达(NVDA.O)涨。</p>") for n in range(5)
    ]
    write_data(tmp_path / "one" / "wire" / "news.json", first)
    write_data(tmp_path / "two" / "wire" / "news.json", later)

    def tag_widget(page: str) -> str:
        return page.split('class="widget taglist"', 1)[1].split("</section>", 1)[0]

    with Store(sqlite_url) as store:
        import_paths(store, [tmp_path / "one"], settings)
        counting, counted = threading.Event(), threading.Event()
        tag_counts = store.tag_counts

        def slow_counts(*args: Any, **kwargs: Any) -> Any:  # the counts of a large database: they take a while
            counting.set()
            counted.wait(10)
            return tag_counts(*args, **kwargs)

        store.tag_counts = slow_counts  # type: ignore[method-assign]
        with running(create_app(store, settings)) as client:
            assert counting.wait(10)  # counted from the start, in the background
            assert 'class="widget taglist"' not in client.get("/").text  # pages do not wait for it
            counted.set()
            wait_for(lambda: 'class="widget taglist"' in client.get("/").text, 10, "the tag widget")
            assert "/tags/TSLA/" in tag_widget(client.get("/").text)
            import_paths(store, [tmp_path / "two"], settings)
            time.sleep(2.2)  # past the page cache's second and its version reading
            page = client.get("/").text
            assert "英伟达(NVDA.O)第4号报道" in page  # the recent widget and the list: new
            assert "/tags/NVDA/" not in tag_widget(page)  # the tag widget: not yet
