"""The one place that knows the order of the stages: read → validate → clean → enrich → store.

Records are handled in batches; each batch is one transaction, so an interrupted
import loses at most the batch in flight and re-running it converges to the same
database. A known article whose record is unchanged costs no cleaning at all.
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from itertools import repeat
from multiprocessing import get_all_start_methods, get_context
from pathlib import Path

from newsdesk import heap
from newsdesk.clean import clean_record
from newsdesk.config import Settings
from newsdesk.enrich import VERSION as ENRICH_VERSION
from newsdesk.enrich import enrich, warm
from newsdesk.errors import EnrichError, NewsdeskError, ParseError
from newsdesk.models import Article, Record
from newsdesk.sources.files import RecordFile, find_files, read_records
from newsdesk.sources.records import parse_record
from newsdesk.store import Store
from newsdesk.watch import Watchers, load_watchers

Reporter = Callable[[NewsdeskError], None]


def rejection_reason(exc: NewsdeskError) -> str:
    """The short name a summary counts a rejection under."""
    return exc.reason or f"{exc.stage} error"


@dataclass
class ImportReport:
    new: int = 0
    updated: int = 0
    duplicate: int = 0
    rejected: int = 0
    files: int = 0
    bad_files: int = 0
    reasons: Counter[str] = field(default_factory=Counter)  # rejections by reason
    errors: list[str] = field(default_factory=list, repr=False)

    def counts(self) -> dict[str, int]:
        """The stable ``--json`` summary of ``newsdesk import``."""
        return {k: v for k, v in asdict(self).items() if k in ("new", "updated", "duplicate", "rejected")}

    def reject(self, exc: NewsdeskError) -> None:
        self.rejected += 1
        self.reasons[rejection_reason(exc)] += 1

    @property
    def failed(self) -> bool:
        return bool(self.rejected or self.bad_files)


def import_paths(
    store: Store,
    paths: Iterable[Path],
    settings: Settings,
    *,
    on_error: Reporter | None = None,
    on_file: Callable[[RecordFile], None] | None = None,
) -> ImportReport:
    """Import every record file under ``paths`` into ``store``."""
    return import_files(store, find_files(list(paths)), settings, on_error=on_error, on_file=on_file)


def import_files(
    store: Store,
    found: Iterable[RecordFile | ParseError],
    settings: Settings,
    *,
    on_error: Reporter | None = None,
    on_file: Callable[[RecordFile], None] | None = None,
) -> ImportReport:
    """Import the files ``find_files`` yielded (a ParseError there is reported)."""
    report = ImportReport()

    def error(exc: NewsdeskError) -> None:
        report.errors.append(str(exc))
        if on_error:
            on_error(exc)

    workers = Workers(settings.import_workers)
    try:
        _import_all(store, found, settings, report, error, on_file, workers, load_watchers(store, settings))
    finally:
        workers.close()
    store.settle()  # a large import gets the VACUUM autovacuum would give it later
    return report


def import_records(
    store: Store, records: Iterable[Record], settings: Settings, *, on_error: Reporter | None = None, workers: int = 1
) -> ImportReport:
    """Clean, enrich and store ``records`` made elsewhere (a fetched source), in
    batches, as a file import does (``workers`` processes; 1: in this one)."""
    pool = Workers(workers)
    try:
        return import_groups(store, [list(records)], settings, pool, on_error=on_error)[0]
    finally:
        pool.close()


def import_groups(
    store: Store, groups: list[list[Record]], settings: Settings, workers: Workers, *, on_error: Reporter | None = None
) -> list[ImportReport]:
    """Import the records of several groups (the runs of several sources) together,
    in shared batches, with one report per group."""
    reports = [ImportReport() for _ in groups]
    owner = {id(record): reports[number] for number, group in enumerate(groups) for record in group}

    def error(exc: NewsdeskError) -> None:
        if on_error:
            on_error(exc)

    def tally(record: Record) -> ImportReport:
        return owner[id(record)]

    records = (record for group in groups for record in group)
    _write(store, _batches(records, settings), tally, error, workers, load_watchers(store, settings))
    return reports


def _batches(records: Iterable[Record], settings: Settings) -> Iterator[list[Record]]:
    """``records`` in batches of ``import.batch_size`` records, fewer where their bodies
    reach ``import.batch_chars``: what a batch holds in memory (the records, their cleaned
    forms, the transaction) stays bounded whatever the sizes of the records."""
    batch: list[Record] = []
    chars = 0
    for record in records:
        batch.append(record)
        chars += len(record.description)
        if len(batch) >= settings.import_batch_size or chars >= settings.import_batch_chars:
            yield batch
            batch, chars = [], 0
    if batch:
        yield batch


def _write(
    store: Store, batches: Iterable[list[Record]], tally: Tally, error: Reporter, workers: Workers, watchers: Watchers
) -> None:
    """Clean and enrich each batch while the one before it is written. Once a full batch
    is written, what lives through the import (tables and modules loaded by then) is set
    aside from the collector's full passes for its length (:mod:`newsdesk.heap`)."""
    pending: _Batch | None = None
    frozen = False
    try:
        for batch in batches:
            started = _start(store, batch, tally, workers, pending)
            _finish(store, pending, tally, error, watchers)
            if not frozen and pending and len(pending.records) >= BIG_BATCH:
                heap.set_aside()  # a full pass walked it all every time: 2.7 s of a 35 s import
                frozen = True
            pending = started
        _finish(store, pending, tally, error, watchers)
    finally:
        if frozen:
            heap.release()  # what is garbage by now is collected as usual


