"""Browser tests: Playwright driving Debian's Chromium against the served app and the static build."""

from __future__ import annotations

import functools
import http.server
import os
import socket
import threading
import time
from pathlib import Path

import pytest
import uvicorn

from newsdesk.config import Settings
from newsdesk.pipeline import import_paths
from newsdesk.publish.site import build_site
from newsdesk.store import Store
from newsdesk.web import create_app
from tests.conftest import ROOT, record, write_data

CHROMIUM = os.environ.get("NEWSDESK_CHROMIUM", "/usr/bin/chromium")
ARTIFACTS = ROOT / "test-artifacts"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]  # fmt: skip
XSS = [
    "<script>window.pwned=1</script>", '<img src="x" onerror="window.pwned=1">', '<svg onload="window.pwned=1"></svg>',
    '<a href="javascript:window.pwned=1" id="js">click</a>', '<iframe srcdoc="<script>parent.pwned=1</script>"></iframe>',
    '<math><mtext><table><mglyph><style><img src=x onerror="window.pwned=1">', '<object data="javascript:window.pwned=1"></object>',
    '<input autofocus onfocus="window.pwned=1">', '<details open ontoggle="window.pwned=1">x</details>',
    '<video><source onerror="window.pwned=1"></video>', '"><script>window.pwned=1</script>',
    '<noscript><p title="</noscript><img src=x onerror=window.pwned=1>"></noscript>',
    '<form><button formaction="javascript:window.pwned=1">go</button></form>', '<body onload="window.pwned=1">',
    '<div style="background:url(javascript:window.pwned=1)">css</div>', '<base href="javascript:window.pwned=1//">',
    '<meta http-equiv="refresh" content="0;url=javascript:window.pwned=1">', '<embed src="javascript:window.pwned=1">',
]  # fmt: skip
RECORDS = [record(n, title=f"美联储第{n}次会议 Fed meeting {n}", image="", pub_date=1738917470 + n) for n in range(23)]
RECORDS += [
    record(50, title="Nvidia slides as DeepSeek rattles chip stocks", language="en", image="", pub_date=1738917000),
    record(66, title='<script>window.pwned=1</script>XSS 测试 "quoted" <img src=x onerror=window.pwned=1>',
           description="<p>正文</p>" + "".join(XSS), image="javascript:window.pwned=1", pub_date=1738916000),
]  # fmt: skip


@pytest.fixture(scope="module")
def browser():
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI"):
            pytest.fail(f"Chromium is required under CI and {CHROMIUM} is missing (make test installs it)")
        pytest.skip(f"{CHROMIUM} is missing: `make test` installs Debian's chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield launched
        launched.close()


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def sites(tmp_path_factory, browser):
    folder = tmp_path_factory.mktemp("browser")
    write_data(folder / "data" / "wire" / "news.json", RECORDS)
    store = Store(f"sqlite:///{folder / 'site.db'}")
    import_paths(store, [folder / "data"], Settings())
    build_site(store, folder / "public", Settings())
    served_port, static_port = _free_port(), _free_port()
    server = uvicorn.Server(uvicorn.Config(create_app(store, Settings()), host="127.0.0.1", port=served_port, log_level="warning"))
    threading.Thread(target=server.run, daemon=True).start()
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(folder / "public"))
    static = http.server.ThreadingHTTPServer(("127.0.0.1", static_port), handler)
    threading.Thread(target=static.serve_forever, daemon=True).start()
    deadline = time.monotonic() + 10
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    xss = next(a.uuid for a in store.iter_articles() if "XSS" in a.title)
    yield {"served": f"http://127.0.0.1:{served_port}/", "static": f"http://127.0.0.1:{static_port}/", "xss": xss,
           "store": store, "folder": folder}  # fmt: skip
    server.should_exit = True
    static.shutdown()
    store.close()


def _page(browser):
    page = browser.new_page()
    errors: list[str] = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))
    return page, errors


@pytest.mark.parametrize("kind", ["served", "static"])
def test_search_box_pager_and_tags_work_without_console_errors(browser, sites, kind):
    page, errors = _page(browser)
    page.goto(sites[kind])
    for query, title in (("美联储 会议", "Fed meeting"), ("deepseek", "Nvidia slides")):
        page.goto(sites[kind])
        page.fill(".widget.search input[name=q]", query)
        page.press(".widget.search input[name=q]", "Enter")
        page.wait_for_selector("#results .card a")
        assert title in page.inner_text("#results")
    page.goto(sites[kind])
    page.click("a.next")
    assert page.url.rstrip("/").endswith("page/1") and page.locator(".card").count() == 10
    page.click("a.prev")
    assert page.url == sites[kind]
    page.click(".widget.taglist a >> nth=0")
    assert "/tags/" in page.url and page.locator(".card").count() >= 1
    ARTIFACTS.mkdir(exist_ok=True)
    page.goto(sites[kind])
    page.screenshot(path=str(ARTIFACTS / f"home-{kind}.png"), full_page=True)
    assert errors == []
    page.close()


@pytest.mark.parametrize("kind", ["served", "static"])
def test_xss_payloads_never_run(browser, sites, kind):
    page, _ = _page(browser)
    for path in (f"posts/{sites['xss']}/", "", "page/2/"):
        page.goto(sites[kind] + path)
        page.wait_for_timeout(300)  # onerror / onload / ontoggle handlers would have fired by now
        assert page.evaluate("typeof window.pwned") == "undefined", path
    if page.locator("#js").count():
        page.click("#js")
        assert page.evaluate("typeof window.pwned") == "undefined"
    page.close()


@pytest.mark.parametrize("kind", ["served", "static"])
def test_traversal_is_404(browser, sites, kind):
    page, _ = _page(browser)
    for path in ("posts/../../../etc/passwd", "posts/%2e%2e/%2e%2e/etc/passwd", "tags/..%2f..%2fsite.db"):
        response = page.request.get(sites[kind] + path)
        assert response.status == 404, path
    page.close()


def test_live_banner_inserts_an_article_imported_while_the_page_is_open(browser, sites):
    page, errors = _page(browser)
    page.goto(sites["served"])
    page.wait_for_selector(".live[data-ready]", state="attached")  # the stream is open
    assert page.locator(".live").is_hidden()
    late = record(900, title="Live: 英伟达 Nvidia (NVDA) 盘后大涨", image="", pub_date=1738999999)
    write_data(sites["folder"] / "late" / "wire" / "news.json", [late])
    import_paths(sites["store"], [sites["folder"] / "late"], Settings())
    page.wait_for_selector(".live:not([hidden]) button", timeout=15_000)
    assert "1 new" in page.inner_text(".live button")
    page.click(".live button")
    assert "盘后大涨" in page.inner_text(".entries > article:first-child")
    assert page.locator(".live").is_hidden()
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "live-banner.png"))
    assert errors == []
    page.close()
