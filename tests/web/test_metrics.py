"""``/metrics`` in Prometheus text format: requests by route, fetch runs and items, what
the database holds; with ``serve --workers 2`` the figures of both processes."""

from __future__ import annotations

import socket
import time

import httpx
import pytest
from prometheus_client.parser import text_string_to_metric_families

from newsdesk.config import Settings
from newsdesk.sources.catalog import Source
from newsdesk.store import Store
from tests.conftest import newsdesk, start_newsdesk, write_data
from tests.fetch.conftest import run
from tests.web.helpers import RECORDS


def _samples(text: str) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    return {
        (s.name, tuple(sorted(s.labels.items()))): s.value
        for family in text_string_to_metric_families(text)
        for s in family.samples
    }


def _value(samples, name: str, **labels: str) -> float:
    return samples.get((name, tuple(sorted(labels.items()))), 0.0)


def test_metrics_count_requests_by_route_and_read_the_database(server, db_url):
    for _ in range(3):
        assert server.get("/api/articles").status_code == 200
    assert server.get("/tags/AAPL/").status_code == 200
    answer = server.get("/metrics")
    assert answer.status_code == 200 and answer.headers["content-type"].startswith("text/plain")
    samples = _samples(answer.text)
    assert (
        _value(samples, "newsdesk_http_request_seconds_count", route="/api/articles", method="GET", status="200") >= 3
    )
    assert (
        _value(samples, "newsdesk_http_request_seconds_count", route="/tags/{slug}/", method="GET", status="200") >= 1
    )
    assert not [key for key in samples if ("path", "/tags/AAPL/") in key[1]]  # routes, not paths
    with Store(db_url) as store:
        assert _value(samples, "newsdesk_articles") == store.count() > 0
    assert _value(samples, "newsdesk_database_up") == 1


def test_a_database_that_does_not_answer_is_a_figure_not_a_failed_scrape(tmp_path):
    import sqlalchemy as sa

    from newsdesk import telemetry

    empty = sa.create_engine(f"sqlite:///{tmp_path / 'not-newsdesk.db'}")  # no tables: every query fails
    samples = _samples(telemetry.exposition(telemetry.StoreCollector(lambda: empty)).decode())
    assert _value(samples, "newsdesk_database_up") == 0 and ("newsdesk_articles", ()) not in samples


def test_fetch_runs_items_and_http_answers_are_counted(httpserver, sqlite_url):
    httpserver.expect_request("/list").respond_with_json(
        {"items": [{"t": "计数 counted", "u": "https://c.example.com/1"}]}
    )
    source = Source(name="counted", kind="json", url=httpserver.url_for("/list"), file="t", items="items",
                    fields={"title": "t", "link": "u"}, allow_private=True)  # fmt: skip
    from newsdesk import telemetry

    before = _samples(telemetry.exposition().decode())
    with Store(sqlite_url) as store:
        run([source], store, Settings(fetch_host_delay=0.0, import_workers=1))
        after = _samples(telemetry.exposition(telemetry.StoreCollector(lambda: store.engine)).decode())
    runs = "newsdesk_fetch_runs_total"
    assert _value(after, runs, source="counted", state="ok") - _value(before, runs, source="counted", state="ok") == 1
    assert _value(after, "newsdesk_fetch_items_total", source="counted", outcome="new") >= 1
    assert _value(after, "newsdesk_fetch_responses_total", status="200") > _value(
        before, "newsdesk_fetch_responses_total", status="200"
    )
    assert _value(after, "newsdesk_sources", state="ok") == 1


@pytest.mark.slow
def test_serve_with_two_workers_reports_the_requests_of_both(sqlite_url, tmp_path):
    write_data(tmp_path / "data" / "wire" / "news.json", RECORDS[:2])
    newsdesk("import", str(tmp_path / "data"), db=sqlite_url, check=True)
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = start_newsdesk("serve", "--port", str(port), "--workers", "2", db=sqlite_url)
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                httpx.get(f"http://127.0.0.1:{port}/api/articles", timeout=5)
                break
            except httpx.TransportError:
                assert time.monotonic() < deadline and server.poll() is None
                time.sleep(0.2)
        for _ in range(40):  # new connections: both processes take some
            httpx.get(f"http://127.0.0.1:{port}/api/articles", timeout=5)
        samples = _samples(httpx.get(f"http://127.0.0.1:{port}/metrics", timeout=5).text)
    finally:
        server.terminate()
        server.wait(15)
    served = _value(samples, "newsdesk_http_request_seconds_count", route="/api/articles", method="GET", status="200")
    assert served == 41 and _value(samples, "newsdesk_articles") == 2
