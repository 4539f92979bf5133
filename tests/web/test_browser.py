"""Browser tests: Playwright driving Debian's Chromium against the served app and the static build."""

from __future__ import annotations

import functools
import http.server
import os
import socket
import threading
import time
from datetime import UTC, datetime, timedelta

import httpx
import pytest
import uvicorn

from newsdesk.config import Settings
from newsdesk.models import CalendarEvent
from newsdesk.pipeline import import_paths
from newsdesk.publish.site import build_site
from newsdesk.store import Store
from newsdesk.web import create_app
from tests.conftest import ROOT, noise, record, wait_for, write_data
from tests.web.helpers import PAGED, chromium

pytestmark = pytest.mark.slow

AXE = ROOT / "tools" / "web-checks" / "node_modules" / "axe-core" / "axe.min.js"
ARTIFACTS = ROOT / "test-artifacts"
XSS = [
    "<script>window.pwned=1</script>",
    '<img src="x" onerror="window.pwned=1">',
    '<svg onload="window.pwned=1"></svg>',
    '<a href="javascript:window.pwned=1" id="js">click</a>',
    '<iframe srcdoc="<script>parent.pwned=1</script>"></iframe>',
    '<math><mtext><table><mglyph><style><img src=x onerror="window.pwned=1">',
    '<object data="javascript:window.pwned=1"></object>',
    '<input autofocus onfocus="window.pwned=1">',
    '<details open ontoggle="window.pwned=1">x</details>',
    '<video><source onerror="window.pwned=1"></video>',
    '"><script>window.pwned=1</script>',
    '<noscript><p title="</noscript><img src=x onerror=window.pwned=1>"></noscript>',
    '<form><button formaction="javascript:window.pwned=1">go</button></form>',
    '<body onload="window.pwned=1">',
    '<div style="background:url(javascript:window.pwned=1)">css</div>',
    '<base href="javascript:window.pwned=1//">',
    '<meta http-equiv="refresh" content="0;url=javascript:window.pwned=1">',
    '<embed src="javascript:window.pwned=1">',
]
RECORDS = [record(n, title=f"美联储第{n}次会议 Fed meeting {n}", image="", pub_date=1738917470 + n) for n in range(23)]
RECORDS += [
    record(50, title="Nvidia slides as DeepSeek rattles chip stocks", language="en", image="", pub_date=1738917000),
    *[
        record(
            70 + n,
            title="",
            description=f"【快讯】美国1月非农就业人口增加{n}万人，预期17万人。",
            kind=2,
            image="",
            source="flash_wire",
            pub_date=1738917490 + n,
        )
        for n in range(3)
    ],
    record(
        66,
        title='<script>window.pwned=1</script>XSS 测试 "quoted" <img src=x onerror=window.pwned=1>',
        description="<p>正文</p>" + "".join(XSS),
        image="javascript:window.pwned=1",
        pub_date=1738916000,
    ),
]


@pytest.fixture(scope="module")
def browser():
    with chromium() as launched:
        yield launched


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
    build_site(store, folder / "public", PAGED)
    served_port, static_port = _free_port(), _free_port()
    server = uvicorn.Server(
        uvicorn.Config(create_app(store, PAGED), host="127.0.0.1", port=served_port, log_level="warning")
    )
    threading.Thread(target=server.run, daemon=True).start()
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(folder / "public"))
    static = http.server.ThreadingHTTPServer(("127.0.0.1", static_port), handler)
    threading.Thread(target=static.serve_forever, daemon=True).start()
    deadline = time.monotonic() + 10
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    home = f"http://127.0.0.1:{served_port}/"
    # the tag widget is counted in the background from the start: pages carry it once it is in
    wait_for(lambda: 'class="widget taglist"' in httpx.get(home).text, 10, "the served tag widget")
    xss = next(a.uuid for a in store.iter_articles() if "XSS" in a.title)
    yield {
        "served": f"http://127.0.0.1:{served_port}/",
        "static": f"http://127.0.0.1:{static_port}/",
        "xss": xss,
        "store": store,
        "folder": folder,
    }
    server.should_exit = True
    static.shutdown()
    store.close()


def _page(browser):
    page = browser.new_page()
    errors: list[str] = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))
    return page, errors


