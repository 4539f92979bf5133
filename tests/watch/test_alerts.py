"""Watchlists end to end: matched at import, one alert per story in the outbox, sent
through Apprise to a real HTTP receiver on 127.0.0.1, retried when it fails."""

from __future__ import annotations

import email
import email.policy
import json
import re
import socket

import pytest
from werkzeug import Response

from newsdesk.config import Settings
from newsdesk.errors import ConfigError
from newsdesk.pipeline import import_paths
from newsdesk.pipeline.ingest import load_watchers
from newsdesk.store import Store
from newsdesk.watch import parse_watchlist
from newsdesk.watch.deliver import deliver_due
from tests.conftest import newsdesk, noise, record, write_data

STORY = "<p>英伟达周一股价大涨8%，市值重回3万亿美元，芯片股全线走强，分析师上调目标价。</p>"
RECORDS = [
    record(1, title="英伟达股价大涨8% 市值重回3万亿", description=STORY, source="wire_a", pub_date=1738917000),
    record(
        2,
        title="英伟达股价大涨8%，市值重回3万亿美元",
        description=STORY + "<p>免责声明：仅供参考。</p>",
        source="wire_b",
        pub_date=1738917100,
    ),  # the same story from another outlet
    record(
        3,
        title="輝達供應商台積電擴產",
        description="<p>輝達主要供應商台積電宣布擴產，市場看好AI晶片需求。</p>",
        source="wire_tw",
        pub_date=1738917200,
        language="zh-TW",
    ),  # Traditional script
    record(
        4, title="黄金价格创新高", description="<p>现货黄金突破2900美元。</p>", source="wire_a", pub_date=1738917300
    ),
]


def _links(text: str) -> list[str]:
    return re.findall(r"https?://\S+", text)


def _watch(store: Store, name: str, **definition) -> None:
    parse_watchlist(name, definition)  # what the CLI and the API check first
    store.save_watchlist(name, definition)


def test_one_alert_per_story_delivered_to_a_webhook(db_url, tmp_path, httpserver):
    httpserver.expect_request("/hook", method="POST").respond_with_data("ok")
    with Store(db_url) as store:
        _watch(store, "chips", query="英伟达 OR 辉达", notify=[f"json://127.0.0.1:{httpserver.port}/hook"])
        _watch(store, "gold", query="黄金", notify=["${NEWSDESK_NOTIFY_GOLD_HOOK}"], languages=["zh"])
        write_data(tmp_path / "data" / "wire" / "news.json", RECORDS)
        import_paths(store, [tmp_path / "data"], Settings())
        queued = {(a["watchlist"], a["uuid"]) for a in store.alert_log()}
        assert len(queued) == 3  # chips: the story once (records 1 and 2) and the Traditional one; gold: one
        watchers = load_watchers(store, Settings())
        done = deliver_due(
            store, watchers.watchlists, {"NEWSDESK_NOTIFY_GOLD_HOOK": f"json://127.0.0.1:{httpserver.port}/hook"}
        )
        assert done.as_json() == {"sent": 3, "retrying": 0, "failed": 0, "held": 0}
        bodies = {
            json.loads(request.data)["title"]: json.loads(request.data)["message"] for request, _ in httpserver.log
        }
        assert len(httpserver.log) == 2  # the stories of one watchlist that came due together: one message
        assert "輝達" in bodies["[chips] 2 new stories"] and "英伟达" in bodies["[chips] 2 new stories"]
        assert bodies["[chips] 2 new stories"].count("also reported by wire_b") == 1  # record 2: the story of record 1
        assert [t for t in bodies if t.startswith("[gold] ")] == ["[gold] 黄金价格创新高"]
        assert all(_links(body) and "CST" in body for body in bodies.values())
        assert sorted(link for body in bodies.values() for link in _links(body)) == [
            "https://news.example.com/articles/1",
            "https://news.example.com/articles/3",
            "https://news.example.com/articles/4",
        ]
        assert deliver_due(store, watchers.watchlists, {}).as_json() == {
            "sent": 0,
            "retrying": 0,
            "failed": 0,
            "held": 0,
        }
        assert {a["state"] for a in store.alert_log()} == {"sent"}


