"""The economic calendar end to end: a calendar source served by a real HTTP server,
its events stored and updated, a release on the timeline once its actual value arrives,
a watchlist of a country's important releases alerted once, the API, the page and the
ICS feed."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import icalendar

from newsdesk.config import Settings
from newsdesk.models import ArticleFilter
from newsdesk.pipeline.calendar import events_of
from newsdesk.sources.catalog import load_catalog
from newsdesk.store import Store
from newsdesk.watch import parse_watchlist
from newsdesk.web import create_app
from tests.fetch.conftest import localize, run
from tests.web.helpers import running

NOW = datetime.now(UTC).replace(microsecond=0)


def _calendar(actual: str) -> str:
    soon, later = int((NOW - timedelta(minutes=1)).timestamp()), int((NOW + timedelta(hours=2)).timestamp())
    items = [
        {"id": 501, "public_date": soon, "title": "核心CPI月率", "country": "美国", "country_id": "US",
         "importance": 3, "actual": actual, "forecast": "0.3", "previous": "0.2", "revised": "", "unit": "%",
         "period": "1月", "calendar_type": "FD"},
        {"id": 502, "public_date": soon, "title": "零售销售月率", "country": "英国", "country_id": "UK",
         "importance": 3, "actual": actual, "forecast": "0.1", "previous": "0.0", "revised": "", "unit": "%",
         "period": "1月", "calendar_type": "FD"},
        {"id": 503, "public_date": later, "title": "美联储主席国会听证", "country": "美国", "country_id": "US",
         "importance": 2, "actual": "", "forecast": "", "previous": "", "revised": "", "unit": "",
         "period": "", "calendar_type": "FE"},
    ]  # fmt: skip
    return json.dumps({"code": 20000, "data": {"items": items}}, ensure_ascii=False)


def test_a_calendar_releases_once_alerts_a_country_watchlist_and_is_served(sqlite_url, httpserver):
    base = httpserver.url_for("").rstrip("/")
    source = localize(load_catalog()["wallstreetcn_calendar"], base)
    path = "/api-one-wscn.awtmt.com/apiv1/finance/macrodatas"
    with Store(sqlite_url) as store:
        definition = {"calendar": ["us"], "stars": 3, "notify": ["json://127.0.0.1:9/x"]}
        parse_watchlist("us-data", definition)
        store.save_watchlist("us-data", definition)
        httpserver.expect_oneshot_request(path).respond_with_data(_calendar(""), content_type="application/json")
        [before] = run([source], store)  # scheduled, no values yet: stored, nothing on the timeline
        httpserver.expect_oneshot_request(path).respond_with_data(_calendar("0.4"), content_type="application/json")
        [after] = run([source], store)
        httpserver.expect_oneshot_request(path).respond_with_data(_calendar("0.4"), content_type="application/json")
        [again] = run([source], store)
        assert (before.state, before.new, after.new, again.new) == ("ok", 0, 2, 0)
        released = {a.title: a for a in store.iter_articles()}
        assert set(released) == {"美国 1月核心CPI月率：0.4%", "英国 1月零售销售月率：0.4%"}
        assert all(a.kind == 3 and a.importance == 1 for a in released.values())
        assert store.count_where(ArticleFilter(importance=1)) == 2  # on the timeline's "important" list
        alerted = [(a["watchlist"], a["uuid"]) for a in store.alert_log()]
        assert alerted == [("us-data", released["美国 1月核心CPI月率：0.4%"].uuid)]  # the US one, once
        with running(create_app(store, Settings())) as client:
            yesterday = (NOW - timedelta(days=1)).astimezone(ZoneInfo("Asia/Shanghai")).date().isoformat()
            api = client.get("/api/calendar", params={"day": yesterday, "days": 3}).json()["events"]
            assert [e["name"] for e in api] == ["核心CPI月率", "零售销售月率", "美联储主席国会听证"]
            assert api[0]["actual"] == "0.4" and api[2]["kind"] == "event" and api[0]["country_code"] == "US"
            uk = client.get("/api/calendar", params={"day": yesterday, "days": 3, "country": "UK"}).json()["events"]
            assert [e["name"] for e in uk] == ["零售销售月率"]
            assert client.get("/api/calendar", params={"stars": 9}).status_code == 422
            far = client.get("/api/calendar", params={"day": "9999-12-31", "days": 14}).json()
            assert far["events"] == [] and far["from"].startswith("2100-12-")  # no overflow, nothing there
            assert client.get("/api/calendar", params={"day": "2025-02-30"}).status_code == 404
            assert client.get("/calendar/", params={"country": "USA"}).status_code == 400
            assert client.get("/calendar/", params={"week": "", "country": "", "stars": ""}).status_code == 200
            page = client.get("/calendar/", params={"week": 1, "stars": 3}).text
            assert "核心CPI月率" in page and "<strong>0.4%</strong>" in page and "国会听证" not in page
            ics = client.get("/calendar.ics")
            assert ics.headers["content-type"].startswith("text/calendar")
            events = icalendar.Calendar.from_ical(ics.content).walk("VEVENT")
            assert len(events) == 3 and any("0.4%" in str(e["summary"]) for e in events)
            assert all(e["dtstart"].dt.tzinfo is not None for e in events)


def test_hostile_calendar_items_are_bounded_and_incomplete_ones_left_out():
    source = load_catalog()["wallstreetcn_calendar"]
    items = [
        {"id": 1, "title": "x" * 10_000, "link": "https://example.com/1", "importance": "99", "actual": {"a": 1},
         "country": "美国", "published": "not a time", "unit": ["%"], "kind": "FE"},
        {"id": 2, "title": "", "link": "https://example.com/2"},  # no name
        {"title": "无编号", "link": "https://example.com/3"},  # no id
        {"id": 4, "title": "利率决议", "link": "https://example.com/4", "importance": "abc", "country": "日本",
         "forecast": "0.5\x00%\x1b[31m"},  # a NUL would fail PostgreSQL's batch; ESC drives terminals
    ]  # fmt: skip
    first, second = events_of(source, items)
    assert len(first.name) == 200 and first.stars == 5 and first.actual == "" and first.unit == ""
    assert first.country_code == "US" and first.scheduled is None and first.kind == "event"
    assert (second.event_id, second.stars, second.country_code, second.forecast) == ("4", 0, "JP", "0.5%[31m")
