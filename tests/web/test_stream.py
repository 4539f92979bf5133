"""The live stream (``/api/stream``) on a real socket: articles imported while streams
are open reach each stream whose filter they pass, once."""

from __future__ import annotations

import json
import threading

import httpx
import pytest

from newsdesk.config import Settings
from newsdesk.pipeline import import_paths
from newsdesk.store import Store
from tests.conftest import record, write_data

NEW = [
    record(
        200, title="Nvidia (NVDA) 英伟达 rallies", description="<p>Nvidia NVDA shares rose 5%.</p>", source="wire_live"
    ),
    record(
        201,
        title="黄金价格上涨",
        description="<p>黄金价格今日上涨，避险需求升温，市场关注美联储。</p>",
        source="wire_live",
    ),
    record(
        202,
        title="NVDA supplier news",
        description="<p>A supplier of Nvidia (NASDAQ: NVDA) reported.</p>",
        source="other_live",
    ),
]


class Listener(threading.Thread):
    """Reads one stream until it has been quiet for ``quiet`` seconds (the import is
    done by then, and a duplicate would have come within a poll or two)."""

    def __init__(self, base: str, params: dict[str, str], quiet: float = 8.0) -> None:
        super().__init__(daemon=True)
        self.url, self.params, self.quiet = base + "/api/stream", params, quiet
        self.ready = threading.Event()
        self.articles: list[dict] = []
        self.content_type = ""

    def run(self) -> None:
        timeout = httpx.Timeout(5.0, read=self.quiet)
        with httpx.stream("GET", self.url, params=self.params, timeout=timeout) as response:
            self.content_type = response.headers["content-type"]
            try:
                for line in response.iter_lines():
                    if line.startswith("event: ready"):
                        self.ready.set()
                    elif line.startswith("data: ") and '"uuid"' in line:
                        self.articles.append(json.loads(line[6:]))
            except httpx.ReadTimeout:
                return


def _listen(base: str, params: dict[str, str]) -> Listener:
    listener = Listener(base, params)
    listener.start()
    assert listener.ready.wait(10), "the stream sent no ready event"
    return listener


@pytest.mark.slow
def test_new_articles_reach_every_matching_stream_once(server, db_url, tmp_path):
    base = str(server.base_url).rstrip("/")
    streams = {
        "all": _listen(base, {}),
        "nvda": _listen(base, {"ticker": "nvda"}),
        "source": _listen(base, {"source": "wire_live"}),
        "zh": _listen(base, {"lang": "zh"}),
    }
    write_data(tmp_path / "later" / "wire_live" / "news.json", NEW[:2])
    write_data(tmp_path / "later" / "other_live" / "news.json", NEW[2:])
    with Store(db_url) as store:
        report = import_paths(store, [tmp_path / "later"], Settings())
    assert report.new == 3
    for listener in streams.values():
        listener.join(60)
    titles = {name: sorted(a["title"] for a in listener.articles) for name, listener in streams.items()}
    assert streams["all"].content_type.startswith("text/event-stream")
    assert titles["all"] == sorted(r["title"] for r in NEW)  # each once: no duplicates from the overlap re-reads
    assert titles["nvda"] == ["NVDA supplier news", "Nvidia (NVDA) 英伟达 rallies"]
    assert titles["source"] == ["Nvidia (NVDA) 英伟达 rallies", "黄金价格上涨"]
    assert titles["zh"] == ["黄金价格上涨"]  # zh matches zh-CN
    first = streams["all"].articles[0]
    assert first["link"].startswith("https://news.example.com/") and first["tickers"] in (["NVDA"], [])
    cards = server.get("/entries/", params={"ids": ",".join(a["uuid"] for a in streams["nvda"].articles) + ",../x"})
    assert cards.text.count("<article") == 2 and "Nvidia (NVDA)" in cards.text


def test_bad_stream_parameters_are_json_errors(server):
    for params, status in (
        ({"since": "yesterday"}, 422),
        ({"since": "2025-02-05T00:00:00"}, 422),
        ({"until": "9999-12-31T20:00:00-05:00"}, 400),
    ):
        response = server.get("/api/stream", params=params)
        assert response.status_code == status, params
        assert "error" in response.json()
