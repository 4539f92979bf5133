"""The conductor: the one place that knows the order of the stages.

* :mod:`.ingest` — records (files, or a fetched source's items) → clean → enrich →
  store, in batches, over processes (``newsdesk import``; ``newsdesk reindex``);
* :mod:`.refresh` — one run of a source: list → details → extract → records →
  ingest → health (``newsdesk fetch``, the admin API's fetch-now);
* :mod:`.daemon` — runs on schedules in one process (``newsdesk run`` on SQLite);
* :mod:`.workers` — the same as Procrastinate jobs on PostgreSQL workers.

The stages below (sources, fetch, extract, clean, enrich, store) never import this package.
"""

from __future__ import annotations

from newsdesk.pipeline.ingest import ImportReport, import_files, import_paths, import_records, reindex
from newsdesk.pipeline.refresh import RunResult, fetch_cycle, fetch_source

__all__ = [
    "ImportReport",
    "RunResult",
    "fetch_cycle",
    "fetch_source",
    "import_files",
    "import_paths",
    "import_records",
    "reindex",
]
