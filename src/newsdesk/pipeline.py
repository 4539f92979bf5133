"""The one place that knows the order of the stages: read → validate → clean → store.

Records are handled in batches; each batch is one transaction, so an interrupted
import loses at most the batch in flight and re-running it converges to the same
database. A known article whose record is unchanged costs no cleaning at all.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from newsdesk.clean import clean_record
from newsdesk.config import Settings
from newsdesk.errors import NewsdeskError, ParseError
from newsdesk.models import Article, Record
from newsdesk.sources.files import RecordFile, find_files, read_records
from newsdesk.sources.records import parse_record
from newsdesk.store import Store

Reporter = Callable[[NewsdeskError], None]


@dataclass
class ImportReport:
    new: int = 0
    updated: int = 0
    duplicate: int = 0
    rejected: int = 0
    files: int = 0
    bad_files: int = 0
    errors: list[str] = field(default_factory=list, repr=False)

    def counts(self) -> dict[str, int]:
        """The stable ``--json`` summary of ``newsdesk import``."""
        return {k: v for k, v in asdict(self).items() if k in ("new", "updated", "duplicate", "rejected")}

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

    batch: list[Record] = []
    for item in found:
        if isinstance(item, ParseError):
            report.bad_files += 1
            error(item)
            continue
        report.files += 1
        for record in _file_records(item, settings, report, error):
            batch.append(record)
            if len(batch) >= settings.import_batch_size:
                _import_batch(store, batch, report, error)
                batch = []
        if on_file:
            on_file(item)
    _import_batch(store, batch, report, error)
    return report


def _file_records(file: RecordFile, settings: Settings, report: ImportReport, error: Reporter) -> Iterator[Record]:
    tz = settings.tz
    try:
        for index, raw in read_records(file.path):
            origin = f"{file.path} record {index}"
            try:
                if isinstance(raw, ParseError):
                    raise raw
                yield parse_record(
                    raw,
                    origin,
                    tz=tz,
                    default_source=file.default_source,
                    max_description_bytes=settings.import_max_description_bytes,
                )
            except NewsdeskError as exc:
                report.rejected += 1
                error(exc)
    except ParseError as exc:
        report.bad_files += 1
        error(exc)


def _import_batch(store: Store, batch: list[Record], report: ImportReport, error: Reporter) -> None:
    if not batch:
        return
    now = datetime.now(UTC)
    stored = store.known(r.uuid for r in batch)
    new: dict[str, Article] = {}
    changed: dict[str, Article] = {}
    versions: list[tuple[str, str]] = []
    for record in batch:
        if record.content_hash in stored.get(record.uuid, ()):
            report.duplicate += 1
            continue
        try:
            article = clean_record(record, now)
        except NewsdeskError as exc:
            report.rejected += 1
            exc.where = exc.where or record.origin
            error(exc)
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
    store.save(list(new.values()), list(changed.values()), now, versions)