def test_a_failing_target_is_retried_with_the_reason_logged(db_url, tmp_path, httpserver):
    httpserver.expect_request("/hook", method="POST").respond_with_response(Response("down", status=503))
    with Store(db_url) as store:
        _watch(
            store,
            "gold",
            query="黄金",
            notify=[f"json://127.0.0.1:{httpserver.port}/hook", "${NEWSDESK_NOTIFY_MISSING_HOOK}"],
        )
        write_data(tmp_path / "data" / "wire" / "news.json", RECORDS[3:])
        import_paths(store, [tmp_path / "data"], Settings())
        watchlists = load_watchers(store, Settings()).watchlists
        assert deliver_due(store, watchlists, {}).as_json() == {"sent": 0, "retrying": 1, "failed": 0, "held": 0}
        [logged] = store.alert_log("gold")
        assert (
            logged["state"] == "queued"
            and logged["attempts"] == 1
            and "NEWSDESK_NOTIFY_MISSING_HOOK" in logged["last_error"]
        )
        assert (
            deliver_due(store, watchlists, {"NEWSDESK_NOTIFY_MISSING_HOOK": "json://127.0.0.1:1/x"}).sent == 0
        )  # not due yet


def test_watchlists_are_checked_field_by_field():
    for definition, words in (
        ({}, "tickers, a query, sections or calendar"),
        ({"calendar": ["USA"]}, "country codes"),
        ({"sections": ["offeree"]}, "sections"),
        ({"query": "-x"}, "no words"),
        ({"tickers": ["NVDA"], "mode": "weekly"}, "mode"),
        ({"query": "a", "notify": ["not a url"]}, "Apprise"),
        ({"query": "a", "zone": "Mars/Base"}, "zone"),
        ({"query": "a", "colour": "red"}, "colour"),
        ({"query": "a", "per_hour": -1}, "per_hour"),
    ):
        with pytest.raises(ConfigError, match=words):
            parse_watchlist("w", definition)
    assert parse_watchlist("w", {"tickers": ["nvda"]}).tickers == ("NVDA",)
    assert parse_watchlist("w", {"sections": ["macro", "macro"]}).as_json()["sections"] == ["macro"]
    assert parse_watchlist("w", {"query": "a", "notify": ["tgram://bot/chat"]}).as_json()["notify"] == ["tgram://…"]


def test_two_senders_racing_send_each_alert_once(pg_url, tmp_path, httpserver):
    import threading

    httpserver.expect_request("/hook", method="POST").respond_with_data("ok")
    stories = [
        record(
            100 + n,
            title=f"黄金第{n}次创新高，避险需求升温{n}",
            source=f"wire_{n % 3}",
            pub_date=1738917000 + n,
            description=f"<p>黄金。{noise(n)}</p>",
        )
        for n in range(40)
    ]
    with Store(pg_url) as store:
        _watch(store, "gold", query="黄金", notify=[f"json://127.0.0.1:{httpserver.port}/hook"])
        write_data(tmp_path / "data" / "wire" / "news.json", stories)
        import_paths(store, [tmp_path / "data"], Settings())
        queued = len(store.alert_log("gold", limit=1000))
        watchlists = load_watchers(store, Settings()).watchlists
        results = []
        senders = [
            threading.Thread(target=lambda: results.append(deliver_due(Store(pg_url), watchlists, {})))
            for _ in range(3)
        ]
        for sender in senders:
            sender.start()
        for sender in senders:
            sender.join()
    assert queued >= 30 and sum(r.sent for r in results) == queued
    links = [link for request, _ in httpserver.log for link in _links(json.loads(request.data)["message"])]
    assert len(links) == len(set(links)) == queued  # every story once, whichever sender sent it


def test_the_run_daemon_sends_queued_alerts(sqlite_url, tmp_path, httpserver):
    import asyncio

    from newsdesk.pipeline.daemon import run_forever

    httpserver.expect_request("/hook", method="POST").respond_with_data("ok")
    with Store(sqlite_url) as store:
        _watch(store, "gold", query="黄金", notify=[f"json://127.0.0.1:{httpserver.port}/hook"])
        write_data(tmp_path / "data" / "wire" / "news.json", RECORDS[3:])
        import_paths(store, [tmp_path / "data"], Settings())

        async def run() -> None:
            stop = asyncio.Event()
            daemon = asyncio.create_task(run_forever([], store, Settings(), stop=stop, secrets={}))
            for _ in range(200):  # up to 20 s
                if httpserver.log:
                    break
                await asyncio.sleep(0.1)
            stop.set()
            await daemon

        asyncio.run(run())
        assert [json.loads(r.data)["title"] for r, _ in httpserver.log] == ["[gold] 黄金价格创新高"]
        assert [a["state"] for a in store.alert_log("gold")] == ["sent"]


