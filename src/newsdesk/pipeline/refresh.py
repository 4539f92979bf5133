"""One run of one source, and one cycle over many (Miniflux's ``RefreshFeed``):

    lease → list (fetch) → contract → new items → detail pages (fetch) → body, title,
    date (extract) → records (sources) → clean, enrich, store (pipeline.ingest) → health

:func:`fetch_source` never raises for a source's own trouble (a timeout, an HTTP
error, a malformed document, a plugin that raises): the run ends ``failing`` with
the reason in the source's health and the other sources go on. What was imported
before a failure stays imported. Articles already stored are not fetched again
(their detail pages are skipped). One run of a source at a time, whichever
process asks (a lease row in the database).
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import logging
import time
from collections import Counter
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from newsdesk import extract, owners, telemetry
from newsdesk.config import Settings
from newsdesk.errors import NewsdeskError, RecordError
from newsdesk.fetch import alerts
from newsdesk.fetch.client import Fetcher
from newsdesk.fetch.documents import (
    Page,
    broken_contract,
    detail_page,
    guard_of,
    item_date,
    limits_from,
    list_items,
    redact,
)
from newsdesk.fetch.parse import detail_html
from newsdesk.models import Record, SourceHealth
from newsdesk.pipeline import calendar
from newsdesk.pipeline.ingest import import_records
from newsdesk.pipeline.writes import Coalescer, written
from newsdesk.plaintext import to_text
from newsdesk.sources.catalog import Source
from newsdesk.sources.records import CONTROLS, link_uuid, parse_record, seed_record, text_of
from newsdesk.store import Store

__all__ = ["LEASE_SECONDS", "RunResult", "fetch_cycle", "fetch_source"]

PARALLEL_SOURCES = 8  # a cycle over fewer sources cleans in this process: starting workers costs more
SHORT_BODY_MIN = 200  # characters of list summary above which a much shorter page body is suspect
log = logging.getLogger("newsdesk.fetch")
LEASE_SECONDS = 30.0  # renewed while a run goes on; a run killed holding it frees the source after this


@dataclass(slots=True)
class RunResult:
    """What one run of a source did (``newsdesk fetch --json`` prints these)."""

    name: str
    state: str = "ok"  # ok, failing, drifted; busy: another run of the source was in progress
    items: int = 0
    new: int = 0
    updated: int = 0
    seen: int = 0
    rejected: int = 0
    reasons: dict[str, int] = field(default_factory=dict)  # rejections by reason ("no article body": 2)
    flagged: dict[str, int] = field(default_factory=dict)  # kept, but suspect ("short body": 1)
    not_modified: bool = False
    error: str | None = None
    seconds: float = 0.0

    def as_json(self) -> dict[str, object]:
        return {k: getattr(self, k) for k in self.__slots__}


Importer = Callable[[Store, list[Record], Settings], Any]
Ingest = Callable[[list[Record]], Awaitable[Any]]  # records in, an import report out


async def fetch_cycle(
    sources: Iterable[Source],
    store: Store,
    settings: Settings,
    *,
    on_done: Callable[[RunResult], None] | None = None,
    fetcher: Fetcher | None = None,
    importer: Importer | None = None,
    wait: float = 0.0,
) -> list[RunResult]:
    """Run ``sources`` concurrently (within the fetch limits); one result each.
    ``importer`` replaces the import pipeline (the fetch benchmark counts records instead)."""
    own = fetcher is None
    fetcher = fetcher or Fetcher(limits_from(settings))
    sources = list(sources)
    coalescer = Coalescer(store, settings, parallel=len(sources) >= PARALLEL_SOURCES) if importer is None else None
    try:

        async def one(source: Source) -> RunResult:
            result = await fetch_source(
                source, fetcher, store, settings, importer=importer, wait=wait, ingest=coalescer
            )
            if on_done:
                on_done(result)
            return result

        return list(await asyncio.gather(*(one(s) for s in sources)))
    finally:
        if coalescer:
            await coalescer.close()
        if own:
            await fetcher.close()


async def fetch_source(
    source: Source,
    fetcher: Fetcher,
    store: Store,
    settings: Settings,
    *,
    importer: Importer | None = None,
    wait: float = 0.0,
    ingest: Ingest | None = None,
) -> RunResult:
    """Fetch ``source`` once, import what is new, record its health (and alert on a change).

    While another run holds the source's lease this one waits up to ``wait``
    seconds, then answers ``busy``. ``ingest`` imports the records (a
    :class:`Coalescer` shared by concurrent runs); else ``importer`` in the writer thread."""
    owner = owners.owner()
    try:
        claimed = await _claim(store, source, owner, wait)
    except NewsdeskError:  # the database is away: fetch anyway, the import will say so
        claimed = True
    if not claimed:
        return RunResult(
            source.name, state="busy", error=f"fetch: {source.name}: another run of this source is in progress"
        )
    keeper = asyncio.ensure_future(_keep_lease(store, source.name, owner))
    try:
        if ingest is None:
            chosen = importer or _import

            async def ingest(records: list[Record]) -> Any:
                return await written(chosen, store, records, settings)

        result = await _run(source, fetcher, store, settings, ingest, owner)
        _count(result)
        released = True  # with the health, in one transaction
        return result
    except BaseException:
        released = False
        raise
    finally:
        keeper.cancel()
        try:
            if not released:
                await written(store.release_run, source.name, owner)
        except NewsdeskError:
            pass  # the lease expires by itself


def _count(result: RunResult) -> None:
    telemetry.RUNS.labels(result.name, result.state).inc()
    for outcome in ("new", "updated", "seen", "rejected"):
        if number := getattr(result, outcome):
            telemetry.ITEMS.labels(result.name, outcome).inc(number)


async def _keep_lease(store: Store, name: str, owner: str) -> None:
    """Renew the lease while the run goes on, so that a short lease frees a killed run's source soon."""
    while True:
        await asyncio.sleep(LEASE_SECONDS / 3)
        with contextlib.suppress(NewsdeskError):  # tried again at the next beat; the lease outlives one miss
            await asyncio.to_thread(store.claim_run, name, owner, LEASE_SECONDS)


