"""What the served-app tests share: a small corpus (two wires and one hostile article)
and a running app on a real socket."""

import contextlib
import os
import socket
import threading
import time
from pathlib import Path

import httpx
import pytest
import uvicorn

from newsdesk.config import Settings
from tests.conftest import record

PAGED = Settings(site_per_page=10)  # what the tests' page arithmetic is written for

RECORDS = [
    record(n, title=f"美联储第{n}次会议 Fed meeting {n}", pub_date=1738917470 + n, source=f"wire_{n % 2}")
    for n in range(23)
]
RECORDS.append(
    record(
        100,
        title="<script>window.pwned=1</script>苹果 Apple (AAPL) 财报",  # noqa: E501
        description='<p>苹果公司<script>window.pwned=1</script><img src=x onerror="window.pwned=1"></p>',
        source="wire_x",
        pub_date=1738917000,
    )
)


@contextlib.contextmanager
def running(application):
    """The ASGI ``application`` served by uvicorn on 127.0.0.1 in a thread; yields an httpx client."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(application, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    try:
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=10) as client:
            yield client
    finally:
        server.should_exit = True
        thread.join(5)


CHROMIUM = os.environ.get("NEWSDESK_CHROMIUM", "/usr/bin/chromium")
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@contextlib.contextmanager
def chromium():
    """Debian's Chromium driven by Playwright (skipped without it, except under CI)."""
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI"):
            pytest.fail(f"Chromium is required under CI and {CHROMIUM} is missing (make test installs it)")
        pytest.skip(f"{CHROMIUM} is missing: `make test` installs Debian's chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield launched
        launched.close()
