"""What the importing process's writes cost, apart from cleaning and enrichment (not a test).

    .venv/bin/python benchmarks/writer_pages.py sqlite:////tmp/s100k.db /tmp/synth100k [--articles 10000]

Cleans and enriches ``--articles`` records of the corpus (every ``--every``-th record,
so that a large corpus gives every source), gives each a new uuid and link, and saves them with
``Store.save`` in batches of ``--batch`` into a copy of the SQLite file: the writer's
rate, its processor time (user and system) and, with ``--cache-mb``, SQLite's page
cache a connection. Then the pages one more batch writes into the log, each mapped to
its table or index through ``dbstat``: which B-trees an article's save touches. The
file given is left as it was.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import shutil
import sqlite3
import struct
import sys
import tempfile
import time
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

from newsdesk.config import Settings
from newsdesk.models import Article
from newsdesk.pipeline.ingest import Workers
from newsdesk.sources.files import RecordFile, find_files, read_records
from newsdesk.sources.records import parse_record
from newsdesk.store import Store, engine

PAGE = 4096
FRAME_HEADER = 24
WAL_HEADER = 32


def articles(corpus: Path, count: int, every: int) -> list[Article]:
    """Up to ``count`` cleaned and enriched articles of ``corpus``, under new uuids and links."""
    tz, records = Settings().tz, []
    for file in find_files([corpus]):
        if not isinstance(file, RecordFile) or len(records) == count:
            continue
        for index, raw in read_records(file.path):
            if not index % every and not isinstance(raw, Exception) and len(records) < count:
                records.append(parse_record(raw, f"{file.path} {index}", tz=tz, default_source=file.default_source))
    workers = Workers()  # one process a core, as an import cleans and enriches
    try:
        found = [a for a in workers.prepare(records, datetime.now(UTC)) if isinstance(a, Article)]
    finally:
        workers.close()
    for article in found:
        article.uuid = hashlib.md5(f"writer:{article.uuid}".encode()).hexdigest()
        article.link += "#writer"
    return found


def with_cache(megabytes: int) -> None:
    """Every SQLite connection opened from now on gets ``megabytes`` of page cache."""
    usual = engine._sqlite_pragmas

    def pragmas(dbapi_connection, record):  # type: ignore[no-untyped-def]
        usual(dbapi_connection, record)
        dbapi_connection.execute(f"PRAGMA cache_size=-{megabytes * 1024}")

    engine._sqlite_pragmas = pragmas


def save_all(path: Path, batches: list[list[Article]]) -> tuple[float, float, float]:
    """Save ``batches`` into the file: wall, user and system seconds."""
    store, now = Store(f"sqlite:///{path}"), datetime.now(UTC)
    before, start = os.times(), time.perf_counter()
    for batch in batches:
        store.save(batch, [], now)
    store.close()
    wall, after = time.perf_counter() - start, os.times()
    return wall, after.user - before.user, after.system - before.system


def pages_of_one_save(path: Path, batch: list[Article]) -> Counter[str]:
    """The log's pages of one save, by table or index (no checkpoint in between)."""
    store = Store(f"sqlite:///{path}")
    store.checkpoints = None
    with sqlite3.connect(path) as conn:  # the log starts anew: only this save's frames follow
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    store.save(batch, [], datetime.now(UTC))
    log = Path(f"{path}-wal").read_bytes()
    pages = {struct.unpack(">I", log[at : at + 4])[0] for at in range(WAL_HEADER, len(log), FRAME_HEADER + PAGE)}
    store.close()
    with sqlite3.connect(path) as conn:
        names = dict(conn.execute("SELECT pageno, name FROM dbstat"))
    return Counter(names.get(page, "?") for page in pages)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("db", help="a sqlite:/// URL of a store to copy")
    parser.add_argument("corpus", type=Path, help="records to clean, enrich and save anew")
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--every", type=int, default=8, help="take every this many records of the corpus")
    parser.add_argument("--batch", type=int, default=Settings().import_batch_size)
    parser.add_argument("--cache-mb", type=int, default=0, help="SQLite page cache a connection (0: the store's)")
    args = parser.parse_args()
    source = Path(args.db.removeprefix("sqlite:///"))
    if not args.db.startswith("sqlite:///") or not source.is_file():
        sys.exit(f"not a SQLite file: {args.db}")
    if args.cache_mb:
        with_cache(args.cache_mb)
    made = articles(args.corpus, args.articles + args.batch, args.every)
    timed, extra = made[: args.articles], made[args.articles :]
    batches = [timed[at : at + args.batch] for at in range(0, len(timed), args.batch)]
    with tempfile.TemporaryDirectory(dir=source.parent) as folder:
        copy = Path(folder) / source.name
        shutil.copyfile(source, copy)
        wall, user, system = save_all(copy, batches)
        cache = f"{args.cache_mb} MB" if args.cache_mb else "the store's"
        print(f"{len(timed)} articles in batches of {args.batch}, page cache {cache}")
        print(f"{len(timed) / wall:.0f} art/s; an article: {1000 * (user + system) / len(timed):.2f} ms of processor,")
        print(f"of which {1000 * system / len(timed):.2f} ms system ({wall:.1f} s wall)")
        if extra:
            found = pages_of_one_save(copy, extra)
            print(f"pages one batch of {len(extra)} writes into the log: {sum(found.values())}, an article:")
            for name, n in found.most_common():
                print(f"  {n / len(extra):6.2f}  {name}")


if __name__ == "__main__":
    main()
