"""WAL checkpoints in the store's own thread: the writer goes on, the log is copied."""

from __future__ import annotations

import sqlite3
import threading
import time
from datetime import UTC, datetime

from newsdesk.store import Store
from newsdesk.store.checkpoints import BACKSTOP
from tests.conftest import article


def test_the_log_is_copied_into_the_database_by_the_store_thread(tmp_path):
    path = tmp_path / "wal.db"
    with Store(f"sqlite:///{path}") as store:
        with store.engine.connect() as conn:  # the writers' own checkpoints wait for a large log
            assert conn.exec_driver_sql("PRAGMA wal_autocheckpoint").scalar() == BACKSTOP
        assert store.checkpoints is not None and store.checkpoints.runs == 0  # no writes, no thread
        for n in range(5):
            store.save([article(n * 10 + k, text="正文。" * 200) for k in range(10)], [], datetime.now(UTC))
        deadline = time.monotonic() + 10
        while store.checkpoints.runs == 0 and time.monotonic() < deadline:
            time.sleep(0.05)
        assert store.checkpoints.runs > 0
        reader = sqlite3.connect(path)
        try:
            assert reader.execute("SELECT count(*) FROM articles").fetchone()[0] == 50
        finally:
            reader.close()
    assert not any(t.name == "sqlite-checkpoints" for t in threading.enumerate())  # closed with the store
