"""Source health, alerts on state changes only, contracts, conditional GET,
market-hours schedules and per-source time zones; the fetch/sources commands."""

from __future__ import annotations

import json
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from newsdesk.config import Settings
from newsdesk.sources.catalog import Contract, Source, load_source
from newsdesk.store import Store
from tests.conftest import newsdesk, start_newsdesk
from tests.fetch.conftest import run

ITEMS = {
    "items": [
        {"t": "第一条 first", "u": "https://x.example.com/1", "d": "2025-02-07 09:30:00"},
        {"t": "第二条 second", "u": "https://x.example.com/2", "d": "2025-02-07 10:00:00"},
    ]
}


def _source(url: str, **fields) -> Source:
    options = {"kind": "json", "items": "items", "fields": {"title": "t", "link": "u", "published": "d"}, **fields}
    options.setdefault("allow_private", True)
    return Source(name="watched", url=url, file="test", **options)


def test_the_webhook_hears_of_state_changes_once_not_of_every_run(httpserver, sqlite_url):
    httpserver.expect_request("/hook", method="POST").respond_with_data("ok")
    settings = Settings(
        fetch_host_delay=0.0,
        fetch_retries=0,
        import_workers=1,
        alerts_after_failures=3,
        alerts_webhook=httpserver.url_for("/hook"),
        alerts_notify=f"json://127.0.0.1:{httpserver.port}/apprise",
    )  # the same news through Apprise
    httpserver.expect_request("/apprise", method="POST").respond_with_data("ok")
    broken = _source(httpserver.url_for("/broken"))
    httpserver.expect_request("/broken").respond_with_data("down", status=500)
    with Store(sqlite_url) as store:
        states = [run([broken], store, settings)[0].state for _ in range(5)]
        failures = store.health()["watched"].failures
        httpserver.expect_request("/fixed").respond_with_data(json.dumps(ITEMS), content_type="application/json")
        fixed = _source(httpserver.url_for("/fixed"))
        healed = [run([fixed], store, settings)[0].state for _ in range(2)]
    alerts = [json.loads(r.data)["text"] for r, _ in httpserver.log if r.path == "/hook"]
    assert states == ["failing"] * 5 and failures == 5 and healed == ["ok", "ok"]
    assert len(alerts) == 2 and "failing (3 runs in a row)" in alerts[0] and "HTTP 500" in alerts[0]
    assert alerts[1] == "newsdesk: source watched recovered"
    told = [json.loads(r.data) for r, _ in httpserver.log if r.path == "/apprise"]
    assert [t["message"] for t in told] == alerts and told[0]["title"] == "newsdesk: source watched"


def test_a_run_that_breaks_the_contract_drifts_keeps_the_sample_and_alerts_once(httpserver, sqlite_url, tmp_path):
    httpserver.expect_request("/hook", method="POST").respond_with_data("ok")
    good = dict(ITEMS)
    bad = {
        "items": [
            {"t": "第三条 third", "u": "https://x.example.com/3", "d": "2025-02-07 11:00:00"},
            {"t": "第四条 fourth", "u": "https://x.example.com/4", "d": "yesterday-ish"},
        ]
    }
    httpserver.expect_oneshot_request("/list").respond_with_data(json.dumps(good), content_type="application/json")
    httpserver.expect_request("/list").respond_with_data(json.dumps(bad), content_type="application/json")
    settings = Settings(fetch_host_delay=0.0, import_workers=1, alerts_webhook=httpserver.url_for("/hook"))
    source = _source(httpserver.url_for("/list"), contract=Contract(min_items=1, published=True))
    with Store(sqlite_url) as store:
        results = [run([source], store, settings)[0] for _ in range(3)]
        health = store.health()["watched"]
        assert store.count() == 4  # a drifted run still stores what it got
    assert [r.state for r in results] == ["ok", "drifted", "drifted"]
    assert "unreadable date 'yesterday-ish'" in health.last_error and health.bad_sample["title"] == "第四条 fourth"
    assert health.last_good["title"] == "第一条 first"
    alerts = [json.loads(r.data)["text"] for r, _ in httpserver.log if r.path == "/hook"]
    assert len(alerts) == 1 and "drifted" in alerts[0]


