"""The outbox across a kill -9: alerts are written with the articles, so an import
killed after some batches committed, run again, then sent, alerts each story once."""

from __future__ import annotations

import json
import os
import random
import re
import signal
import sqlite3
import subprocess
import sys
import threading
import time

import pytest

from tests.conftest import record

pytestmark = pytest.mark.slow


def _records(n: int) -> list[dict]:
    """Distinct stories (bodies of random characters: no two cluster together), a sixth on gold."""
    topics = ["英伟达", "黄金", "美联储", "特斯拉", "比特币", "原油"]
    rows = []
    for i in range(n):
        rng = random.Random(i)
        body = "".join(chr(rng.randrange(0x4E00, 0x9FA5)) for _ in range(400))
        rows.append(
            record(
                i,
                title=f"{topics[i % 6]}第{i}号消息：市场动态{i}",
                pub_date=1738917470 + i,
                description=f"<p>{topics[i % 6]}。{body}</p>",
            )
        )
    return rows


def _run(db, config, *args):
    return subprocess.Popen(
        [sys.executable, "-m", "newsdesk", "--db", f"sqlite:///{db}", "--config", str(config), *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _count(db, sql) -> int:
    try:
        with sqlite3.connect(db, timeout=1) as conn:
            return conn.execute(sql).fetchone()[0]
    except sqlite3.OperationalError:
        return 0


def test_kill_9_between_store_and_send_delivers_after_restart_once(tmp_path, httpserver):
    received: list[str] = []
    lock = threading.Lock()

    def hook(request):
        with lock:
            received.extend(re.findall(r"https?://\S+", json.loads(request.data)["message"]))
        from werkzeug import Response

        return Response("ok")

    httpserver.expect_request("/hook", method="POST").respond_with_handler(hook)
    data = tmp_path / "big.jsonl"
    data.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in _records(2400)) + "\n")
    config = tmp_path / "c.toml"
    config.write_text(
        f'[import]\nbatch_size = 20\n\n[watch.gold]\nquery = "黄金"\nnotify = ["json://127.0.0.1:{httpserver.port}/hook"]\n'
    )
    db = tmp_path / "killed.db"
    victim = _run(db, config, "import", str(data))
    deadline = time.monotonic() + 120
    while _count(db, "SELECT count(*) FROM alerts") < 20 and time.monotonic() < deadline and victim.poll() is None:
        time.sleep(0.05)
    assert victim.poll() is None, "the import finished before it could be killed: make the input larger"
    os.kill(victim.pid, signal.SIGKILL)
    victim.wait()
    queued_at_kill = _count(db, "SELECT count(*) FROM alerts")
    assert 0 < queued_at_kill < 400 and received == []  # stored, not sent

    assert _run(db, config, "import", str(data)).wait() == 0
    sender = _run(db, config, "watch", "send", "--json")
    out, _ = sender.communicate(timeout=300)
    stories = _count(db, "SELECT count(DISTINCT cluster) FROM articles WHERE title LIKE '黄金%'")
    assert json.loads(out) == {"sent": stories, "retrying": 0, "failed": 0, "held": 0}
    assert len(received) == len(set(received)) == stories == 400  # each story's link once: 2400 / 6 distinct ones
    assert json.loads(_run(db, config, "watch", "send", "--json").communicate(timeout=300)[0])["sent"] == 0