def _finish(page, errors: list[str], screenshot: str | None = None) -> None:
    """A screenshot into test-artifacts/, no console errors, the page closed."""
    if screenshot:
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / screenshot))
    assert errors == []
    page.close()


@pytest.mark.parametrize("kind", ["served", "static"])
def test_search_box_pager_and_tags_work_without_console_errors(browser, sites, kind):
    page, errors = _page(browser)
    page.goto(sites[kind])
    for query, title in (("美联储 会议", "Fed meeting"), ("deepseek", "Nvidia slides")):
        page.goto(sites[kind])
        page.fill(".header-search input[name=q]", query)
        page.press(".header-search input[name=q]", "Enter")
        page.wait_for_selector("#results .card a")
        assert title in page.inner_text("#results")
    page.goto(sites[kind])
    page.click("a.next")
    page.wait_for_load_state()
    month = page.url  # the static home leads to this month's archive, which pages like the served home
    if kind == "static":
        assert month.endswith("/archive/2025/02/") and page.locator(".card").count() >= 10
        page.click("a.next")
    page.wait_for_load_state()  # the address changes when the next page commits, its cards come after
    if kind == "served":  # numbered from the oldest
        assert page.url.endswith("page/1.html") and page.locator(".card").count() == 10
    else:  # named by its newest article, as the articles cut the list
        assert "/archive/2025/02/page/" in page.url and page.locator(".card").count() >= 5
    page.click("a.prev")
    assert page.url == (month if kind == "static" else sites[kind])
    page.click(".widget.taglist a >> nth=0")
    assert "/tags/" in page.url and page.locator(".card, .flash").count() >= 1
    ARTIFACTS.mkdir(exist_ok=True)
    page.goto(sites[kind])
    page.screenshot(path=str(ARTIFACTS / f"home-{kind}.png"), full_page=True)
    assert errors == []
    page.close()


@pytest.mark.parametrize("kind", ["served", "static"])
def test_xss_payloads_never_run(browser, sites, kind):
    page, _ = _page(browser)
    for path in (f"posts/{sites['xss']}.html", "", "page/2.html"):
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
    page.wait_for_selector(".entries > article:first-child:has-text('盘后大涨')", timeout=10_000)
    assert page.locator(".live").is_hidden()
    _finish(page, errors, "live-banner.png")


def test_top_stories_mark_new_outlets_and_count_new_stories_while_open(browser, sites):
    now = int(time.time())
    title = "实时头条测试：央行宣布下调存款准备金率0.5个百分点"
    body = f"<p>{noise(901)}</p>"
    first = record(901, title=title, description=body, image="", source="wire_live_a", pub_date=now - 120)
    write_data(sites["folder"] / "story1" / "wire" / "news.json", [first])
    import_paths(sites["store"], [sites["folder"] / "story1"], Settings())
    page, errors = _page(browser)
    page.goto(sites["served"] + "stories/")
    page.wait_for_selector(".live[data-ready]", state="attached")
    story = page.locator(".story", has_text="实时头条测试").first
    assert story.locator(".grew").is_hidden()
    again = record(902, title=title, description=body, image="", source="wire_live_b", pub_date=now - 60)
    other = record(903, title="另一条新闻：港股收市恒指升1.2%报20500点", description=f"<p>{noise(903)}</p>",
                   image="", source="wire_live_c", pub_date=now)  # fmt: skip
    write_data(sites["folder"] / "story2" / "wire" / "news.json", [again, other])
    import_paths(sites["store"], [sites["folder"] / "story2"], Settings())
    page.wait_for_selector(".story .grew:not([hidden])", timeout=15_000)
    assert story.locator(".grew").inner_text() == "+1 outlet"
    page.wait_for_selector(".live:not([hidden]) button", timeout=15_000)
    assert "1 new story" in page.inner_text(".live button")
    _finish(page, errors, "top-stories-live.png")


def test_flashes_are_a_timeline_and_articles_are_cards(browser, sites):
    page, errors = _page(browser)
    page.goto(sites["served"])
    flash = page.locator("article.flash").first
    assert flash.locator("time").inner_text().count(":") == 1  # the time column: HH:MM
    assert "非农就业" in flash.inner_text() and flash.locator("h2").count() == 0  # no invented headline
    card = page.locator("article.card").first
    assert card.locator("h2").count() == 1 and "UTC+08" in card.locator(".meta").inner_text()
    _finish(page, errors, "timeline.png")