def test_list_urls_are_fetched_with_conditional_get(httpserver, sqlite_url):
    httpserver.expect_ordered_request("/list").respond_with_data(
        json.dumps(ITEMS), content_type="application/json", headers={"ETag": '"v1"'}
    )
    httpserver.expect_ordered_request("/list", headers={"If-None-Match": '"v1"'}).respond_with_data("", status=304)
    with Store(sqlite_url) as store:
        first, second = (run([_source(httpserver.url_for("/list"))], store)[0] for _ in range(2))
        health = store.health()["watched"]
    assert first.new == 2 and second.not_modified and second.state == "ok" and health.validators == {"etag": '"v1"'}


def test_naive_dates_are_read_in_the_source_time_zone(httpserver, sqlite_url):
    httpserver.expect_request("/list").respond_with_data(json.dumps(ITEMS), content_type="application/json")
    with Store(sqlite_url) as store:
        run([_source(httpserver.url_for("/list"), timezone="America/New_York")], store)
        dates = sorted(a.published for a in store.iter_articles())
    assert dates[0] == datetime(2025, 2, 7, 9, 30, tzinfo=ZoneInfo("America/New_York"))  # 14:30 UTC, market open
    shanghai = _source("https://x/", timezone="Asia/Shanghai")
    from newsdesk.sources.dates import parse_published

    assert parse_published("2025-02-07 09:30:00", shanghai.tz).utcoffset().total_seconds() == 8 * 3600
    assert parse_published("Fri, 07 Feb 2025 08:37:50 GMT", shanghai.tz) == datetime(
        2025, 2, 7, 8, 37, 50, tzinfo=ZoneInfo("UTC")
    )
    assert parse_published("2025年02月07日 09:30", shanghai.tz) == datetime(
        2025, 2, 7, 9, 30, tzinfo=ZoneInfo("Asia/Shanghai")
    )


def test_market_hours_schedule(tmp_path):
    path = tmp_path / "live.yaml"
    path.write_text("""name: live_news
kind: rss
url: https://live.example.com/feed
schedule:
  timezone: America/New_York
  windows:
    - {days: mon-fri, from: "09:30", to: "16:00", interval: 60}
    - {days: sun-thu, from: "20:00", to: "02:00", interval: 300}
  interval: 1800
""")
    schedule = load_source(path).schedule
    new_york = ZoneInfo("America/New_York")
    assert schedule.interval_at(datetime(2025, 2, 7, 10, 0, tzinfo=new_york)) == 60  # Friday, market open
    assert schedule.interval_at(datetime(2025, 2, 7, 16, 0, tzinfo=new_york)) == 1800  # the close
    assert schedule.interval_at(datetime(2025, 2, 8, 10, 0, tzinfo=new_york)) == 1800  # Saturday
    assert schedule.interval_at(datetime(2025, 2, 9, 21, 0, tzinfo=new_york)) == 300  # Sunday evening, Asia trades
    assert schedule.interval_at(datetime(2025, 2, 10, 1, 0, tzinfo=new_york)) == 300  # after midnight, Sunday's window
    assert schedule.interval_at(datetime(2025, 2, 7, 15, 0, tzinfo=ZoneInfo("UTC"))) == 60  # 10:00 in New York


