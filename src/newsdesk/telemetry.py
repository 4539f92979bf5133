"""Prometheus metrics (prometheus-client), in one place.

Two kinds:

* counted in the process that does the work — fetch runs and items by source and
  state, HTTP statuses and latency of the fetcher, alert deliveries, requests served
  by route; with ``PROMETHEUS_MULTIPROC_DIR`` set (``serve --workers N`` sets it for
  its workers) every process writes its figures there and a scrape adds them up;
* read from the database at scrape time (:class:`StoreCollector`) — articles stored,
  sources by state, alerts by state, the PostgreSQL job queue and worker heartbeats —
  so that they cover every process and machine sharing the database.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.multiprocess import MultiProcessCollector
from prometheus_client.registry import Collector

__all__ = [
    "ALERTS",
    "CONTENT_TYPE_LATEST",
    "FETCH_LATENCY",
    "FETCH_STATUS",
    "ITEMS",
    "REQUEST_LATENCY",
    "RUNS",
    "StoreCollector",
    "exposition",
    "registry",
]

RUNS = Counter("newsdesk_fetch_runs", "Fetch runs of a source, by how they ended.", ["source", "state"])
ITEMS = Counter("newsdesk_fetch_items", "Items of fetch runs: new, updated, seen, rejected.", ["source", "outcome"])
FETCH_LATENCY = Histogram(
    "newsdesk_fetch_request_seconds",
    "Time of one HTTP request of the fetcher (answered ones).",
    buckets=(0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30),
)
FETCH_STATUS = Counter("newsdesk_fetch_responses", "HTTP answers the fetcher got, by status.", ["status"])
ALERTS = Counter("newsdesk_alert_deliveries", "Watchlist alerts handled by a sender, by outcome.", ["outcome"])
REQUEST_LATENCY = Histogram(
    "newsdesk_http_request_seconds",
    "Time to answer a request of the web app, by route and status.",
    ["route", "method", "status"],
    buckets=(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5),
)


def registry(collector: Collector | None = None) -> CollectorRegistry:
    """Every metric: this process's (or, in multiprocess mode, every process's), plus ``collector``'s."""
    found = CollectorRegistry()
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        MultiProcessCollector(found)  # type: ignore[no-untyped-call]
    else:
        for metric in (RUNS, ITEMS, FETCH_LATENCY, FETCH_STATUS, ALERTS, REQUEST_LATENCY):
            found.register(metric)  # a metric is read by every registry it is in
    if collector is not None:
        found.register(collector)
    return found


def exposition(collector: Collector | None = None) -> bytes:
    """The text format of :func:`registry`."""
    return bytes(generate_latest(registry(collector)))


class StoreCollector(Collector):
    """Figures read from the database at each scrape (``engine()`` gives the engine)."""

    def __init__(self, engine: Callable[[], sa.Engine]) -> None:
        self.engine = engine

    def collect(self) -> Iterator[GaugeMetricFamily]:
        """The database's figures, read in full before any is given out; a database that
        does not answer gives ``newsdesk_database_up 0`` (the scrape still succeeds)."""
        engine = self.engine()
        try:
            with engine.connect() as conn:
                found = list(self._read(conn, engine.dialect.name))
        except sa.exc.SQLAlchemyError:
            found = []
        yield _gauge("newsdesk_database_up", "1 when the database answered this scrape.", [], [((), int(bool(found)))])
        yield from found

    def _read(self, conn: sa.Connection, dialect: str) -> Iterator[GaugeMetricFamily]:
        articles = conn.execute(sa.text("SELECT count(*) FROM articles")).scalar_one()
        yield _gauge("newsdesk_articles", "Articles stored.", [], [((), articles)])
        rows = conn.execute(sa.text("SELECT state, count(*) FROM source_health GROUP BY state")).all()
        yield _gauge("newsdesk_sources", "Sources with a health record, by state.", ["state"], rows)
        rows = conn.execute(sa.text("SELECT state, count(*) FROM alerts GROUP BY state")).all()
        yield _gauge("newsdesk_alerts", "Watchlist alerts in the outbox, by state.", ["state"], rows)
        if dialect == "postgresql":
            yield from _queue(conn)


def _queue(conn: sa.Connection) -> Iterator[GaugeMetricFamily]:
    if conn.execute(sa.text("SELECT to_regclass('procrastinate_jobs')")).scalar_one() is None:
        return
    rows = conn.execute(sa.text(
        "SELECT queue_name, status::text, count(*) FROM procrastinate_jobs GROUP BY 1, 2")).all()  # fmt: skip
    yield _gauge("newsdesk_jobs", "Procrastinate jobs, by queue and status.", ["queue", "status"], rows)
    now = datetime.now(UTC)
    beats = conn.execute(sa.text("SELECT id, last_heartbeat FROM procrastinate_workers")).all()
    ages = [((str(worker),), (now - beat).total_seconds()) for worker, beat in beats]
    yield _gauge("newsdesk_worker_heartbeat_age_seconds", "Seconds since each worker's heartbeat.", ["worker"], ages)


def _gauge(name: str, text: str, labels: list[str], rows: Any) -> GaugeMetricFamily:
    family = GaugeMetricFamily(name, text, labels=labels)
    for *values, number in rows:
        keys = values[0] if values and isinstance(values[0], tuple) else values
        family.add_metric([str(v) for v in keys], float(number))
    return family
