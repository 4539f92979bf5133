"""``newsdesk run`` on one machine: each source on its own interval, in-process.

A small asyncio loop: a source is due ``interval`` seconds (its market-hours
schedule's interval when it has one) after its last run ended, with ±10 %
jitter so that sources started together drift apart. A source is never run
twice at once. On SIGTERM or SIGINT no new run starts; the runs in flight finish
(their writes are whole transactions), the alerts they queued are sent (for at most
:data:`DRAIN_SECONDS`) and the loop returns. Beside the fetches, the
watchlists' queued alerts are sent as soon as a run saved articles, and looked for
every quarter second (digests, retries: :func:`send_alerts`). With a retention set,
articles past it are removed at start and then daily (:func:`prune_daily`).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import random
import signal
import time
from collections.abc import Callable, Mapping
from datetime import UTC, datetime

from newsdesk.config import Settings
from newsdesk.errors import NewsdeskError
from newsdesk.fetch.client import Fetcher
from newsdesk.fetch.documents import limits_from
from newsdesk.models import SourceHealth, Watchlist
from newsdesk.pipeline.prune import DAILY, keeps_everything, prune
from newsdesk.pipeline.refresh import RunResult, fetch_source
from newsdesk.pipeline.subscribe import subscribed_sources
from newsdesk.sources.catalog import Source, display_names, is_enabled
from newsdesk.sources.subscribed import is_subscribed
from newsdesk.store import Store
from newsdesk.watch import briefs, load_watchers
from newsdesk.watch.deliver import Delivery, deliver_due

__all__ = ["WatchlistCache", "active", "interval_of", "prune_daily", "run_forever", "send_alerts"]

JITTER = 0.1
log = logging.getLogger("newsdesk.run")
START_SPREAD = 5.0  # seconds over which the first runs are spread
RECHECK = 5.0  # seconds between looks at a disabled source
BRIEFS_POLL = 30.0  # seconds between looks for briefs that came due (a write each)
ALERT_POLL = 0.25  # seconds between looks for queued alerts (a look is one indexed query)
WATCHLISTS_RELOAD = 10.0  # seconds a sender keeps the watchlists it read
DRAIN_SECONDS = 20.0  # at a stop, how long the alerts of the last runs may take to go


def interval_of(source: Source, moment: datetime | None = None) -> float:
    if source.schedule:
        return float(source.schedule.interval_at(moment or datetime.now(UTC)))
    return float(source.interval)


def active(sources: list[Source], health: dict[str, SourceHealth]) -> list[Source]:
    """The sources to run: enabled in the catalog, unless an admin said otherwise."""
    return [s for s in sources if is_enabled(s, health.get(s.name))]


def _subscribed(
    sources: list[Source], store: Store, settings: Settings, due: dict[str, float], now: float
) -> list[Source]:
    """``sources`` with the subscriptions as they are now: new ones due at once."""
    try:
        current = subscribed_sources(store, settings)
    except NewsdeskError as exc:
        log.warning("newsdesk run: cannot read subscriptions: %s", exc)
        return sources
    kept = [s for s in sources if not is_subscribed(s)]
    known = {s.name for s in kept}
    fresh = [s for s in current if s.name not in known]
    for source in fresh:
        due.setdefault(source.name, now)
    return kept + fresh


def _allowed(sources: list[Source], store: Store, follow: bool, before: set[str] | None) -> set[str]:
    """Names that may run now; if the database cannot say, what it said last (the daemon stays up)."""
    if not follow:
        return {s.name for s in sources}
    try:
        return {s.name for s in active(sources, store.health())}
    except NewsdeskError as exc:
        log.warning("newsdesk run: cannot read source overrides: %s", exc)
        return before if before is not None else {s.name for s in sources if s.enabled}


class WatchlistCache:
    """The watchlists a sender uses, read again when older than :data:`WATCHLISTS_RELOAD`
    (parsing 1,000 queries is not free; an alert of a watchlist not read yet waits for
    a retry), with the sources' display names for the messages."""

    def __init__(self, store: Store, settings: Settings) -> None:
        self.store, self.settings = store, settings
        self.names = display_names(settings.sources_folder)
        self._watchlists: dict[str, Watchlist] | None = None
        self._loaded = 0.0
        self._briefs_queued = -BRIEFS_POLL

    def get(self) -> dict[str, Watchlist]:
        if self._watchlists is None or time.monotonic() - self._loaded > WATCHLISTS_RELOAD:
            self._watchlists, self._loaded = load_watchers(self.store, self.settings).watchlists, time.monotonic()
        return self._watchlists

    def deliver(self, secrets: Mapping[str, str], only: str | None = None) -> Delivery:
        """Queue the briefs that came due, then send what is due (of watchlist ``only``):
        :func:`deliver_due` (blocking)."""
        prefix, watchlists = self.settings.alerts_env_prefix, self.get()
        if time.monotonic() - self._briefs_queued >= BRIEFS_POLL and any(w.brief for w in watchlists.values()):
            briefs.queue(self.store, watchlists.values(), datetime.now(UTC), self.settings)
            self._briefs_queued = time.monotonic()
        return deliver_due(
            self.store, watchlists, secrets, self.names, only=only, prefix=prefix, settings=self.settings
        )


