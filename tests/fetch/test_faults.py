"""The fault suite: hostile and broken servers on 127.0.0.1. Each fault ends with
that source marked failing with the reason, the other sources fetched, nothing
already stored lost, and the process still running."""

from __future__ import annotations

import json
import socket
import struct
import threading
import time

import pytest
from werkzeug import Response

from newsdesk.config import Settings
from newsdesk.sources.catalog import Source
from newsdesk.store import Store
from tests.fetch.conftest import SETTINGS, run

GOOD = json.dumps({"items": [{"t": "正常的新闻 good news", "u": "https://good.example.com/a/1"}]})


def _source(name: str, url: str, **fields) -> Source:
    options = {"kind": "json", "items": "items", "fields": {"title": "t", "link": "u"}, "timeout": 2.0, **fields}
    options.setdefault("allow_private", True)
    return Source(name=name, url=url, file=f"test:{name}", **options)


def _drip(request):
    def slowly():
        for _ in range(20):
            yield b" "
            time.sleep(0.2)

    return Response(slowly(), content_type="application/json")


def _sleep(request):
    time.sleep(3)
    return Response(GOOD, content_type="application/json")


FAULTS = {
    "timeout": (lambda s: s.expect_request("/f").respond_with_handler(_sleep), "timed out"),
    "slow_drip": (lambda s: s.expect_request("/f").respond_with_handler(_drip), "timed out"),
    "not_found": (lambda s: s.expect_request("/f").respond_with_data("no", status=404), "HTTP 404"),
    "server_error": (lambda s: s.expect_request("/f").respond_with_data("boom", status=500), "HTTP 500"),
    "unavailable": (lambda s: s.expect_request("/f").respond_with_data("later", status=503), "HTTP 503"),
    "too_many": (
        lambda s: s.expect_request("/f").respond_with_data("slow down", status=429, headers={"Retry-After": "3600"}),
        "Retry-After 3600",
    ),
    "oversized": (
        lambda s: s.expect_request("/f").respond_with_data(
            b"[" + b" " * 300_000 + b"]", content_type="application/json"
        ),
        "larger than",
    ),
    "malformed_json": (
        lambda s: s.expect_request("/f").respond_with_data('{"items": [', content_type="application/json"),
        "malformed JSON",
    ),
    "wrong_shape": (
        lambda s: s.expect_request("/f").respond_with_data('{"items": {"a": 1}}', content_type="application/json"),
        "not a list",
    ),
    "redirect_loop": (
        lambda s: s.expect_request("/f").respond_with_data("", status=302, headers={"Location": "/f"}),
        "redirects",
    ),
    "redirect_off_http": (
        lambda s: s.expect_request("/f").respond_with_data("", status=302, headers={"Location": "ftp://x/"}),
        "off http",
    ),
}


@pytest.mark.parametrize("fault", sorted(FAULTS))
def test_a_fault_fails_its_source_only(fault, httpserver, sqlite_url):
    arrange, reason = FAULTS[fault]
    arrange(httpserver)
    httpserver.expect_request("/good").respond_with_data(GOOD, content_type="application/json")
    settings = Settings(fetch_host_delay=0.0, fetch_retries=0, fetch_max_bytes=100_000, import_workers=1)
    bad, good = _source("bad", httpserver.url_for("/f")), _source("good", httpserver.url_for("/good"))
    with Store(sqlite_url) as store:
        run([good], store, settings)
        stored = store.count()
        results = {r.name: r for r in run([bad, good], store, settings)}
        health = store.health()
        assert store.count() == stored == 1  # nothing committed is lost
    assert results["bad"].state == "failing" and reason in results["bad"].error, results["bad"].error
    assert health["bad"].state == "failing" and reason in health["bad"].last_error and health["bad"].failures == 1
    assert results["good"].state == "ok" and health["good"].failures == 0


def test_html_and_xml_that_are_not_documents_fail_with_the_reason(httpserver, sqlite_url):
    httpserver.expect_request("/rss").respond_with_data(
        "<rss><channel><item><title>unclosed", content_type="application/xml"
    )
    httpserver.expect_request("/html").respond_with_data("", content_type="text/html")
    rss = Source(name="broken_rss", kind="rss", url=httpserver.url_for("/rss"), file="t")
    page = Source(
        name="broken_html",
        kind="html",
        url=httpserver.url_for("/html"),
        file="t",
        items="li",
        fields={"title": "a", "link": "a@href"},
    )
    with Store(sqlite_url) as store:
        results = {r.name: r for r in run([rss, page], store)}
    assert results["broken_html"].state == "failing" and "empty or not HTML" in results["broken_html"].error
    # the feed reader keeps what it can of a truncated feed: an item with no link breaks the contract
    assert results["broken_rss"].state == "drifted" and "an item has no title, link" in results["broken_rss"].error


