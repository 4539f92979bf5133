"""The MCP server for agents, exercised by the official MCP Inspector CLI (npm, pinned in
tools/web-checks): over stdio the five tools are listed and answer from the desk (search,
top stories, a story, a ticker's news), a bad argument is a tool error and no crash;
over streamable HTTP with reading not public, a Bearer API token is needed, as for the API."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time

import httpx
import pytest

from newsdesk import accounts
from newsdesk.config import Settings
from newsdesk.pipeline import import_paths
from tests.conftest import ROOT, write_data
from tests.web.helpers import RECORDS

INSPECTOR = ROOT / "tools" / "web-checks" / "node_modules" / ".bin" / "mcp-inspector"
NEWSDESK = [sys.executable, "-m", "newsdesk"]


@pytest.fixture(scope="module", autouse=True)
def inspector():
    if not INSPECTOR.exists():
        if os.environ.get("CI"):
            pytest.fail("the MCP Inspector is required under CI (make web-checks installs it)")
        pytest.skip("the MCP Inspector is not installed (make web-checks)")


@pytest.fixture
def desk(tmp_path, open_store):
    write_data(tmp_path / "data" / "wire" / "news.json", RECORDS)
    url = f"sqlite:///{tmp_path}/n.db"
    store = open_store(url)
    import_paths(store, [tmp_path / "data"], Settings())
    return url, store


def _inspect(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(INSPECTOR), "--cli", *args], capture_output=True, text=True, timeout=120)


def _result(done: subprocess.CompletedProcess[str]) -> dict:
    assert done.returncode == 0, done.stderr[-2000:]
    return json.loads(done.stdout)


def test_tools_over_stdio(desk):
    url, _ = desk
    server = [*NEWSDESK, "--db", url, "mcp"]
    tools = _result(_inspect(*server, "--method", "tools/list"))["tools"]
    assert {t["name"] for t in tools} == {"search_news", "top_stories", "story", "ticker_news", "watchlist_matches"}
    found = _result(
        _inspect(
            *server, "--method", "tools/call", "--tool-name", "search_news", "--tool-arg", "query=美联储", "limit=3"
        )
    )
    results = found["structuredContent"]["results"]
    assert len(results) == 3 and all("美联储" in r["title"] for r in results) and not found.get("isError")
    top = _result(_inspect(*server, "--method", "tools/call", "--tool-name", "top_stories", "--tool-arg", "limit=5"))
    stories = top["structuredContent"]["stories"]
    assert stories, "the corpus was just imported: its stories are in the window"
    one = _result(
        _inspect(
            *server, "--method", "tools/call", "--tool-name", "story", "--tool-arg", f"story_id={stories[0]['id']}"
        )
    )
    assert one["structuredContent"]["articles"]
    apple = _result(
        _inspect(*server, "--method", "tools/call", "--tool-name", "ticker_news", "--tool-arg", "ticker=aapl")
    )
    assert [a["title"] for a in apple["structuredContent"]["articles"]] and apple["structuredContent"][
        "ticker"
    ] == "AAPL"
    for tool, argument in (("ticker_news", "limit=500"), ("story", "story_id=nope"),
                           ("watchlist_matches", "name=none"), ("search_news", "since=yesterday")):  # fmt: skip
        arguments = [argument] + (["ticker=AAPL"] if tool == "ticker_news" else [])
        arguments += ["query=美联储"] if tool == "search_news" and "query" not in argument else []
        done = _inspect(*server, "--method", "tools/call", "--tool-name", tool, "--tool-arg", *arguments)
        answer = json.loads(done.stdout) if done.stdout.strip().startswith("{") else {}
        assert answer.get("isError") is True, (tool, argument, done.stdout, done.stderr)
        assert "Traceback" not in done.stderr


def test_streamable_http_needs_a_token_when_reading_is_not_public(desk, tmp_path):
    url, store = desk
    store.add_user("ada", accounts.hash_password("a long password"))
    token = accounts.new_token("api")
    store.add_token("ada", "api", "agent", accounts.digest(token))
    config = tmp_path / "private.toml"
    config.write_text("[web]\npublic = false\n")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = subprocess.Popen(
        [*NEWSDESK, "--db", url, "--config", str(config), "mcp", "--http", "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        endpoint = f"http://127.0.0.1:{port}/mcp"
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                refused = httpx.post(endpoint, json={"jsonrpc": "2.0", "id": 1, "method": "tools/list"})
                break
            except httpx.TransportError:
                time.sleep(0.1)
        assert refused.status_code == 401 and refused.json()["error"].startswith("sign in")
        assert _inspect(endpoint, "--transport", "http", "--method", "tools/list").returncode != 0
        bearer = ("--header", f"Authorization: Bearer {token}")
        tools = _result(_inspect(endpoint, "--transport", "http", *bearer, "--method", "tools/list"))["tools"]
        assert len(tools) == 5
        found = _result(_inspect(endpoint, "--transport", "http", *bearer, "--method", "tools/call",
                                 "--tool-name", "search_news", "--tool-arg", "query=Fed meeting"))  # fmt: skip
        assert found["structuredContent"]["results"]
    finally:
        server.terminate()
        _, errors = server.communicate(timeout=10)
    assert "Traceback" not in errors and token not in errors