async def _claim(store: Store, source: Source, owner: str, wait: float) -> bool:
    """Take the source's lease, waiting up to ``wait`` seconds; a lease whose holder is a
    dead process of this host (a run killed with the daemon) is taken over at once."""
    deadline = time.monotonic() + wait
    while not await written(store.claim_run, source.name, owner, LEASE_SECONDS):
        holder = await written(store.run_holder, source.name)
        if owners.is_dead(holder):
            log.info("fetch: %s: taking over the lease of %s, a process no longer running", source.name, holder)
            take_over = functools.partial(store.claim_run, source.name, owner, LEASE_SECONDS, replacing=holder)
            if await written(take_over):
                return True
        if time.monotonic() >= deadline:
            return False
        await asyncio.sleep(0.2)
    return True


class _NoBodies(Exception):
    """Every detail page answered and none held an article body: the site changed."""

    def __init__(self, message: str, reasons: Counter[str]) -> None:
        super().__init__(message)
        self.reasons = reasons


async def _run(
    source: Source, fetcher: Fetcher, store: Store, settings: Settings, ingest: Ingest, owner: str
) -> RunResult:
    started = time.monotonic()
    result = RunResult(source.name)
    try:  # read under the lease: no other run of this source writes it meanwhile
        health = store.health([source.name]).get(source.name) or SourceHealth(source.name)
    except NewsdeskError:  # the database is away: fetch anyway, the import will say so
        health = SourceHealth(source.name)
    validators: dict[str, str] | None = health.validators
    found: list[dict[str, Any]] = []
    offending: dict[str, Any] | None = None
    try:
        found, validators, result.not_modified = await list_items(source, fetcher, health.validators)
        result.items = len(found)
        broken = None if result.not_modified else broken_contract(source, found)
        if source.calendar:  # the list holds events: what the timeline gets is their releases
            found = await written(calendar.releases, store, source, found)
        records, rejected, known = await _records(source, fetcher, store, settings, found, result.flagged)
        report = await ingest(records)
        result.new, result.updated, result.seen = report.new, report.updated, report.duplicate + known
        rejected.update(getattr(report, "reasons", {}))
        result.rejected, result.reasons = sum(rejected.values()), dict(+rejected)
        if broken:
            (result.state, result.error), offending = ("drifted", broken[0]), broken[1]
    except _NoBodies as exc:
        result.state, result.error = "drifted", str(exc)
        result.rejected, result.reasons = sum(exc.reasons.values()), dict(exc.reasons)
    except NewsdeskError as exc:
        result.state, result.error = "failing", redact(str(exc), source)
    except Exception as exc:  # noqa: BLE001 - a source's bug must not stop the others or the daemon
        result.state, result.error = (
            "failing",
            redact(f"fetch: {source.name}: unexpected {type(exc).__name__}: {exc}", source),
        )
    result.seconds = round(time.monotonic() - started, 3)
    await _record_health(store, settings, source, health, result, validators, found, offending, owner)
    return result


async def _records(
    source: Source,
    fetcher: Fetcher,
    store: Store,
    settings: Settings,
    found: list[dict[str, Any]],
    flagged: dict[str, int],
) -> tuple[list[Record], Counter[str], int]:
    """Records of the items not stored yet (details fetched), the reasons of those
    rejected, and how many were already stored; suspect items counted in ``flagged``."""
    rejected: Counter[str] = Counter()
    usable = [item for item in found if item.get("link")]
    if len(found) > len(usable):
        rejected["no link"] += len(found) - len(usable)
    known = store.known(link_uuid(str(item["link"])) for item in usable)
    fresh = [item for item in usable if link_uuid(str(item["link"])) not in known]
    if source.detail:
        fresh = await _with_details(source, fetcher, fresh, rejected)
        for item in fresh:
            if item.get("flag"):
                flagged[item["flag"]] = flagged.get(item["flag"], 0) + 1
    records = []
    now = datetime.now(UTC)
    for number, item in enumerate(fresh):
        published = item.get("page_date") or item_date(source, item.get("published"), now)
        raw = seed_record(source, item, published)
        try:
            record = parse_record(
                raw,
                f"{source.name} item {number} ({str(item['link'])[:200]})",
                tz=source.tz,
                default_source=source.name,
                max_description_bytes=settings.import_max_description_bytes,
            )
            record.event = item.get("event")  # a calendar release: its event's country and stars
            records.append(record)
        except RecordError as exc:
            rejected[exc.reason or "rejected"] += 1
    return records, rejected, len(usable) - len(fresh)