def test_filters_are_url_parameters_kept_by_the_pager(browser, sites):
    page, errors = _page(browser)
    page.goto(sites["served"])
    page.click("details.filters summary")
    page.fill("details.filters input[name=source]", "flash_wire")
    page.click("details.filters button[type=submit]")
    assert "source=flash_wire" in page.url
    assert page.locator(".entries > article").count() == 3 and page.locator(".entries > article.card").count() == 0
    assert "source: flash_wire" in page.inner_text("details.filters summary")
    page.goto(sites["served"] + "?lang=zh")
    page.click("a.next")
    page.wait_for_selector(".entries > article")  # the click commits the navigation; the page may still load
    assert "lang=zh" in page.url and page.locator(".entries > article").count() >= 1
    _finish(page, errors, "filters.png")


def test_sources_page_lists_each_source_with_its_state(browser, sites):
    page, errors = _page(browser)
    page.goto(sites["served"] + "sources/")
    rows = page.locator("table.sources tbody tr")
    assert rows.count() >= 60  # the catalog, and the imported sources
    assert "金十数据" in page.inner_text("table.sources")  # display names from the catalog
    assert page.locator("form.admin").count() == 0  # no admin token configured: no buttons
    _finish(page, errors, "sources.png")


def test_at_phone_width_the_search_box_is_on_top_and_five_items_fit(browser, sites):
    context = browser.new_context(viewport={"width": 390, "height": 844}, device_scale_factor=1, is_mobile=True)
    page = context.new_page()
    for kind in ("served", "static"):
        page.goto(sites[kind])
        box = page.locator(".header-search input")
        assert box.is_visible() and box.bounding_box()["y"] < 100
        tops = page.eval_on_selector_all(
            ".entries > article, main > article", "items => items.map(i => i.getBoundingClientRect().bottom)"
        )
        assert sum(bottom <= 844 for bottom in tops) >= 5, kind
        assert page.evaluate("document.documentElement.scrollWidth") <= 390  # nothing sticks out sideways
        page.screenshot(path=str(ARTIFACTS / f"phone-{kind}.png"))
    box.fill("美联储")
    box.press("Enter")
    page.wait_for_selector("#results .card")
    context.close()


@pytest.mark.parametrize(
    "path", ["", "posts/{xss}.html", "search/?q=Fed", "sources/", "tags/flash_wire/", "stories/", "calendar/?week=1"]
)
def test_no_serious_accessibility_violations(browser, sites, path):
    if not AXE.exists():
        if os.environ.get("CI"):
            pytest.fail(f"axe-core is required under CI ({AXE}): make test installs it")
        pytest.skip("axe-core is missing: `make web-checks` installs it")
    context = browser.new_context(bypass_csp=True)  # axe is injected as a script the CSP would refuse
    page = context.new_page()
    page.goto(sites["served"] + path.format(xss=sites["xss"]))
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    serious = [
        (v["id"], v["impact"], len(v["nodes"])) for v in result["violations"] if v["impact"] in ("serious", "critical")
    ]
    assert serious == []
    context.close()


def test_the_calendar_page_lists_the_weeks_events_and_filters_by_importance(browser, sites):
    soon = datetime.now(UTC).replace(microsecond=0) + timedelta(minutes=30)
    events = [
        CalendarEvent("cal", "1", "核心CPI月率", "美国", "US", 3, soon, "https://example.com/cal/1", actual="0.4",
                      forecast="0.3", previous="0.2", unit="%", period="1月"),
        CalendarEvent("cal", "2", "季调后经常账", "日本", "JP", 1, soon, "https://example.com/cal/2", forecast="1.2"),
    ]  # fmt: skip
    sites["store"].save_events(events)
    page, errors = _page(browser)
    page.goto(sites["served"] + "calendar/?week=1")
    rows = page.locator("tr.event")
    assert rows.count() == 2 and page.locator("tr.event.important strong").inner_text() == "0.4%"
    page.select_option("select[name=stars]", "3")
    page.click("form.filters button[type=submit]")
    page.wait_for_url("**stars=3**")
    assert page.locator("tr.event").count() == 1 and "核心CPI月率" in page.locator("tr.event").inner_text()
    _finish(page, errors, "calendar.png")
