"""newsboat (Debian's package), a real reader app, against a served desk: driven in tmux
through its Google-Reader-compatible mode (``urls-source "feedhq"``) — the feeds listed,
unread counts equal to the server's, an article opened in newsboat read on the server, an
article read on the web read in newsboat after a reload, a feed marked read in newsboat
read on the server — and through its OPML online mode on newsdesk's ``/opml.xml``."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import time
from dataclasses import replace

import pytest

from newsdesk import accounts
from newsdesk.config import Settings
from newsdesk.pipeline import import_paths
from newsdesk.web import create_app
from tests.conftest import write_data
from tests.web.helpers import RECORDS, running

pytestmark = pytest.mark.xdist_group("newsboat")  # one tmux server, one terminal at a time


@pytest.fixture(scope="module", autouse=True)
def tools():
    missing = [tool for tool in ("newsboat", "tmux") if shutil.which(tool) is None]
    if missing:
        if os.environ.get("CI"):
            pytest.fail(f"{', '.join(missing)} required under CI (make system-deps installs them)")
        pytest.skip(f"{', '.join(missing)} not installed (make system-deps)")


@pytest.fixture
def desk(tmp_path, open_store):
    write_data(tmp_path / "data" / "wire" / "news.json", RECORDS)
    store = open_store(f"sqlite:///{tmp_path}/n.db")
    import_paths(store, [tmp_path / "data"], Settings())
    return store


def _newsboat(home, config, *commands):
    """newsboat with this config file, running ``commands`` (``-x``) and exiting."""
    command = ["newsboat", "-C", str(config), "-c", str(home / "cache.db"), "-u", str(home / "urls"), "-x", *commands]
    done = subprocess.run(command, capture_output=True, text=True, timeout=120, env={**os.environ, "HOME": str(home)})
    assert done.returncode == 0, done.stderr
    return done.stdout


def _unread(text):
    return int(re.search(r"(\d+) unread articles", text)[1])


class Terminal:
    """newsboat in a tmux session of its own: keys in, the screen out."""

    def __init__(self, home, config):
        self.socket = str(home / "tmux.sock")
        command = f"newsboat -C {config} -c {home / 'cache.db'} -u {home / 'urls'}"
        self._tmux("new-session", "-d", "-s", "nb", "-x", "160", "-y", "40", command)

    def _tmux(self, *args):
        return subprocess.run(["tmux", "-S", self.socket, *args], capture_output=True, text=True, timeout=30)

    def keys(self, *keys):
        self._tmux("send-keys", "-t", "nb", *keys)

    def wait_for(self, pattern, seconds=20.0):
        deadline, screen = time.monotonic() + seconds, ""
        while time.monotonic() < deadline:
            screen = self._tmux("capture-pane", "-p", "-t", "nb").stdout
            if re.search(pattern, screen):
                return screen
            time.sleep(0.1)
        raise AssertionError(f"not on newsboat's screen: {pattern!r}\n{screen}")

    def close(self):
        self._tmux("kill-server")


def test_newsboat_google_reader_mode(desk, tmp_path):
    store = desk
    store.add_user("ada", accounts.hash_password("a long password"))
    password = accounts.new_token("app")
    store.add_token("ada", "app", "newsboat", accounts.digest(password))
    token = accounts.new_token("api")
    store.add_token("ada", "api", "web", accounts.digest(token))
    with running(create_app(store, replace(Settings(), web_public=False))) as client:
        config = tmp_path / "config"
        (tmp_path / "urls").write_text("")
        config.write_text(
            f'urls-source "feedhq"\nfeedhq-url "{client.base_url}"\n'.replace('/"', '"')
            + f'feedhq-login "ada"\nfeedhq-password "{password}"\nfeedhq-min-items 100\nshow-read-feeds no\n'
        )
        login = client.post("/accounts/ClientLogin", data={"Email": "ada", "Passwd": password}).text
        reader = {"Authorization": "GoogleLogin auth=" + login.split("Auth=")[1].strip()}

        def server_unread():
            counts = client.get("/reader/api/0/unread-count", headers=reader).json()["unreadcounts"]
            return {c["id"]: c["count"] for c in counts}

        assert _unread(_newsboat(tmp_path, config, "reload", "print-unread")) == len(RECORDS)
        assert server_unread()["user/-/state/com.google/reading-list"] == len(RECORDS)

        terminal = Terminal(tmp_path, config)
        try:
            screen = terminal.wait_for(r"wire_x")
            assert re.search(r"\(12/12\) wire_0", screen) and re.search(r"\(11/11\) wire_1", screen)
            terminal.keys("Enter")  # the first feed: wire_0
            terminal.wait_for(r"Articles in feed 'wire_0'")
            terminal.keys("Enter")  # its newest article, read in newsboat
            terminal.wait_for(r"Fed meeting 22")
            terminal.keys("q")
            terminal.wait_for(r"Articles in feed 'wire_0' \(11 unread")
            terminal.keys("q")
            terminal.wait_for(r"\(11/12\) wire_0")
            terminal.keys("Down")  # wire_1
            terminal.keys("A")  # mark the feed read
            terminal.wait_for(r"Your feeds \(2 unread")
            terminal.keys("q")
        finally:
            terminal.close()
        counts = server_unread()
        assert counts["feed/wire_0"] == 11 and "feed/wire_1" not in counts, counts

        newest = client.get("/api/articles?source=wire_0&limit=2", headers={"Authorization": f"Bearer {token}"}).json()
        uuid = newest["articles"][1]["uuid"]
        marked = client.put(
            f"/api/me/articles/{uuid}", json={"read": True}, headers={"Authorization": f"Bearer {token}"}
        )
        assert marked.status_code == 200
        unread = server_unread()["user/-/state/com.google/reading-list"]
        assert unread == 11 and _unread(_newsboat(tmp_path, config, "reload", "print-unread")) == unread


def test_newsboat_opml_online_mode(desk, tmp_path):
    with running(create_app(desk, Settings())) as client:
        opml = client.get("/opml.xml").text
        config = tmp_path / "config"
        (tmp_path / "urls").write_text("")
        config.write_text(f'urls-source "opml"\nopml-url "{client.base_url}/opml.xml"\n')
        assert "/sources/wire_0/index.xml" in opml
        assert _unread(_newsboat(tmp_path, config, "reload", "print-unread")) == len(RECORDS)
