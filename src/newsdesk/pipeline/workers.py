"""``newsdesk run`` on PostgreSQL: workers of Procrastinate sharing one catalog.

Every worker process — on any machine pointed at the same database — runs the
same tasks:

- ``newsdesk.schedule``, a Procrastinate periodic task (every ``workers.tick`` seconds;
  each tick is deferred once, whatever the number of workers, and passes run one at a
  time): it defers one ``newsdesk.fetch_source`` job per due source;
- ``newsdesk.revive``, periodic too: it puts back to ``todo`` the jobs of workers whose
  heartbeat stopped, so a dead worker's sources are fetched elsewhere;
- ``newsdesk.fetch_source(name)``: :func:`newsdesk.pipeline.refresh.fetch_source`;
- ``newsdesk.send_alerts(watchlist)``: sends the watchlist's alerts that are due
  (:func:`newsdesk.watch.deliver.deliver_due`), deferred by a fetch job that saved
  articles, and by ``newsdesk.alerts``, periodic every second, for the rest (digests
  coming due, retries, alerts queued by ``newsdesk import``);
- ``newsdesk.prune``, periodic, daily at 03:17 UTC: retention (:mod:`.prune`).

A source is due when its last run ended an interval ago (its health row, so the
interval holds across workers) and it has no job queued or running; its jobs
carry ``queueing_lock`` and ``lock`` = the source name, so two are never queued
nor run at once. A send job carries ``queueing_lock`` and ``lock`` =
``alerts:WATCHLIST``: one waits at a time and takes every alert of the watchlist due
when it runs (one message for a burst); each alert is claimed in the outbox before it
is sent, so it goes once whichever worker runs the job. A job that crashes is retried
by Procrastinate's retry strategy (a source's own failures are health, not crashes).
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Mapping
from datetime import UTC, datetime, timedelta
from typing import Any

import procrastinate
import psycopg
from procrastinate import exceptions as procrastinate_errors
from sqlalchemy.engine import make_url

from newsdesk.config import Settings, database_url
from newsdesk.fetch.client import Fetcher
from newsdesk.fetch.documents import limits_from
from newsdesk.pipeline.daemon import WatchlistCache, active, interval_of
from newsdesk.pipeline.prune import prune
from newsdesk.pipeline.refresh import RunResult, fetch_source
from newsdesk.pipeline.subscribe import with_subscriptions
from newsdesk.sources.catalog import Source
from newsdesk.store import Store

__all__ = ["conninfo", "make_app", "run_worker", "status"]

_SCHEMA_LOCK = 72_114_007  # advisory lock: one worker installs Procrastinate's tables


def conninfo(db_url: str) -> str:
    """libpq connection string of a SQLAlchemy PostgreSQL URL (options such as search_path kept)."""
    url = make_url(database_url(db_url)).set(drivername="postgresql")
    return url.render_as_string(hide_password=False)


def make_app(db_url: str, settings: Settings) -> procrastinate.App:
    """The Procrastinate app: tasks, the periodic scheduler (``workers.tick``), heartbeats
    every ``workers.heartbeat`` s, a worker silent for ``workers.stalled_after`` s is dead."""
    tick, stalled_after = settings.workers_tick, settings.workers_stalled_after
    app = procrastinate.App(connector=procrastinate.PsycopgConnector(conninfo=conninfo(db_url)))

    @app.task(
        name="newsdesk.fetch_source",
        queue="fetch",
        pass_context=True,
        retry=procrastinate.RetryStrategy(max_attempts=3, exponential_wait=5),
    )
    async def fetch_source_job(context: procrastinate.JobContext, name: str) -> dict[str, Any]:
        state = context.additional_context["newsdesk"]
        source = _catalog(state).get(name)
        if source is None:  # removed from the catalog since it was queued
            return {"name": name, "state": "gone"}
        result: RunResult = await fetch_source(source, state["fetcher"], state["store"], state["settings"])
        if state.get("on_result"):
            state["on_result"](result)
        if result.new:
            await defer_sends(state["store"])
        return result.as_json()

    @app.task(
        name="newsdesk.send_alerts",
        queue="alerts",
        pass_context=True,
        retry=procrastinate.RetryStrategy(max_attempts=3, exponential_wait=2),
    )
    async def send_alerts_job(context: procrastinate.JobContext, watchlist: str) -> dict[str, int]:
        state = context.additional_context["newsdesk"]
        cache: WatchlistCache = state["watchlists"]
        return (await asyncio.to_thread(cache.deliver, state["secrets"], watchlist)).as_json()

    async def defer_sends(store: Store) -> int:
        names = await asyncio.to_thread(store.due_watchlists)  # one waiting already takes these too
        return sum([await _defer_once(send_alerts_job, f"alerts:{name}", watchlist=name) for name in names])

    @app.periodic(cron="* * * * * */1", periodic_id="newsdesk-alerts")
    @app.task(name="newsdesk.alerts", queue="schedule", queueing_lock="newsdesk.alerts", pass_context=True)
    async def alerts_due(context: procrastinate.JobContext, timestamp: int) -> dict[str, int]:
        return {"deferred": await defer_sends(context.additional_context["newsdesk"]["store"])}

    @app.periodic(cron=f"* * * * * */{tick}", periodic_id="newsdesk")
    @app.task(
        name="newsdesk.schedule",
        queue="schedule",
        queueing_lock="newsdesk.schedule",
        lock="newsdesk.schedule",
        pass_context=True,
    )  # one pass at a time, whichever worker runs it
    async def schedule(context: procrastinate.JobContext, timestamp: int) -> dict[str, int]:
        state = context.additional_context["newsdesk"]
        manager = app.job_manager
        store: Store = state["store"]
        # Queued and running jobs first, then health: a run that ends in between has
        # written its health (last_run) before its job is done, so it is seen either way.
        busy = {
            job.lock
            for status in ("todo", "doing")
            for job in await manager.list_jobs_async(queue="fetch", status=status)
        }
        health = store.health()
        now = datetime.now(UTC)
        deferred = 0
        for source in active(list(_catalog(state).values()), health):
            last = health.get(source.name)
            if last and last.last_run and last.last_run + timedelta(seconds=interval_of(source, now)) > now:
                continue
            if source.name in busy:
                continue
            deferred += await _defer_once(fetch_source_job, source.name, name=source.name)
        return {"deferred": deferred}

    # Apart from the scheduler, and without its lock: a worker killed during a scheduling
    # pass holds that lock until this puts its job back in the queue.
    @app.periodic(cron=f"* * * * * */{tick}", periodic_id="newsdesk-revive")
    @app.task(name="newsdesk.revive", queue="schedule", queueing_lock="newsdesk.revive", pass_context=True)
    async def revive(context: procrastinate.JobContext, timestamp: int) -> dict[str, int]:
        stalled = list(await app.job_manager.get_stalled_jobs(seconds_since_heartbeat=stalled_after))
        for job in stalled:
            await app.job_manager.retry_job(job)
        return {"revived": len(stalled)}

    @app.periodic(cron="17 3 * * *", periodic_id="newsdesk-prune")  # daily, 03:17 UTC
    @app.task(name="newsdesk.prune", queue="schedule", queueing_lock="newsdesk.prune", lock="newsdesk.prune",
              pass_context=True)  # fmt: skip
    async def prune_job(context: procrastinate.JobContext, timestamp: int) -> dict[str, int]:
        state = context.additional_context["newsdesk"]
        gone = await asyncio.to_thread(prune, state["store"], state["settings"], list(state["catalog"].values()))
        return dict(gone)

    return app


async def _defer_once(task: Any, lock: str, **arguments: Any) -> bool:
    """Defer a job of ``task`` with ``lock`` as its lock and queueing lock; False when
    one is already waiting."""
    try:
        await task.configure(lock=lock, queueing_lock=lock).defer_async(**arguments)
    except procrastinate_errors.AlreadyEnqueued:
        return False
    return True


async def install_schema(app: procrastinate.App, db_url: str) -> None:
    """Procrastinate's tables, once (an advisory lock keeps workers starting together apart)."""
    async with await psycopg.AsyncConnection.connect(conninfo(db_url), autocommit=True) as conn:
        await conn.execute("SELECT pg_advisory_lock(%s)", (_SCHEMA_LOCK,))
        try:
            found = await (await conn.execute("SELECT to_regclass('procrastinate_jobs')")).fetchone()
            if found is None or found[0] is None:
                await app.schema_manager.apply_schema_async()
        finally:
            await conn.execute("SELECT pg_advisory_unlock(%s)", (_SCHEMA_LOCK,))