@pytest.mark.slow  # several command-line processes
def test_fetch_and_sources_commands(httpserver, tmp_path, sqlite_url):
    httpserver.expect_request("/list").respond_with_data(json.dumps(ITEMS), content_type="application/json")
    httpserver.expect_request("/nothing-here").respond_with_data("gone", status=404)
    folder = tmp_path / "sources"
    folder.mkdir()
    (folder / "mine.yaml").write_text(f"""name: mine
kind: json
url: {httpserver.url_for("/list")}
items: items
fields: {{title: t, link: u, published: d}}
language: zh-CN
""")
    (folder / "down.yaml").write_text(f"name: down\nkind: rss\nurl: {httpserver.url_for('/nothing-here')}\n")
    config = tmp_path / "settings.toml"
    config.write_text("[fetch]\nhost_delay = 0\nretries = 0\n")
    fetched = newsdesk(
        "--config", str(config), "fetch", "mine", "down", "--sources", str(folder), "--json", db=sqlite_url
    )
    lines = {json.loads(line)["name"]: json.loads(line) for line in fetched.stdout.splitlines()}
    assert fetched.returncode == 1 and lines["mine"]["new"] == 2 and lines["down"]["state"] == "failing"
    listed = newsdesk("sources", "--sources", str(folder), "--json", db=sqlite_url, check=True)
    rows = {row["name"]: row for row in map(json.loads, listed.stdout.splitlines())}
    assert (
        rows["mine"]["state"] == "ok"
        and rows["down"]["state"] == "failing"
        and "HTTP 404" in rows["down"]["last_error"]
    )
    assert "jin10_articles_articles" in rows and rows["fx168"]["enabled"] is False
    shown = json.loads(
        newsdesk("sources", "--sources", str(folder), "show", "down", "--json", db=sqlite_url, check=True).stdout
    )
    assert shown["failures"] == 1 and shown["file"].endswith("down.yaml")
    readable = newsdesk("sources", "--sources", str(folder), "show", "down", db=sqlite_url, check=True).stdout
    assert "state: failing" in readable and "failures: 1" in readable and not readable.lstrip().startswith("{")
    table = newsdesk(
        "sources", "--sources", str(folder), db=sqlite_url, env={"COLUMNS": "80"}, check=True
    ).stderr.splitlines()
    assert all(len(line) <= 80 for line in table) and len(table) == len(rows) + 1  # one line a source, and a header
    down = next(line for line in table if line.startswith("down "))
    assert "failing" in down and "HTTP 404" in down
    wide = newsdesk(
        "sources", "--sources", str(folder), "--wide", db=sqlite_url, env={"COLUMNS": "200"}, check=True
    ).stderr
    assert "failures" in wide and "enabled" in wide
    unknown = newsdesk("fetch", "nope", db=sqlite_url)
    assert unknown.returncode == 2 and "no source named nope" in unknown.stderr


@pytest.mark.slow
def test_run_fetches_on_intervals_and_stops_cleanly_on_sigterm(httpserver, tmp_path, sqlite_url):
    import signal
    import threading
    import time

    stopped, requested = threading.Event(), threading.Event()

    def slow(request):
        requested.set()
        stopped.wait(30)  # SIGTERM arrives while this page is being fetched
        from werkzeug import Response

        return Response("<div class='a'><p>慢慢来的正文 slow body</p></div>", content_type="text/html")

    listing = {"items": [{"t": "守护进程 daemon news", "u": httpserver.url_for("/page/1"), "d": "2025-02-07 09:30:00"}]}
    httpserver.expect_request("/list").respond_with_data(json.dumps(listing), content_type="application/json")
    httpserver.expect_request("/page/1").respond_with_handler(slow)
    httpserver.expect_request("/quick").respond_with_data(json.dumps({"items": []}), content_type="application/json")
    folder = tmp_path / "sources"
    folder.mkdir()
    (folder / "slow.yaml").write_text(
        f"name: slow\nkind: json\nurl: {httpserver.url_for('/list')}\nitems: items\n"
        "fields: {title: t, link: u, published: d}\ndetail: {content: ['.a']}\ninterval: 60\nallow_private: true\n"
    )
    (folder / "quick.yaml").write_text(
        f"name: quick\nkind: json\nurl: {httpserver.url_for('/quick')}\nitems: items\n"
        "fields: {title: t, link: u}\ninterval: 1\ncontract: {min_items: 0}\n"
    )
    config = tmp_path / "settings.toml"
    config.write_text("[fetch]\nhost_delay = 0\n")
    args = ["--config", str(config), "run", "slow", "quick", "--sources", str(folder), "--json"]
    daemon = start_newsdesk(*args, db=sqlite_url)
    deadline = time.monotonic() + 30
    assert requested.wait(30), "the slow page was never requested"
    while sum(r.path == "/quick" for r, _ in httpserver.log) < 2 and time.monotonic() < deadline:
        time.sleep(0.1)  # quick runs every second meanwhile; the page is still on its way
    daemon.send_signal(signal.SIGTERM)
    stopped.set()
    out, errors = daemon.communicate(timeout=30)
    runs = [json.loads(line) for line in out.splitlines()]
    assert daemon.returncode == 0 and "stopped" in errors
    assert sum(r["name"] == "quick" for r in runs) >= 2 and all(r["state"] == "ok" for r in runs)
    with Store(sqlite_url) as store:
        [article] = list(store.iter_articles())  # the run in flight at SIGTERM finished its write
    assert article.title == "守护进程 daemon news" and "slow body" in article.text


