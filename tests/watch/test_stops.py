"""Crashes and stops of the daemon and the sender: a dead run's lease, SIGTERM with
alerts still queued, a sender killed while one target hangs. Real processes, a real
HTTP server standing in for the site and the webhooks."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import threading
from datetime import UTC, datetime

import pytest
from werkzeug import Response

from newsdesk import owners
from newsdesk.pipeline import import_paths
from newsdesk.store import Store
from tests.conftest import json_source, noise, record, start_newsdesk, threaded_server, wait_for, write_data

pytestmark = pytest.mark.slow


@pytest.fixture
def httpserver():
    """A threaded server: a target that hangs must not hold up the others' requests."""
    with threaded_server() as server:
        yield server


def _dead_owner() -> str:
    child = subprocess.Popen(["sleep", "30"])
    holder = f"{owners.me().split(':')[0]}:{child.pid}:{owners._start_time(child.pid)}:deadbeef"
    child.kill()
    child.wait()
    return holder


def test_a_lease_of_a_dead_process_on_this_host_is_taken_at_once(sqlite_url):
    with Store(sqlite_url) as store:
        assert store.claim_run("wire", _dead_owner(), 30)
        assert store.claim_run("wire", owners.owner(), 30, replacing=store.run_holder("wire"))
        alive = store.run_holder("wire")
        assert not owners.is_dead(alive) and not store.claim_run("wire", owners.owner(), 30)
    assert not owners.is_dead("elsewhere:1:0:abcd")  # another host: its lease runs out, nothing is judged
    reused = f"{owners.me()}:x".replace(owners.me().split(":")[2], "1")  # this pid, another start: a reused pid
    assert owners.is_dead(reused)


def _items(n: int) -> bytes:
    items = [{"t": f"黄金 {noise(i, 30)}", "u": f"https://x.example/{i}"} for i in range(n)]  # distinct stories
    return json.dumps({"items": items}).encode()


def test_a_restarted_daemon_polls_a_killed_runs_source_before_its_lease_runs_out(tmp_path, httpserver):
    calls: list[datetime] = []
    first = threading.Event()

    def slow(request):
        calls.append(datetime.now(UTC))
        if len(calls) == 1:
            first.set()
            threading.Event().wait(5)  # the daemon is killed meanwhile
        return Response(_items(1), content_type="application/json")

    httpserver.expect_request("/list").respond_with_handler(slow)
    folder = json_source(tmp_path / "sources", "wire", httpserver.url_for("/list"), "interval: 2\n")
    config = tmp_path / "c.toml"
    config.write_text(f'[sources]\nfolder = "{folder}"\n')
    db = f"sqlite:///{tmp_path / 'd.db'}"
    daemon = start_newsdesk("--config", str(config), "run", "wire", db=db)
    assert first.wait(30), daemon.stderr.read() if daemon.poll() is not None else "no fetch"
    os.kill(daemon.pid, signal.SIGKILL)
    daemon.wait()
    with sqlite3.connect(tmp_path / "d.db") as conn:
        expires = datetime.fromisoformat(conn.execute("SELECT expires FROM source_runs").fetchone()[0])
    again = start_newsdesk("--config", str(config), "run", "wire", db=db)
    try:
        wait_for(lambda: len(calls) >= 2, 40, "the restarted daemon to poll the source")
    finally:
        again.send_signal(signal.SIGTERM)
        again.wait(30)
    expires = expires if expires.tzinfo else expires.replace(tzinfo=UTC)
    assert calls[1] < expires  # not refused as busy until the dead run's lease ran out


def test_sigterm_sends_the_alerts_of_the_runs_it_lets_finish(tmp_path, httpserver):
    arrived = threading.Event()
    hooked: list[str] = []

    def slow(request):
        arrived.set()
        threading.Event().wait(2)  # SIGTERM comes meanwhile
        return Response(_items(3), content_type="application/json")

    httpserver.expect_request("/list").respond_with_handler(slow)
    httpserver.expect_request("/hook", method="POST").respond_with_handler(
        lambda request: hooked.append(request.get_data(as_text=True)) or Response("ok")
    )
    folder = json_source(tmp_path / "sources", "wire", httpserver.url_for("/list"), "interval: 600\n")
    config = tmp_path / "c.toml"
    hook = f"json://127.0.0.1:{httpserver.port}/hook"
    config.write_text(f'[sources]\nfolder = "{folder}"\n\n[watch.gold]\nquery = "黄金"\nnotify = ["{hook}"]\n')
    db = tmp_path / "d.db"
    daemon = start_newsdesk("--config", str(config), "run", "wire", db=f"sqlite:///{db}")
    assert arrived.wait(30)
    daemon.send_signal(signal.SIGTERM)
    assert daemon.wait(60) == 0
    with sqlite3.connect(db) as conn:
        states = dict(conn.execute("SELECT state, count(*) FROM alerts GROUP BY state").fetchall())
    assert states == {"sent": 3} and len(hooked) == 1  # the three stories in one message, before the exit


def test_a_sender_killed_while_one_target_hangs_resends_only_that_target(tmp_path, httpserver, sqlite_url):
    release = threading.Event()
    fast: list[str] = []
    slow: list[str] = []

    def hanging(request):
        slow.append(request.get_data(as_text=True))
        if len(slow) == 1:
            release.wait(60)
        return Response("ok")

    httpserver.expect_request("/fast", method="POST").respond_with_handler(
        lambda request: fast.append(request.get_data(as_text=True)) or Response("ok")
    )
    httpserver.expect_request("/slow", method="POST").respond_with_handler(hanging)
    config = tmp_path / "c.toml"
    base = f"json://127.0.0.1:{httpserver.port}"
    quick = f'[watch.quick]\nquery = "黄金"\nnotify = ["{base}/fast"]\n'
    config.write_text(quick + f'\n[watch.stuck]\nquery = "黄金"\nnotify = ["{base}/slow"]\n')
    write_data(tmp_path / "data" / "wire" / "news.json", [record(1, title="黄金大涨", description="<p>黄金。</p>")])
    with Store(sqlite_url) as store:
        from newsdesk.config import load_settings

        import_paths(store, [tmp_path / "data"], load_settings(config, {}))
    sender = start_newsdesk("--config", str(config), "watch", "send", db=sqlite_url)
    try:
        wait_for(lambda: fast and slow, 60, "both targets to be asked")

        def quick_state() -> str:
            with Store(sqlite_url) as store:
                return {a["watchlist"]: a["state"] for a in store.alert_log()}.get("quick", "")

        wait_for(lambda: quick_state() == "sent", 30, "the quick target's alert to be marked sent")
    finally:
        sender.kill()
        sender.wait()
        release.set()
    again = start_newsdesk("--config", str(config), "watch", "send", "--json", db=sqlite_url)
    out, _ = again.communicate(timeout=120)
    assert json.loads(out)["sent"] == 1  # the claim of a dead sender taken over at once, not after 120 s
    assert len(fast) == 1 and len(slow) == 2