def _catalog(state: dict[str, Any]) -> dict[str, Source]:
    if state.get("subscriptions"):
        return with_subscriptions(state["catalog"], state["store"], state["settings"])
    return dict(state["catalog"])


async def run_worker(
    db_url: str,
    store: Store,
    settings: Settings,
    catalog: dict[str, Source],
    *,
    concurrency: int = 4,
    on_result: Callable[[RunResult], None] | None = None,
    app: procrastinate.App | None = None,
    secrets: Mapping[str, str] | None = None,
    subscriptions: bool = False,
) -> None:
    """Run one worker until SIGTERM/SIGINT (Procrastinate finishes the jobs in flight).
    ``secrets`` (the environment) gives the watchlists' ``${NAME}`` targets; with
    ``subscriptions``, the feeds added by URL run beside ``catalog``, as they are now."""
    app = app or make_app(db_url, settings)
    async with app.open_async(), Fetcher(limits_from(settings)) as fetcher:
        await install_schema(app, db_url)
        context = {
            "store": store,
            "settings": settings,
            "catalog": catalog,
            "subscriptions": subscriptions,
            "fetcher": fetcher,
            "on_result": on_result,
            "secrets": secrets or {},
            "watchlists": WatchlistCache(store, settings),
        }
        await app.run_worker_async(
            queues=["fetch", "schedule", "alerts"],
            concurrency=concurrency,
            additional_context={"newsdesk": context},
            install_signal_handlers=True,
            update_heartbeat_interval=settings.workers_heartbeat,
            stalled_worker_timeout=settings.workers_stalled_after,
            delete_jobs="successful",
        )


async def status(db_url: str) -> dict[str, Any]:
    """Workers (with their last heartbeat) and jobs by queue and status: ``newsdesk workers`` / ``jobs``."""
    async with await psycopg.AsyncConnection.connect(conninfo(db_url)) as conn:
        found = await (await conn.execute("SELECT to_regclass('procrastinate_jobs')")).fetchone()
        if found is None or found[0] is None:
            return {"workers": [], "jobs": []}
        workers = await (
            await conn.execute("SELECT id, last_heartbeat FROM procrastinate_workers ORDER BY id")
        ).fetchall()
        jobs = await (
            await conn.execute(
                "SELECT queue_name, status::text, count(*), array_agg(DISTINCT lock) FROM procrastinate_jobs"
                " GROUP BY 1, 2 ORDER BY 1, 2"
            )
        ).fetchall()
    return {
        "workers": [{"id": w, "last_heartbeat": beat.isoformat()} for w, beat in workers],
        "jobs": [
            {"queue": q, "status": s, "count": n, "sources": sorted(x for x in locks if x)} for q, s, n, locks in jobs
        ],
    }