def test_a_source_run_survives_a_database_that_is_gone(httpserver, tmp_path):
    """The store cannot be reached: the run ends failing with the reason, nothing raises."""
    httpserver.expect_request("/list").respond_with_data(json.dumps(ITEMS), content_type="application/json")
    store = Store(f"sqlite:///{tmp_path / 'db.sqlite'}")
    store.count()
    (tmp_path / "db.sqlite").unlink()
    (tmp_path / "db.sqlite").mkdir()  # a folder where the database was: every connection fails
    store.engine.dispose()
    [result] = run([_source(httpserver.url_for("/list"))], store)
    store.close()
    assert result.state == "failing" and "store" in result.error


def test_sources_test_live_shows_what_a_source_yields_and_masks_secrets(httpserver, tmp_path, sqlite_url):
    httpserver.expect_request("/list").respond_with_data(json.dumps(ITEMS), content_type="application/json")
    httpserver.expect_request("/down").respond_with_data("no", status=500)
    folder = tmp_path / "sources"
    folder.mkdir()
    (folder / "mine.yaml").write_text(
        f"name: mine\nkind: json\nurl: {httpserver.url_for('/list')}\nitems: items\nfields: {{title: t, link: u}}\n"
    )
    (folder / "down.yaml").write_text(
        f"name: down\nkind: rss\nurl: {httpserver.url_for('/down')}?key=${{NEWSDESK_TEST_KEY}}\n"
    )
    config = tmp_path / "settings.toml"
    config.write_text("[fetch]\nretries = 0\n")
    shown = newsdesk(
        "--config",
        str(config),
        "sources",
        "--sources",
        str(folder),
        "test",
        "mine",
        "--live",
        db=sqlite_url,
        check=True,
    )
    assert [json.loads(line)["title"] for line in shown.stdout.splitlines()] == ["第一条 first", "第二条 second"]
    failed = newsdesk(
        "--config",
        str(config),
        "sources",
        "--sources",
        str(folder),
        "test",
        "down",
        "--live",
        db=sqlite_url,
        env={"NEWSDESK_TEST_KEY": "sekrit-value"},
    )
    assert (
        failed.returncode == 1 and "HTTP 500" in failed.stderr and "sekrit-value" not in failed.stderr + failed.stdout
    )
    assert (
        newsdesk("sources", "--sources", str(folder), "test", "down", db=sqlite_url, check=True).returncode == 0
    )  # definition only


def test_one_run_of_a_source_at_a_time_and_counters_that_add_up(httpserver, db_url):
    """Three concurrent runs of a failing source: they take turns (each waits for the
    lease) and all three failures count; one that may not wait answers busy."""
    import asyncio
    import time as clock

    from werkzeug import Response

    from newsdesk.fetch.client import Fetcher
    from newsdesk.fetch.documents import limits_from
    from newsdesk.pipeline.refresh import fetch_source

    def slow_failure(request):
        clock.sleep(0.5)
        return Response("down", status=500)

    httpserver.expect_request("/down").respond_with_handler(slow_failure)
    settings = Settings(fetch_host_delay=0.0, fetch_retries=0, import_workers=1)
    source = _source(httpserver.url_for("/down"))

    async def runs(wait: float) -> list[str]:
        async with Fetcher(limits_from(settings)) as fetcher:
            results = await asyncio.gather(
                *(fetch_source(source, fetcher, store, settings, wait=wait) for _ in range(3))
            )
        return [r.state for r in results]

    with Store(db_url) as store:
        assert asyncio.run(runs(wait=30)) == ["failing"] * 3
        assert store.health()["watched"].failures == 3
        states = asyncio.run(runs(wait=0))
        assert sorted(states) == ["busy", "busy", "failing"] and store.health()["watched"].failures == 4
        assert store.claim_run("watched", "someone", 60)  # the lease is free again after every run
