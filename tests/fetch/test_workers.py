"""Scale-out on PostgreSQL: three `newsdesk run` worker processes (Procrastinate)
against the real database and a loopback server standing in for the sites.

Every source is fetched, none twice in its interval; after `kill -9` of the worker
fetching the slow source, its job is retried by the others once the dead worker's
heartbeat is stale; nothing committed is lost.
"""

from __future__ import annotations

import json
import signal
import subprocess
import threading
import time
from collections import Counter

import pytest
from werkzeug import Response

from newsdesk.store import Store
from tests.conftest import json_source, start_newsdesk, wait_for

pytestmark = pytest.mark.slow

NAMES = ["aaa_slow", "bbb", "ccc", "ddd", "eee", "fff"]


def test_three_workers_share_the_catalog_and_survive_a_kill_9(pg_url, httpserver, tmp_path):
    slow_calls = []
    lock = threading.Lock()
    killed = threading.Event()

    def listing(name: str):
        def handler(request):
            if name == "aaa_slow":
                with lock:
                    slow_calls.append(time.monotonic())
                    first = len(slow_calls) == 1
                if first:
                    killed.wait(60)  # the worker holding this job is killed meanwhile
            items = [{"t": f"{name} 新闻 {n}", "u": f"https://{name}.example.com/{n}"} for n in range(2)]
            return Response(json.dumps({"items": items}, ensure_ascii=False), content_type="application/json")

        return handler

    folder = tmp_path / "sources"
    for name in NAMES:
        httpserver.expect_request(f"/{name}").respond_with_handler(listing(name))
        json_source(folder, name, httpserver.url_for("/" + name), "interval: 600\ntimeout: 30\n")
    config = tmp_path / "settings.toml"
    config.write_text(
        "[fetch]\nhost_delay = 0\nretries = 0\n[workers]\ntick = 1\nheartbeat = 0.5\nstalled_after = 4.0\n"
    )
    with Store(pg_url) as store:  # the schema exists before three workers race to it
        store.count()

    def worker(concurrency: int) -> subprocess.Popen:
        return start_newsdesk("--config", str(config), "run", *NAMES, "--sources", str(folder),
                              "--concurrency", str(concurrency), "--json", db=pg_url)  # fmt: skip

    first = worker(1)  # alone, with one slot: it takes the first source, the slow one
    try:
        wait_for(lambda: slow_calls, 60, "the slow source to be requested")
        others = [worker(2), worker(2)]
        first.send_signal(signal.SIGKILL)
        first.wait(10)
        killed.set()
        with Store(pg_url) as store:
            try:
                wait_for(
                    lambda: len(store.health()) == len(NAMES) and all(h.last_success for h in store.health().values()),
                    60,
                    "every source, the slow one again, to be fetched",
                )
            except AssertionError:
                for process in others:
                    process.send_signal(signal.SIGTERM)
                details = [p.communicate(timeout=30) for p in others]
                raise AssertionError(f"{store.health()}\n{details}") from None
            time.sleep(3)  # a few more scheduling passes: nothing may run twice
            health = store.health()
            titles = sorted(a.title for a in store.iter_articles())
        for process in others:
            process.send_signal(signal.SIGTERM)
        outputs = [process.communicate(timeout=60) for process in others]
    finally:
        for process in [first, *locals().get("others", [])]:
            if process.poll() is None:
                process.kill()
    requests = Counter(request.path.strip("/") for request, _ in httpserver.log)
    assert {name: requests[name] for name in NAMES[1:]} == dict.fromkeys(NAMES[1:], 1)  # none twice in its interval
    assert len(slow_calls) == 2  # the dead worker's job, retried elsewhere (the log has the first once it ends)
    assert all(h.state == "ok" for h in health.values())
    assert titles == sorted(f"{name} 新闻 {n}" for name in NAMES for n in range(2))
    assert all(p.returncode == 0 for p in others), [err[-2000:] for _, err in outputs]
    runs = [json.loads(line) for out, _ in outputs for line in out.splitlines() if line.startswith("{")]
    assert {r["name"] for r in runs} == set(NAMES)