async def _with_details(
    source: Source, fetcher: Fetcher, fresh: list[dict[str, Any]], rejected: Counter[str]
) -> list[dict[str, Any]]:
    """The items whose detail pages gave a body, each with that body as its summary."""
    pages = await asyncio.gather(*(_detail(source, fetcher, item) for item in fresh), return_exceptions=True)
    failed = [p for p in pages if isinstance(p, BaseException)]
    errors = [p for p in failed if not isinstance(p, RecordError)]
    if fresh and len(failed) == len(fresh) and errors:
        raise errors[0]  # its own type: a library's ImportError is not the site's fault
    for page in failed:
        reason = page.reason if isinstance(page, NewsdeskError) else None
        rejected[reason or ("detail page failed" if isinstance(page, NewsdeskError) else type(page).__name__)] += 1
    if fresh and len(failed) == len(fresh):  # every page answered, none held a body
        raise _NoBodies(f"drift: no article body on any of {len(fresh)} detail pages", rejected)
    return [page for page in pages if isinstance(page, dict)]


async def _detail(source: Source, fetcher: Fetcher, item: dict[str, Any]) -> dict[str, Any]:
    """``item`` with its body (``summary``) from the detail page, and the page's own
    title and date where the list gave none. RecordError ``no article body`` when
    the page holds none."""
    page = await detail_page(source, fetcher, item, guard_of(source))
    body = await asyncio.to_thread(_body, source, page)  # CPU-bound: off the loop, and not in the writer's way
    if body is None:
        detail = source.detail
        assert detail is not None
        how = ", ".join(detail.content) or ("detail.extract" if detail.extract else detail.json or "extraction chain")
        raise RecordError(f"no article body ({how}) in {page.url}", where=source.name, reason="no article body")
    found = dict(item, summary=body)
    listed = to_text(text_of(item.get("summary")) or "")
    if len(listed) >= SHORT_BODY_MIN and len(to_text(body)) < len(listed) / 2:
        # The page gave much less than the list did: keep the list's text, and say so.
        found.update(summary=item["summary"], flag="short body")
    if not source.detail or source.detail.json or source.detail.json_in:
        return found
    if not text_of(item.get("title")):
        found["title"] = extract.page_title(page.html)
    if not item.get("published"):
        found["page_date"] = await asyncio.to_thread(extract.page_date, page.html, page.url, source.tz)
    return found


def _body(source: Source, page: Page) -> str | None:
    """The page's article body as HTML: the source's selectors, or the extraction chain."""
    detail = source.detail
    assert detail is not None
    text = page.body_source
    if not text:
        return None
    if not detail.content and not detail.json and not detail.extract:
        found = extract.main_content(text, page.url)
        text = found.html if found else ""
    return detail_html(text, detail.content or ("body",), detail.remove) if text else None


def _import(store: Store, records: list[Record], settings: Settings) -> Any:
    return import_records(store, records, settings, workers=1)


async def _record_health(
    store: Store,
    settings: Settings,
    source: Source,
    health: SourceHealth,
    result: RunResult,
    validators: dict[str, str] | None,
    found: list[dict[str, Any]],
    offending: dict[str, Any] | None,
    owner: str,
) -> None:
    now = datetime.now(UTC)
    health.last_run, health.latency_ms = now, int(result.seconds * 1000)
    health.new_items, health.seen_items, health.rejected = result.new, result.seen, result.reasons or None
    if result.state == "ok":
        health.state, health.failures, health.last_success, health.validators = "ok", 0, now, validators
        if found:
            health.last_good = _sample(found[0])
    else:
        health.state, health.failures = result.state, health.failures + 1
        health.last_error, health.last_error_at = CONTROLS.sub("", result.error or ""), now
        if result.state == "drifted":
            health.bad_sample = _sample(offending) if offending else {"items": len(found)}
    message = alerts.change(health, settings.alerts_after_failures)
    if message:
        await alerts.send(settings, message, source.name)
    try:
        await written(lambda: store.save_health(health, release=owner))
    except NewsdeskError as exc:
        result.error = f"{result.error or ''}; {exc}".lstrip("; ")
        with contextlib.suppress(NewsdeskError):  # else the lease expires by itself
            await written(store.release_run, source.name, owner)


def _sample(item: dict[str, Any]) -> dict[str, Any]:
    # What the site sent, shown on /api/sources: no control characters (PostgreSQL's JSON refuses NUL).
    return {
        CONTROLS.sub("", str(k)): (CONTROLS.sub("", str(v)[:500]) if v is not None else None) for k, v in item.items()
    }