def test_the_admin_api_manages_watchlists_with_the_token(sqlite_url):
    from newsdesk.web import create_app
    from tests.web.helpers import running

    with Store(sqlite_url) as store, running(create_app(store, Settings(web_admin_token="t0ken"))) as client:
        auth = {"Authorization": "Bearer t0ken"}
        body = {"query": "黄金 OR gold", "notify": ["tgram://123:secret/456"]}
        assert client.put("/api/admin/watchlists/gold", json=body).status_code == 401
        saved = client.put("/api/admin/watchlists/gold", json=body, headers=auth)
        assert saved.status_code == 200 and saved.json()["notify"] == ["tgram://…"]  # the token never comes back
        bad = client.put("/api/admin/watchlists/bad", json={"query": "-x"}, headers=auth)
        assert bad.status_code == 400 and "no words" in bad.json()["error"]
        listed = client.get("/api/admin/watchlists", headers=auth).json()["watchlists"]
        assert [w["name"] for w in listed] == ["gold"] and "secret" not in json.dumps(listed)
        assert client.get("/api/admin/watchlists/gold/log", headers=auth).json() == {"alerts": []}
        assert client.delete("/api/admin/watchlists/gold", headers=auth).status_code == 200
        assert client.delete("/api/admin/watchlists/gold", headers=auth).status_code == 404


def test_alerts_go_by_email_to_a_real_smtp_server(sqlite_url, tmp_path):
    from aiosmtpd.controller import Controller

    class Inbox:
        def __init__(self) -> None:
            self.messages: list[bytes] = []

        async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's hook name)
            self.messages.append(envelope.content)
            return "250 OK"

    inbox = Inbox()
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    smtp = Controller(inbox, hostname="127.0.0.1", port=port)
    smtp.start()
    try:
        url = f"mailto://127.0.0.1:{port}?from=newsdesk@example.com&to=me@example.com&mode=insecure"
        with Store(sqlite_url) as store:
            _watch(store, "gold", query="黄金", notify=["${NEWSDESK_NOTIFY_MAIL_URL}"])
            write_data(tmp_path / "data" / "wire" / "news.json", RECORDS[3:])
            import_paths(store, [tmp_path / "data"], Settings())
            done = deliver_due(store, load_watchers(store, Settings()).watchlists, {"NEWSDESK_NOTIFY_MAIL_URL": url})
            store_log = store.alert_log("gold")
    finally:
        smtp.stop()
    assert done.sent == 1 and len(inbox.messages) == 1, store_log[0]["last_error"]
    mail = email.message_from_bytes(inbox.messages[0], policy=email.policy.default)
    assert (
        "黄金价格创新高" in str(mail["subject"])
        and "https://news.example.com/articles/4" in mail.get_body().get_content()
    )


def test_a_public_watchlist_has_a_page_and_feeds_a_private_one_does_not(sqlite_url, tmp_path):
    import feedparser

    from newsdesk.web import create_app
    from tests.web.helpers import running

    with Store(sqlite_url) as store:
        _watch(store, "chips", query="英伟达 OR 辉达", public=True)
        _watch(store, "gold", query="黄金")
        write_data(tmp_path / "data" / "wire" / "news.json", RECORDS)
        import_paths(store, [tmp_path / "data"], Settings())
        with running(create_app(store, Settings())) as client:
            page = client.get("/watch/chips/")
            assert page.status_code == 200 and page.text.count("<article") == 2  # two stories, three articles
            assert "輝達" in page.text and 'href="/watch/chips/index.xml"' in page.text
            rss = feedparser.parse(client.get("/watch/chips/index.xml").text)
            assert not rss.bozo and len(rss.entries) == 2
            assert len(client.get("/watch/chips/feed.json").json()["items"]) == 2
            assert client.get("/watch/chips/atom.xml").status_code == 200
            assert [client.get(p).status_code for p in ("/watch/gold/", "/watch/gold/index.xml", "/watch/none/")] == [
                404
            ] * 3
    from tests.conftest import newsdesk

    newsdesk("build", str(tmp_path / "site"), db=sqlite_url, check=True)  # the static site: the public one only
    built = (tmp_path / "site" / "watch" / "chips" / "index.html").read_text()
    assert built.count("<article") == 2 and "輝達" in built
    assert len(feedparser.parse((tmp_path / "site" / "watch" / "chips" / "index.xml").read_text()).entries) == 2
    assert not (tmp_path / "site" / "watch" / "gold").exists()


