"""`newsdesk watch` through the real command line."""

from __future__ import annotations

import json

import pytest

from tests.conftest import newsdesk, record, write_data


@pytest.mark.slow  # several command-line processes
def test_watch_commands_add_list_test_and_remove(sqlite_url, tmp_path):
    write_data(
        tmp_path / "data" / "wire" / "news.json",
        [record(1, title="英伟达股价大涨", description="<p>英伟达(NVDA.O)大涨。</p>", pub_date=None)],
    )
    newsdesk("import", str(tmp_path / "data"), db=sqlite_url, check=True)
    added = newsdesk(
        "watch",
        "add",
        "chips",
        "--ticker",
        "nvda",
        "--query",
        "英伟达",
        "--every",
        "30",
        "--quiet",
        "22:00-07:00",
        "--notify",
        "tgram://123:secret/456",
        db=sqlite_url,
        check=True,
    )
    assert "saved" in added.stderr
    [listed] = json.loads(newsdesk("watch", "list", "--json", db=sqlite_url, check=True).stdout)
    assert listed["tickers"] == ["NVDA"] and listed["mode"] == "digest" and listed["every"] == 30
    assert listed["notify"] == ["tgram://…"] and "secret" not in json.dumps(listed)
    tried = json.loads(newsdesk("watch", "test", "chips", "--json", db=sqlite_url, check=True).stdout)
    assert [a["title"] for a in tried] == ["英伟达股价大涨"]  # undated: first seen today
    bad = newsdesk("watch", "add", "bad", "--query", "-x", db=sqlite_url)
    assert bad.returncode == 2 and "no words" in bad.stderr
    assert newsdesk("watch", "remove", "chips", db=sqlite_url).returncode == 0
    assert newsdesk("watch", "remove", "chips", db=sqlite_url).returncode == 2
    assert json.loads(newsdesk("watch", "list", "--json", db=sqlite_url, check=True).stdout) == []
