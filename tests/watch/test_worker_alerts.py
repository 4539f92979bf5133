"""Alerts on PostgreSQL: sent by Procrastinate jobs on the workers that fetch.

Two `newsdesk run` worker processes race for the same alerts: the ones the fetch jobs
queue (a loopback source) and the ones `newsdesk import` queues while they run (the
periodic look). Every story reaches the real receiver once.
"""

from __future__ import annotations

import json
import re
import signal
import time

import pytest

from newsdesk.store import Store
from tests.conftest import json_source, newsdesk, noise, record, start_newsdesk, wait_for, write_data

pytestmark = pytest.mark.slow

SOURCES = ["gold_a", "gold_b"]


def _catalog(httpserver, folder) -> None:
    for k, name in enumerate(SOURCES):
        items = [{"t": f"黄金：{noise(k * 100 + n, 30)}", "u": f"https://{name}.example.com/{n}"} for n in range(12)]
        httpserver.expect_request(f"/{name}").respond_with_json({"items": items})
        json_source(folder, name, httpserver.url_for("/" + name), "interval: 600\ntimeout: 30\n")


def test_two_workers_send_each_alert_once_as_jobs(pg_url, httpserver, tmp_path):
    httpserver.expect_request("/hook", method="POST").respond_with_data("ok")
    _catalog(httpserver, tmp_path / "sources")
    config = tmp_path / "settings.toml"
    config.write_text("[fetch]\nhost_delay = 0\nretries = 0\n[workers]\ntick = 1\nheartbeat = 0.5\n")
    with Store(pg_url) as store:
        store.save_watchlist("gold", {"query": "黄金", "notify": ["${NEWSDESK_NOTIFY_GOLD_HOOK}"]})
    env = {"NEWSDESK_NOTIFY_GOLD_HOOK": f"json://127.0.0.1:{httpserver.port}/hook"}
    args = ["--config", str(config), "run", *SOURCES, "--sources", str(tmp_path / "sources")]
    workers = [start_newsdesk(*args, db=pg_url, env=env) for _ in range(2)]
    imported = [
        record(
            500 + n,
            title=f"进口黄金第{n}批到港",
            source="wire",
            pub_date=1738917000 + n,
            description=f"<p>黄金。{noise(1000 + n, 300)}</p>",
        )
        for n in range(5)
    ]
    write_data(tmp_path / "data" / "wire" / "news.json", imported)
    try:
        with Store(pg_url) as store:
            wait_for(lambda: len(store.alert_log("gold", 100)) >= 24, 90, "the fetched articles' alerts")
            newsdesk("import", str(tmp_path / "data"), db=pg_url, check=True)  # queued outside the workers
            wait_for(
                lambda: [a["state"] for a in store.alert_log("gold", 100)] == ["sent"] * 29, 60, "every alert sent"
            )
            time.sleep(2)  # more periodic looks: nothing may go twice
            log = store.alert_log("gold", 100)
    finally:
        for worker in workers:
            worker.send_signal(signal.SIGTERM)
        outputs = [worker.communicate(timeout=60) for worker in workers]
    assert all(w.returncode == 0 for w in workers), [err[-2000:] for _, err in outputs]
    links = [
        link
        for request, _ in httpserver.log
        if request.path == "/hook"
        for link in re.findall(r"https?://\S+", json.loads(request.data)["message"])
    ]
    assert len(links) == len(set(links)) == len(log) == 29
    assert all(a["attempts"] == 1 for a in log)