async def send_alerts(
    store: Store, settings: Settings, stop: asyncio.Event, secrets: Mapping[str, str], wake: asyncio.Event | None = None
) -> None:
    """Deliver the watchlists' alerts as they are queued, until ``stop``: a look every
    :data:`ALERT_POLL` seconds, and at once when ``wake`` is set (a run saved articles);
    once ``stop`` is set, a last look sends what the runs queued up to then."""
    cache = WatchlistCache(store, settings)
    wake = wake or asyncio.Event()
    while True:
        wake.clear()
        last = stop.is_set()
        try:
            await asyncio.to_thread(cache.deliver, secrets)
        except NewsdeskError as exc:  # the database away for a moment, a bad watchlist: say so, go on
            log.warning("alerts: %s", exc)
        if last:
            return
        waiting = [asyncio.ensure_future(stop.wait()), asyncio.ensure_future(wake.wait())]
        await asyncio.wait(waiting, timeout=ALERT_POLL, return_when=asyncio.FIRST_COMPLETED)
        for waiter in waiting:
            waiter.cancel()


async def prune_daily(store: Store, settings: Settings, sources: list[Source], stop: asyncio.Event) -> None:
    """Apply retention now and then once a day, until ``stop``."""
    while not stop.is_set():
        try:
            gone = await asyncio.to_thread(prune, store, settings, sources)
            if gone:
                log.info("retention: removed %d articles", sum(gone.values()))
        except NewsdeskError as exc:  # the database busy or away: the next day tries again
            log.warning("retention: %s", exc)
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), DAILY)


async def run_forever(
    sources: list[Source],
    store: Store,
    settings: Settings,
    *,
    stop: asyncio.Event | None = None,
    on_result: Callable[[RunResult], None] | None = None,
    follow_overrides: bool = True,
    secrets: Mapping[str, str] | None = None,
) -> None:
    """Fetch ``sources`` on their schedules until ``stop`` is set or a signal arrives;
    with ``follow_overrides``, only those :func:`active` at each moment (admins
    enable and disable sources while it runs). With ``secrets`` (the environment, for
    ``${NAME}`` targets), the watchlists' alerts are sent as they are queued."""
    loop = asyncio.get_running_loop()
    stop = stop or asyncio.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, stop.set)
    due = {s.name: loop.time() + random.uniform(0, min(START_SPREAD, interval_of(s))) for s in sources}
    running: dict[asyncio.Task[RunResult], Source] = {}
    allowed: set[str] | None = None
    next_look = 0.0
    wake = asyncio.Event()  # a run that saved articles wakes the alert sender
    drained = asyncio.Event()  # the runs in flight at a stop have finished: the sender's last look
    sender = (
        asyncio.ensure_future(send_alerts(store, settings, drained, secrets, wake)) if secrets is not None else None
    )
    pruner = (
        None
        if keeps_everything(settings, sources)
        else asyncio.ensure_future(prune_daily(store, settings, sources, stop))
    )
    async with Fetcher(limits_from(settings)) as fetcher:
        stopping = asyncio.ensure_future(stop.wait())
        try:
            while not stop.is_set():
                now = loop.time()
                busy = {s.name for s in running.values()}
                if follow_overrides and now >= next_look:  # feeds added or removed by readers
                    sources, next_look = _subscribed(sources, store, settings, due, now), now + RECHECK
                allowed = _allowed(sources, store, follow_overrides, allowed)
                for source in sources:
                    if source.name in busy or due[source.name] > now:
                        continue
                    if source.name in allowed:
                        running[asyncio.ensure_future(fetch_source(source, fetcher, store, settings))] = source
                    else:  # disabled for now: look again soon (an admin may enable it)
                        due[source.name] = now + RECHECK
                waits = [due[s.name] - now for s in sources if s.name not in {r.name for r in running.values()}]
                timeout = max(0.05, min(waits)) if waits else None
                done, _ = await asyncio.wait({stopping, *running}, timeout=timeout, return_when=asyncio.FIRST_COMPLETED)
                for task in done - {stopping}:
                    source = running.pop(task)  # type: ignore[arg-type]
                    if task.result().new:  # type: ignore[attr-defined]
                        wake.set()
                    due[source.name] = loop.time() + interval_of(source) * random.uniform(1 - JITTER, 1 + JITTER)
                    if on_result:
                        on_result(task.result())  # type: ignore[arg-type]
        finally:
            stopping.cancel()
            for task, _ in list(running.items()):  # in flight: let them finish their writes
                result = await task
                if on_result:
                    on_result(result)
            stop.set()
            drained.set()
            if sender:
                try:
                    await asyncio.wait_for(asyncio.shield(sender), DRAIN_SECONDS)
                except TimeoutError:
                    log.warning(
                        "newsdesk run: alerts still sending after %.0f s at stop; the next start sends the rest",
                        DRAIN_SECONDS,
                    )
            if pruner:
                await pruner
            for signum in (signal.SIGTERM, signal.SIGINT):
                loop.remove_signal_handler(signum)
