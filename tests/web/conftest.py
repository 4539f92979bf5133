"""The served app on a real socket (uvicorn in a thread) with a small imported corpus."""

from __future__ import annotations

import socket
import threading
import time

import httpx
import pytest
import uvicorn

from newsdesk.config import Settings
from newsdesk.pipeline import import_paths
from newsdesk.store import Store
from newsdesk.web import create_app
from tests.conftest import write_data
from tests.web.corpus import RECORDS

@pytest.fixture
def server(db_url, tmp_path):
    write_data(tmp_path / "data" / "wire" / "news.json", RECORDS)
    store = Store(db_url)
    import_paths(store, [tmp_path / "data"], Settings())
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    config = uvicorn.Config(create_app(store, Settings()), host="127.0.0.1", port=port, log_level="warning")
    running = uvicorn.Server(config)
    thread = threading.Thread(target=running.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not running.started and time.monotonic() < deadline:
        time.sleep(0.05)
    with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=10) as client:
        yield client
    running.should_exit = True
    thread.join(5)
    store.close()