def test_a_digest_waits_for_its_time_and_lists_the_stories_in_one_message(sqlite_url, tmp_path, httpserver):
    from datetime import UTC, datetime, timedelta

    import sqlalchemy as sa

    from newsdesk.store.schema import alerts

    httpserver.expect_request("/hook", method="POST").respond_with_data("ok")
    with Store(sqlite_url) as store:
        _watch(
            store,
            "chips",
            query="英伟达 OR 辉达",
            mode="digest",
            every=30,
            notify=[f"json://127.0.0.1:{httpserver.port}/hook"],
        )
        write_data(tmp_path / "data" / "wire" / "news.json", RECORDS)
        import_paths(store, [tmp_path / "data"], Settings())
        watchlists = load_watchers(store, Settings()).watchlists
        assert deliver_due(store, watchlists, {}).sent == 0 and not httpserver.log  # not before the half hour
        with store.engine.begin() as conn:  # the half hour has come
            conn.execute(sa.update(alerts).values(next_try=datetime.now(UTC) - timedelta(seconds=1)))
        assert deliver_due(store, watchlists, {}).sent == 2
    [(request, _)] = httpserver.log
    assert json.loads(request.data)["title"] == "[chips] 2 new stories"


def test_over_its_sends_an_hour_a_watchlist_holds_alerts_and_sends_them_together(sqlite_url, tmp_path, httpserver):
    from datetime import UTC, datetime, timedelta

    import sqlalchemy as sa

    from newsdesk.store.schema import alerts

    httpserver.expect_request("/hook", method="POST").respond_with_data("ok")
    stories = [
        record(
            200 + n,
            title=f"黄金第{n}次创新高",
            source="wire_a",
            pub_date=1738917000 + n,
            description=f"<p>黄金。{noise(n)}</p>",
        )
        for n in range(4)
    ]
    with Store(sqlite_url) as store:
        _watch(store, "gold", query="黄金", per_hour=1, notify=[f"json://127.0.0.1:{httpserver.port}/hook"])
        watchlists = load_watchers(store, Settings()).watchlists
        for n, part in enumerate((stories[:1], stories[1:])):
            write_data(tmp_path / f"data{n}" / "wire" / "news.json", part)
            import_paths(store, [tmp_path / f"data{n}"], Settings())
            done = deliver_due(store, watchlists, {})
        assert done.as_json() == {"sent": 0, "retrying": 0, "failed": 0, "held": 3} and len(httpserver.log) == 1
        held = [a for a in store.alert_log("gold") if a["state"] == "queued"]
        [first] = [a for a in store.alert_log("gold") if a["state"] == "sent"]
        assert len(held) == 3 and {a["next_try"] for a in held} == {first["sent"] + timedelta(hours=1)}
        assert all(a["attempts"] == 0 for a in held)  # waiting is not a failed attempt
        with store.engine.begin() as conn:  # an hour later
            conn.execute(
                sa.update(alerts).where(alerts.c.id == first["id"]).values(sent=first["sent"] - timedelta(hours=1))
            )
            conn.execute(sa.update(alerts).where(alerts.c.state == "queued").values(next_try=datetime.now(UTC)))
        assert deliver_due(store, watchlists, {}).sent == 3
    assert [json.loads(r.data)["title"] for r, _ in httpserver.log][1:] == ["[gold] 3 new stories"]