def test_connection_reset_is_retried_then_fails(sqlite_url):
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    accepted = []

    def reset() -> None:
        while True:
            try:
                conn, _ = listener.accept()
            except OSError:
                return
            accepted.append(conn)
            conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            conn.recv(1024)
            conn.close()  # RST, not FIN

    threading.Thread(target=reset, daemon=True).start()
    source = _source("reset", f"http://127.0.0.1:{listener.getsockname()[1]}/f")
    with Store(sqlite_url) as store:
        [result] = run([source], store)
    listener.close()
    assert result.state == "failing" and "fetching" in result.error and len(accepted) == 2  # one retry


def test_429_with_a_short_retry_after_is_waited_for_and_retried(httpserver, sqlite_url):
    httpserver.expect_ordered_request("/f").respond_with_data("wait", status=429, headers={"Retry-After": "1"})
    httpserver.expect_ordered_request("/f").respond_with_data(GOOD, content_type="application/json")
    with Store(sqlite_url) as store:
        started = time.monotonic()
        [result] = run([_source("patient", httpserver.url_for("/f"))], store)
    assert result.state == "ok" and result.new == 1 and time.monotonic() - started >= 1


def test_a_body_in_another_charset_than_declared_is_read_right(httpserver, sqlite_url):
    body = json.dumps({"items": [{"t": "人民币汇率走强", "u": "https://x.example.com/1"}]}, ensure_ascii=False).encode(
        "gbk"
    )
    httpserver.expect_request("/f").respond_with_data(body, content_type="application/json; charset=iso-8859-1")
    with Store(sqlite_url) as store:
        [result] = run([_source("gbk", httpserver.url_for("/f"))], store)
        [article] = list(store.iter_articles())
    assert result.state == "ok" and article.title == "人民币汇率走强"


def test_items_with_non_http_links_are_dropped_and_the_rest_kept(httpserver, sqlite_url):
    items = [
        {"t": "bad link", "u": "javascript:alert(1)"},
        {"t": "file link", "u": "file:///etc/passwd"},
        {"t": "fine 好", "u": "https://x.example.com/ok"},
    ]
    httpserver.expect_request("/f").respond_with_data(json.dumps({"items": items}), content_type="application/json")
    with Store(sqlite_url) as store:
        [result] = run([_source("links", httpserver.url_for("/f"))], store)
        titles = [a.title for a in store.iter_articles()]
    assert result.state == "ok" and titles == ["fine 好"] and result.rejected == 2


def test_a_plugin_that_raises_fails_its_source(httpserver, sqlite_url):
    httpserver.expect_request("/good").respond_with_data(GOOD, content_type="application/json")
    plugin = _source("plugin", "https://unused.example.com/", plugin="tests.fetch.plugins:explode")
    working = _source("plugin_ok", "https://unused.example.com/", plugin="tests.fetch.plugins:two_items")
    with Store(sqlite_url) as store:
        results = {r.name: r for r in run([plugin, working, _source("good", httpserver.url_for("/good"))], store)}
    assert results["plugin"].state == "failing" and "ZeroDivisionError" in results["plugin"].error
    assert results["plugin_ok"].state == "ok" and results["plugin_ok"].new == 2 and results["good"].state == "ok"


def test_a_missing_secret_fails_without_showing_other_values(httpserver, sqlite_url, monkeypatch):
    monkeypatch.delenv("NEWSDESK_TEST_TOKEN", raising=False)
    source = _source("secret", httpserver.url_for("/f"), headers={"authorization": "Bearer ${NEWSDESK_TEST_TOKEN}"})
    with Store(sqlite_url) as store:
        [result] = run([source], store, SETTINGS)
    assert result.state == "failing" and "NEWSDESK_TEST_TOKEN is not set" in result.error


def test_a_secret_in_a_url_never_reaches_the_error_or_the_health(httpserver, sqlite_url, monkeypatch):
    monkeypatch.setenv("NEWSDESK_TEST_KEY", "k3y-very-secret")
    httpserver.expect_request("/f").respond_with_data("no", status=404)
    source = _source("keyed", httpserver.url_for("/f") + "?apikey=${NEWSDESK_TEST_KEY}")
    with Store(sqlite_url) as store:
        [result] = run([source], store, SETTINGS)
        health = store.health()["keyed"]
    sent = [request.args.get("apikey") for request, _ in httpserver.log]
    assert sent == ["k3y-very-secret"]  # the site gets it
    assert "k3y-very-secret" not in result.error and "k3y-very-secret" not in health.last_error
    assert "apikey=${NEWSDESK_TEST_KEY}" in result.error