def _start_worker() -> None:
    """A worker process: its models loaded, then set aside from the collector (they live
    as long as the worker, and every full pass walked them)."""
    warm()
    heap.set_aside()


def _import_all(
    store: Store,
    found: Iterable[RecordFile | ParseError],
    settings: Settings,
    report: ImportReport,
    error: Reporter,
    on_file: Callable[[RecordFile], None] | None,
    workers: Workers,
    watchers: Watchers,
) -> None:
    def tally(_: Record) -> ImportReport:
        return report

    def records() -> Iterator[Record]:
        for item in found:
            if isinstance(item, ParseError):
                report.bad_files += 1
                error(item)
                continue
            report.files += 1
            yield from _file_records(item, settings, report, error)
            if on_file:
                on_file(item)

    _write(store, _batches(records(), settings), tally, error, workers, watchers)


def _file_records(file: RecordFile, settings: Settings, report: ImportReport, error: Reporter) -> Iterator[Record]:
    tz = settings.tz
    around: datetime | None = None  # the file's last dated item: the year of an undated one's dateline
    try:
        for index, raw in read_records(file.path):
            origin = f"{file.path} record {index}"
            try:
                if isinstance(raw, ParseError):
                    raise raw
                record = parse_record(
                    raw,
                    origin,
                    tz=tz,
                    default_source=file.default_source,
                    max_description_bytes=settings.import_max_description_bytes,
                )
                around = record.published or around
                record.context = around
                yield record
            except NewsdeskError as exc:
                report.reject(exc)
                error(exc)
    except ParseError as exc:
        report.bad_files += 1
        error(exc)


