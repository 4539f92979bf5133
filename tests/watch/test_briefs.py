"""Briefs: the periods of the morning and close editions in a zone; a period's top
story with its headline and one sentence in each language; filters and watchlists;
a watchlist's brief queued once and sent through a real webhook. Real pipeline,
real SQLite and PostgreSQL, a real HTTP server on 127.0.0.1."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

from newsdesk.config import Settings
from newsdesk.models import ArticleFilter
from newsdesk.pipeline import import_paths
from newsdesk.store import Store
from newsdesk.watch import briefs, load_watchers, parse_watchlist
from newsdesk.watch.deliver import deliver_due
from tests.conftest import newsdesk, record, write_data
from tests.store.test_story_links import desk

PROMO = "订阅我们的财经早餐，每天早上获取最重要的市场新闻与深度分析内容。"
ZH_LEAD = "辉瑞(PFE)周二公布第四季度营收177.63亿美元，高于市场预期，调整后每股收益0.63美元。"
EN_LEAD = "Pfizer (PFE) reported fourth-quarter revenue of $17.76 billion on Tuesday, beating estimates."
ZH = (
    "辉瑞第四季度营收177.6亿美元 胜预期",
    f"<p>{PROMO}</p><p>新华社纽约2月4日电 {ZH_LEAD}</p><p>公司维持2025年营收610亿至640亿美元的预期。</p>",
)
EN = (
    "Pfizer beats profit estimates on heart drug sales",
    f"<p>NEW YORK, Feb 4 (Reuters) - {EN_LEAD}</p>"
    "<p>The company kept its 2025 forecast of $61 billion to $64 billion.</p>",
)
MORNING = date(2025, 2, 5)  # Asia/Shanghai: from 2025-02-04 16:00 to 2025-02-05 08:00


def _import(store: Store, folder, name: str, items: list[dict]) -> None:
    import_paths(store, [write_data(folder / "data" / f"{name}.json", items)], Settings())


def _pfizer(store: Store, folder) -> None:
    desk(store, folder)
    earlier = [  # the source's promotion, in its other articles too
        record(900 + n, title=f"早间财经 {n}", source="wallstreetcn", pub_date=f"2025-02-04 0{n}:00:00",
               description=f"<p>{PROMO}</p><p>第{n}则消息：市场平稳开盘，成交温和放大。</p>")
        for n in range(1, 4)
    ]  # fmt: skip
    _import(store, folder, "earlier", earlier)
    _import(store, folder, "zh", [record(1, title=ZH[0], description=ZH[1], source="wallstreetcn",
                                         pub_date="2025-02-04 20:10:00")])  # fmt: skip
    _import(store, folder, "en", [record(2, title=EN[0], description=EN[1], language="en", source="Reuters",
                                         pub_date="2025-02-04 20:25:00")])  # fmt: skip


def test_the_editions_cover_the_sessions_in_the_zone():
    settings = Settings()
    morning = briefs.period("morning", MORNING, "Asia/Shanghai", settings)
    assert (morning.start, morning.end) == (datetime(2025, 2, 4, 8, tzinfo=UTC), datetime(2025, 2, 5, 0, tzinfo=UTC))
    close = briefs.period("close", MORNING, "America/New_York", replace(settings, briefs_close="16:30"))
    assert (close.start, close.end) == (datetime(2025, 2, 5, 13, tzinfo=UTC), datetime(2025, 2, 5, 21, 30, tzinfo=UTC))
    before_eight = datetime(2025, 2, 5, 23, 30, tzinfo=UTC)  # 07:30 on the 6th in Shanghai
    assert briefs.latest("morning", before_eight, "Asia/Shanghai", settings).day == MORNING
    assert [p.day for p in briefs.recent("close", before_eight, "Asia/Shanghai", settings, 2)] == [
        MORNING,
        MORNING - timedelta(days=1),
    ]


def test_a_brief_holds_the_top_story_with_a_sentence_per_language(tmp_path, db_url, open_store):
    store = open_store(db_url)
    _pfizer(store, tmp_path)
    settings = Settings()
    made = briefs.make(store, briefs.period("morning", MORNING, "Asia/Shanghai", settings), settings)
    top = made.entries[0]
    assert top.story.headlines == {"zh": ZH[0], "en": EN[0]} and top.story.outlets == ["wallstreetcn", "Reuters"]
    assert top.sentences == {"zh": ZH_LEAD, "en": EN_LEAD}, "the lead, without its dateline or the promotion"
    assert len(made.entries) <= settings.briefs_stories and made.articles > 50
    text = made.text()
    assert text.startswith(
        f"1. {EN[0]} / {ZH[0]} (2 outlets)\n{EN_LEAD} {ZH_LEAD}\nhttps://news.example.com/articles/1"
    )
    shown = made.as_json()
    assert shown["day"] == "2025-02-05" and shown["stories"][0]["sentences"]["en"] == EN_LEAD
    when = made.period
    assert briefs.make(store, when, settings, where=ArticleFilter(ticker="PFE")).entries[0].story.id == top.story.id
    assert briefs.make(store, when, settings, where=ArticleFilter(ticker="XOM")).entries == []
    pharma = parse_watchlist("pharma", {"query": "Pfizer", "languages": ["en"]})
    assert [e.story.id for e in briefs.for_watchlist(store, when, settings, pharma).entries] == [top.story.id]
    gold = parse_watchlist("gold", {"query": "黄金", "tickers": ["GLD"]})
    assert briefs.for_watchlist(store, when, settings, gold).entries == []
    assert briefs.make(store, briefs.period("close", MORNING, "Asia/Shanghai", settings), settings).entries == []


def test_a_watchlists_brief_is_queued_once_and_sent(tmp_path, sqlite_url, open_store, httpserver):
    httpserver.expect_request("/hook", method="POST").respond_with_data("ok")
    store = open_store(sqlite_url)
    _pfizer(store, tmp_path)
    definition = {"tickers": ["PFE"], "brief": ["morning"], "notify": [f"json://127.0.0.1:{httpserver.port}/hook"]}
    parse_watchlist("pharma", definition)
    store.save_watchlist("pharma", definition)
    watchlists = load_watchers(store, Settings()).watchlists
    store.claim_alerts(limit=100)  # the instant alert of the story itself: not what this test sends
    after = datetime(2025, 2, 5, 0, 5, tzinfo=UTC)  # 08:05 in Shanghai
    assert briefs.queue(store, watchlists.values(), after, Settings()) == 1
    assert briefs.queue(store, watchlists.values(), after + timedelta(minutes=30), Settings()) == 0, "once"
    assert briefs.queue(store, watchlists.values(), after + timedelta(hours=7), Settings()) == 0, "stale"
    done = deliver_due(store, watchlists, {}, settings=Settings())
    assert done.sent == 1
    (sent,) = [json.loads(request.data) for request, _ in httpserver.log]
    assert sent["title"] == "[pharma] 早报 Morning brief · 2025-02-05"
    assert ZH[0] in sent["message"] and EN_LEAD in sent["message"]
    logged = [a for a in store.alert_log("pharma") if a["cluster"].startswith(briefs.KEY)]
    assert [a["state"] for a in logged] == ["sent"]


def test_a_brief_field_is_checked():
    assert parse_watchlist("w", {"tickers": ["PFE"], "brief": "close"}).brief == ("close",)
    for wrong in (["noon"], [1], "evening"):
        try:
            parse_watchlist("w", {"tickers": ["PFE"], "brief": wrong})
        except Exception as exc:  # noqa: BLE001 - the type is checked below
            assert type(exc).__name__ == "ConfigError" and "brief" in str(exc)
        else:
            raise AssertionError(f"{wrong!r} was taken")


def test_the_brief_command_prints_a_days_brief(tmp_path):
    db = f"sqlite:///{tmp_path}/n.db"
    with Store(db) as store:
        _pfizer(store, tmp_path)
    shown = json.loads(
        newsdesk("brief", "morning", "--day", "2025-02-05", "--ticker", "pfe", "--json", db=db, check=True).stdout
    )
    assert [s["headlines"] for s in shown["stories"]] == [{"en": EN[0], "zh": ZH[0]}]
    text = newsdesk("brief", "morning", "--day", "2025-02-05", "--lang", "en", db=db, check=True).stdout
    assert "早报 Morning brief · 2025-02-05" in text and EN_LEAD in text
    assert newsdesk("brief", "noon", db=db).returncode == 2
    assert newsdesk("brief", "close", "--day", "yesterday", db=db).returncode == 2
    assert newsdesk("brief", "close", "--watchlist", "nope", db=db).returncode == 2