def test_a_detail_extractor_that_raises_fails_its_source_with_the_reason(httpserver, sqlite_url):
    from newsdesk.sources.catalog import Detail

    listing = {"items": [{"t": "需要代码的页面", "u": httpserver.url_for("/page")}]}
    httpserver.expect_request("/f").respond_with_data(json.dumps(listing), content_type="application/json")
    httpserver.expect_request("/page").respond_with_data("<html><body>odd</body></html>", content_type="text/html")
    source = _source("extracting", httpserver.url_for("/f"), detail=Detail(extract="tests.fetch.plugins:explode_page"))
    with Store(sqlite_url) as store:
        [result] = run([source], store)
        assert store.count() == 0
    assert result.state == "failing" and "detail.extract raised ValueError" in result.error


def test_readability_finds_the_text_when_a_source_gives_no_selector(httpserver, sqlite_url):
    from newsdesk.sources.catalog import Detail

    article = (
        "<html><body><nav>Home | Markets | Login</nav><article><h1>Copper hits record</h1>"
        + "<p>Copper prices rose to a record on Friday as supply from Chile fell sharply. </p>" * 6
        + "</article><footer>© Example Media · Subscribe now</footer></body></html>"
    )
    listing = {"items": [{"t": "Copper hits record", "u": httpserver.url_for("/copper")}]}
    httpserver.expect_request("/f").respond_with_data(json.dumps(listing), content_type="application/json")
    httpserver.expect_request("/copper").respond_with_data(article, content_type="text/html")
    with Store(sqlite_url) as store:
        [result] = run([_source("readable", httpserver.url_for("/f"), detail=Detail())], store)
        [stored] = list(store.iter_articles())
    assert result.state == "ok" and "supply from Chile" in stored.text
    assert "Subscribe now" not in stored.text and "Login" not in stored.text


def test_the_browser_tls_backend_fetches_lists_and_pages_with_the_same_limits(httpserver, sqlite_url):
    pytest.importorskip("curl_cffi", reason="curl_cffi is in the test extras (make test installs it)")
    listing = {"items": [{"t": "经由浏览器指纹 fetched like Chrome", "u": httpserver.url_for("/p")}]}
    httpserver.expect_request("/f").respond_with_data(json.dumps(listing), content_type="application/json")
    httpserver.expect_request("/p").respond_with_data("<div class='a'><p>正文 body</p></div>", content_type="text/html")
    httpserver.expect_request("/big").respond_with_data(b"[" + b" " * 300_000 + b"]", content_type="application/json")
    httpserver.expect_request("/gone").respond_with_data("no", status=404)
    from newsdesk.sources.catalog import Detail

    settings = Settings(fetch_host_delay=0.0, fetch_retries=0, fetch_max_bytes=100_000, import_workers=1)
    sources = [
        _source("chrome", httpserver.url_for("/f"), backend="curl_cffi", detail=Detail(content=(".a",))),
        _source("chrome_big", httpserver.url_for("/big"), backend="curl_cffi"),
        _source("chrome_gone", httpserver.url_for("/gone"), backend="curl_cffi"),
    ]
    with Store(sqlite_url) as store:
        results = {r.name: r for r in run(sources, store, settings)}
        titles = [a.title for a in store.iter_articles()]
    assert results["chrome"].state == "ok" and titles == ["经由浏览器指纹 fetched like Chrome"]
    assert "larger than" in results["chrome_big"].error and "HTTP 404" in results["chrome_gone"].error
    agents = {request.headers.get("User-Agent", "") for request, _ in httpserver.log}
    assert all("Chrome" in agent for agent in agents), agents


def test_a_page_without_its_embedded_json_fails_with_the_reason(httpserver, sqlite_url):
    httpserver.expect_request("/f").respond_with_data(
        "<html><body><p>redesigned</p></body></html>", content_type="text/html"
    )
    source = _source("next_page", httpserver.url_for("/f"), json_in="script#__NEXT_DATA__")
    with Store(sqlite_url) as store:
        [result] = run([source], store)
    assert result.state == "failing" and "no script#__NEXT_DATA__ in the page" in result.error
