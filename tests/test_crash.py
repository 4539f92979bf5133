"""kill -9 in the middle of an import, then the same import again, must give the
same database as one clean import."""

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time

import pytest

from tests.conftest import record

pytestmark = pytest.mark.slow
COLUMNS = (
    "uuid, link, source, external_id, title, raw_html, html, markdown, text, summary, image, author, "
    "language, kind, kind_raw, published, content_hash, tags, tickers, cluster"
)


def _records(n: int) -> list[dict]:
    rows = []
    for i in range(n):
        body = "".join(f"<p>第{i}篇第{p}段：测试正文 <b>bold</b> text for paragraph {p}.</p>" for p in range(40))
        rows.append(record(i, description=body, pub_date=1738917470 + i))
    rows[17]["link"] = rows[3]["link"]  # a changed version of an earlier article
    return rows


def _snapshot(path) -> tuple[list, list]:
    with sqlite3.connect(path) as conn:
        articles = conn.execute(f"SELECT {COLUMNS} FROM articles ORDER BY uuid").fetchall()
        versions = conn.execute("SELECT uuid, content_hash FROM article_versions ORDER BY 1, 2").fetchall()
    return articles, versions


def _import(db, data, config):
    return subprocess.Popen(
        [sys.executable, "-m", "newsdesk", "--db", f"sqlite:///{db}", "--config", str(config), "import", str(data)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _committed(db) -> int:
    try:
        with sqlite3.connect(db, timeout=1) as conn:
            return conn.execute("SELECT count(*) FROM articles").fetchone()[0]
    except sqlite3.OperationalError:
        return 0


def test_kill_9_then_reimport_equals_a_clean_import(tmp_path):
    data = tmp_path / "big.jsonl"
    data.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in _records(3000)) + "\n")
    config = tmp_path / "c.toml"
    config.write_text("[import]\nbatch_size = 20\n")
    killed_db, clean_db = tmp_path / "killed.db", tmp_path / "clean.db"

    victim = _import(killed_db, data, config)
    deadline = time.monotonic() + 120
    while _committed(killed_db) < 200 and time.monotonic() < deadline and victim.poll() is None:
        time.sleep(0.05)
    assert victim.poll() is None, "the import finished before it could be killed: make the input larger"
    os.kill(victim.pid, signal.SIGKILL)
    victim.wait()
    partial = _committed(killed_db)
    assert 0 < partial < 2999

    assert _import(killed_db, data, config).wait() == 0
    assert _import(clean_db, data, config).wait() == 0
    assert _snapshot(killed_db) == _snapshot(clean_db)
    assert len(_snapshot(clean_db)[0]) == 2999