def test_digest_times_and_quiet_hours():
    from datetime import UTC, datetime
    from zoneinfo import ZoneInfo

    from newsdesk.watch.schedule import due_at

    now = datetime(2025, 2, 7, 14, 37, tzinfo=UTC)  # 22:37 in Shanghai
    local = lambda **d: due_at(parse_watchlist("w", {"query": "a", **d}), now).astimezone(ZoneInfo("Asia/Shanghai"))  # noqa: E731
    assert local().strftime("%d %H:%M") == "07 22:37"
    assert local(mode="digest", every=30).strftime("%d %H:%M") == "07 23:00"
    assert local(mode="digest", at="08:00").strftime("%d %H:%M") == "08 08:00"
    assert local(quiet="22:00-07:00").strftime("%d %H:%M") == "08 07:00"
    assert local(quiet="09:00-18:00").strftime("%d %H:%M") == "07 22:37"
    assert local(mode="digest", every=15, zone="America/New_York").astimezone(ZoneInfo("America/New_York")).minute == 45
    with pytest.raises(ConfigError, match="HH:MM"):
        parse_watchlist("w", {"query": "a", "quiet": "late"})


@pytest.mark.parametrize(
    ("scheme", "path", "found"),
    [
        ("form", "/form-hook", lambda r: r.form.get("title", "") + r.form.get("message", "")),  # generic form webhook
        ("xml", "/xml-hook", lambda r: r.get_data(as_text=True)),  # generic XML webhook
        (
            "ntfy",
            "/",
            lambda r: r.json["title"] + r.json["message"] if r.json["topic"] == "gold" else "",
        ),  # self-hosted
    ],
)
def test_other_apprise_scheme_families_reach_a_loopback_receiver(sqlite_url, tmp_path, httpserver, scheme, path, found):
    httpserver.expect_request(path, method="POST").respond_with_data("{}", content_type="application/json")
    target = f"{scheme}://127.0.0.1:{httpserver.port}{'/gold' if scheme == 'ntfy' else path}"  # ntfy: the topic
    with Store(sqlite_url) as store:
        _watch(store, "gold", query="黄金", notify=[target])
        write_data(tmp_path / "data" / "wire" / "news.json", RECORDS[3:])
        import_paths(store, [tmp_path / "data"], Settings())
        done = deliver_due(store, load_watchers(store, Settings()).watchlists, {})
    assert done.sent == 1, store.alert_log("gold")
    [(request, _)] = httpserver.log
    text = found(request)
    assert "黄金价格创新高" in text and "https://news.example.com/articles/4" in text


def test_a_section_watchlist_alerts_its_sections_stories_and_a_section_narrows_a_query(sqlite_url, tmp_path):
    with Store(sqlite_url) as store:
        _watch(store, "metals", sections=["commodities"], notify=["json://127.0.0.1:9/x"])
        _watch(store, "chips-stocks", query="英伟达 OR 黄金", sections=["equities"], notify=["json://127.0.0.1:9/x"])
        write_data(tmp_path / "data" / "wire" / "news.json", RECORDS)
        import_paths(store, [tmp_path / "data"], Settings())
        titles = {a.uuid: a.title for a in store.iter_articles()}
        by_list: dict[str, set[str]] = {}
        for entry in store.alert_log():
            by_list.setdefault(entry["watchlist"], set()).add(titles[entry["uuid"]])
    assert by_list["metals"] == {"黄金价格创新高"}  # the section alone: every commodities story
    assert by_list["chips-stocks"] == {"英伟达股价大涨8% 市值重回3万亿"}  # the query, within equities: not the gold one


def test_section_and_calendar_watchlists_from_the_command_line(sqlite_url):
    target = ["--notify", "json://127.0.0.1:9/x"]
    assert newsdesk("watch", "add", "rates", "--section", "central-banks", *target, db=sqlite_url).returncode == 0
    added = newsdesk("watch", "add", "us-data", "--calendar", "us", "--stars", "3", *target, db=sqlite_url)
    assert added.returncode == 0
    bad = newsdesk("watch", "add", "bad", "--section", "offeree", db=sqlite_url)
    assert bad.returncode == 2 and "sections" in bad.stderr
    listed = newsdesk("watch", "list", db=sqlite_url).stdout
    assert "rates                central-banks" in listed and "us-data              calendar US ★3+" in listed
