"""What a watchlist owner or a headline can make the alert sender do: read the
environment, reach a chat's markup or mentions, leak a webhook URL to the log."""

from __future__ import annotations

import asyncio
import json
import logging

import pytest
from apprise.plugins.discord import NotifyDiscord
from apprise.plugins.telegram import NotifyTelegram

from newsdesk.config import Settings
from newsdesk.errors import ConfigError
from newsdesk.fetch import alerts
from newsdesk.pipeline import import_paths
from newsdesk.pipeline.ingest import load_watchers
from newsdesk.store import Store
from newsdesk.watch import parse_watchlist
from newsdesk.watch.deliver import deliver_due, resolve
from newsdesk.web import create_app
from tests.conftest import record, write_data
from tests.web.helpers import running

HEADLINE = 'S&P 500 <5000 as 黄金 rallies <a href="https://evil.example/x">read</a> @everyone <@123> <!channel>'


def _imported(store: Store, tmp_path, name: str, notify: list[str]) -> None:
    store.save_watchlist(name, {"query": "黄金", "notify": notify})
    write_data(tmp_path / "data" / "wire" / "news.json", [record(1, title=HEADLINE, description="<p>黄金 gold</p>")])
    import_paths(store, [tmp_path / "data"], Settings())


def test_only_whole_prefixed_names_are_read_from_the_environment():
    secrets = {"NEWSDESK_NOTIFY_HOOK": "json://hooks.example/abc", "DB_PASSWORD": "hunter2-long"}
    assert resolve("${NEWSDESK_NOTIFY_HOOK}", secrets) == ("json://hooks.example/abc", None)
    url, why = resolve("${DB_PASSWORD}", secrets)
    assert url is None and "only names starting with NEWSDESK_NOTIFY_" in why and "hunter2" not in why
    assert resolve("json://evil.example/?p=${NEWSDESK_NOTIFY_HOOK}", secrets)[0] is None
    with pytest.raises(ConfigError, match="whole"):
        parse_watchlist("leak", {"query": "x", "notify": ["json://evil.example/${DB_PASSWORD}"]})


def test_a_watchlist_cannot_send_the_environment_anywhere(sqlite_url, tmp_path, httpserver):
    httpserver.expect_request("/hook", method="POST").respond_with_data("ok")
    with Store(sqlite_url) as store:
        _imported(store, tmp_path, "leak", ["${DB_PASSWORD}"])
        env = {"DB_PASSWORD": f"json://127.0.0.1:{httpserver.port}/hook"}
        done = deliver_due(store, load_watchers(store, Settings()).watchlists, env)
        assert done.sent == 0 and not httpserver.log
        [alert] = store.alert_log("leak", 10)
        assert "127.0.0.1" not in (alert["last_error"] or "") and "NEWSDESK_NOTIFY_" in alert["last_error"]


def test_the_api_allows_chat_schemes_only(sqlite_url):
    settings = Settings(web_admin_token="t0ken-long")
    auth = {"Authorization": "Bearer t0ken-long"}
    with Store(sqlite_url) as store, running(create_app(store, settings)) as client:
        refused = client.put(
            "/api/admin/watchlists/x", headers=auth, json={"query": "x", "notify": ["json://10.0.0.1/"]}
        )
        assert refused.status_code == 400 and "json" in refused.json()["error"]
        taken = client.put("/api/admin/watchlists/x", headers=auth, json={"query": "x", "notify": ["tgram://1:a/2"]})
        assert taken.status_code == 200


def test_telegram_gets_the_headline_as_escaped_text(sqlite_url, tmp_path, httpserver, monkeypatch):
    httpserver.expect_request("/bot123456789:abcdefghij/sendMessage", method="POST").respond_with_json({"ok": True})
    monkeypatch.setattr(NotifyTelegram, "notify_url", httpserver.url_for("/bot"))  # Telegram's API on loopback
    with Store(sqlite_url) as store:
        _imported(store, tmp_path, "gold", ["tgram://123456789:abcdefghij/42"])
        assert deliver_due(store, load_watchers(store, Settings()).watchlists, {}).sent == 1
    [(request, _)] = httpserver.log
    sent = json.loads(request.get_data())
    assert sent["parse_mode"] == "HTML"
    assert "&lt;5000" in sent["text"] and "S&amp;P" in sent["text"]
    assert "<a href" not in sent["text"] and 'evil.example/x">' not in sent["text"]


def test_discord_gets_no_mentions_from_a_headline(sqlite_url, tmp_path, httpserver, monkeypatch):
    httpserver.expect_request("/webhooks/4815162342/tokentoken", method="POST").respond_with_data("", status=204)
    monkeypatch.setattr(NotifyDiscord, "notify_url", httpserver.url_for("/webhooks"))
    with Store(sqlite_url) as store:
        _imported(store, tmp_path, "gold", ["discord://4815162342/tokentoken"])
        assert deliver_due(store, load_watchers(store, Settings()).watchlists, {}).sent == 1
    bodies = [json.loads(request.get_data()) for request, _ in httpserver.log]
    assert bodies and all("allow_mentions" not in body and "allowed_mentions" not in body for body in bodies)
    assert all("@everyone" not in json.dumps(body, ensure_ascii=False) for body in bodies)


def test_a_failing_source_webhook_is_logged_without_its_url(httpserver, caplog):
    httpserver.expect_request("/services/T000/B000/XXXXsecretXXXX", method="POST").respond_with_data("no", status=404)
    settings = Settings(alerts_webhook=httpserver.url_for("/services/T000/B000/XXXXsecretXXXX"))
    with caplog.at_level(logging.WARNING, logger="newsdesk"):
        assert asyncio.run(alerts.send(settings, "source x is failing", "x")) is False
    assert "404" in caplog.text and "XXXXsecretXXXX" not in caplog.text and "/services" not in caplog.text