class Workers:
    """Cleaning and enrichment of records, spread over processes when it pays.

    Both are CPU-bound Python (about 3 ms a record), so on several cores a pool of
    processes multiplies the import rate while the parent reads files and writes the
    database. Each worker loads the models itself (about 70 MB): the parent, which
    holds the batches in flight, never needs them, and a worker's pages of a model it
    shared with its parent would turn private as it used them (reference counts write
    to every object read). Small batches stay in-process until the pool is started: a
    pool costs more than it saves for a handful of records.
    """

    MIN_PARALLEL = 64

    def __init__(self, count: int = 0, *, start: str = "fork") -> None:
        """``start``: ``fork``, or ``forkserver`` where the caller has threads running
        (a fork copies their locks held)."""
        self.count = count or os.cpu_count() or 1
        self.start = start
        self._pool: ProcessPoolExecutor | None = None

    def prepare(self, records: list[Record], now: datetime) -> Iterator[Article | NewsdeskError]:
        """Results in input order; with a pool the work starts now and runs in
        the background until the iterator is read."""
        small = len(records) < self.MIN_PARALLEL and self._pool is None
        if self.count <= 1 or small or self.start not in get_all_start_methods():
            return iter([_prepare(record, now) for record in records])
        pool = self.start_now()
        chunk = max(1, len(records) // (self.count * 4))
        return pool.map(_prepare, records, repeat(now), chunksize=chunk)

    def start_now(self) -> ProcessPoolExecutor:
        """The pool, its processes started now (a fork must happen before threads do)."""
        if self._pool is None:
            self._pool = ProcessPoolExecutor(self.count, mp_context=get_context(self.start), initializer=_start_worker)
            for _ in range(self.count):  # ProcessPoolExecutor forks lazily; make it fork here
                self._pool.submit(int).result()
        return self._pool

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown()
            self._pool = None


def _prepare(record: Record, now: datetime) -> Article | NewsdeskError:
    try:
        return enrich(clean_record(record, now))
    except NewsdeskError as exc:
        exc.where = exc.where or record.origin
        return exc


@dataclass
class _Batch:
    records: list[Record]  # the ones not stored yet, in input order
    results: Iterator[Article | NewsdeskError]
    now: datetime


Tally = Callable[[Record], ImportReport]  # the report a record counts in


NO_WATCHERS = Watchers(())
BIG_BATCH = 200  # records: an import this big is long enough to set its heap aside (not a fetch)


def _start(store: Store, batch: list[Record], tally: Tally, workers: Workers, previous: _Batch | None) -> _Batch | None:
    """Look ``batch`` up and hand its new records to the workers (they run while
    the previous batch is written)."""
    if not batch:
        return None
    now = datetime.now(UTC)
    stored = store.known(r.uuid for r in batch)
    if previous:  # not committed yet: its records count as stored (to skip cleaning duplicates)
        uuids = {r.uuid for r in batch}
        for record in previous.records:
            if record.uuid in uuids:
                stored.setdefault(record.uuid, set()).add(record.content_hash)
    fresh = []
    for record in batch:
        if record.content_hash in stored.get(record.uuid, ()):
            tally(record).duplicate += 1
        else:
            fresh.append(record)
    return _Batch(fresh, workers.prepare(fresh, now), now)


def _finish(
    store: Store, batch: _Batch | None, tally: Tally, error: Reporter, watchers: Watchers = NO_WATCHERS
) -> None:
    """Collect the cleaned articles of ``batch`` and save them in one transaction."""
    if batch is None:
        return
    # Looked up again: the previous batch is committed now, and what it rejected is
    # not stored, so a later version of the same link is new, not an update.
    stored = store.known(r.uuid for r in batch.records)
    new: dict[str, Article] = {}
    changed: dict[str, Article] = {}
    versions: list[tuple[str, str]] = []
    for record, article in zip(batch.records, batch.results, strict=True):
        report = tally(record)
        if record.content_hash in stored.get(record.uuid, ()):
            report.duplicate += 1  # the same record twice in one batch
            continue
        if isinstance(article, NewsdeskError):
            report.reject(article)
            error(article)
            continue
        if record.uuid in stored or record.uuid in new:
            # Known, with a different record: keep the newest version.
            target = new if record.uuid in new else changed
            target[record.uuid] = article
            report.updated += 1
        else:
            new[record.uuid] = article
            report.new += 1
        stored.setdefault(record.uuid, set()).add(record.content_hash)
        versions.append((record.uuid, record.content_hash))
    matches = {
        a.uuid: [(n, watchers.due(n, batch.now)) for n in names] for a in new.values() if (names := watchers.match(a))
    }
    store.save(list(new.values()), list(changed.values()), batch.now, versions, matches, watchers.breaking())


def reindex(
    store: Store,
    *,
    batch_size: int = 500,
    on_error: Reporter | None = None,
    on_batch: Callable[[int], None] | None = None,
) -> int:
    """Re-enrich and re-index every article enriched with an older version.

    Each batch is one transaction that marks its articles current, so an
    interrupted run resumes where it stopped. Returns the articles done.
    """
    done = 0
    while batch := store.stale(ENRICH_VERSION, limit=batch_size):
        for article in batch:
            try:
                enrich(article)
            except Exception as exc:  # hostile stored text must not stall the run forever
                if on_error:
                    on_error(EnrichError(f"failed: {exc!r}", where=f"article {article.uuid}"))
                article.enriched = ENRICH_VERSION
        store.save_enrichment(batch)
        done += len(batch)
        if on_batch:
            on_batch(len(batch))
    return done
