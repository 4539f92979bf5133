"""Import benchmark: a first import of a corpus into a fresh database, then a re-import.

Runs the real command line in a child process per phase and reports wall time,
articles/s, MB/s of input and the child's peak RSS.

    python benchmarks/import_corpus.py ../shared/datasets/cachenews-2025-02 [--db URL]

Without --db a fresh SQLite file in a temporary folder is used. Import workers are
forked children: "peak PSS, all" sums the proportional memory of the whole process
tree (sampled every 0.2 s), "peak RSS" is the main process alone (its VmHWM) and
"any process" the largest peak of the main process and its workers. ``--copies N``
imports a JSON Lines file holding the corpus N times (links made distinct), to show
that peak memory does not grow with the corpus. ``--progress S`` prints the articles
stored and the rate of the last S seconds while the import runs (a scale run's rate
over its whole course, not its start alone). Not a test: it prints figures for
docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path


def _tree(pid: int) -> list[int]:
    """``pid`` and all its descendants (import workers are forked children)."""
    found, queue = [], [pid]
    while queue:
        current = queue.pop()
        found.append(current)
        try:
            for task in Path(f"/proc/{current}/task").iterdir():
                queue += [int(c) for c in (task / "children").read_text().split()]
        except OSError:
            pass
    return found


def _pss_mb(pids: list[int]) -> float:
    """Proportional set size of the processes: shared pages (the models the workers
    inherit from the parent) are counted once in all, not once per process."""
    total = 0
    for pid in pids:
        try:
            for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
                if line.startswith("Pss:"):
                    total += int(line.split()[1])
        except OSError:
            pass
    return total / 1024


def _hwm_mb(pid: int) -> float:
    """The process's own peak resident memory so far (0 once it is gone)."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def _stored(db: str) -> int | None:
    """Articles in the database now (None while it cannot be read)."""
    from sqlalchemy import create_engine, text

    from newsdesk.config import database_url

    engine = create_engine(database_url(db))
    try:
        with engine.connect() as conn:
            return int(conn.execute(text("SELECT count(*) FROM articles")).scalar_one())
    except Exception:  # the import has not made the table yet
        return None
    finally:
        engine.dispose()


def _report_progress(db: str, every: float, running: threading.Event) -> None:
    start, last = time.perf_counter(), (0.0, 0)
    while not running.wait(every):
        count = _stored(db)
        if count is None:
            continue
        now = time.perf_counter() - start
        rate = (count - last[1]) / (now - last[0])
        print(f"  {now:8.0f} s {count:>9} articles {rate:6.0f} art/s (last {now - last[0]:.0f} s)", flush=True)
        last = (now, count)


def run_phase(db: str, corpus: Path, config: Path | None = None, progress: float = 0) -> dict:
    settings = ["--config", str(config)] if config else []
    command = [sys.executable, "-m", "newsdesk", "--db", db, *settings, "import", str(corpus), "--json"]
    start = time.perf_counter()
    child = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    peak_pss, peak_main = 0.0, 0.0
    sampling = True

    def sample() -> None:
        nonlocal peak_pss, peak_main
        while sampling:
            peak_pss = max(peak_pss, _pss_mb(_tree(child.pid)))
            peak_main = max(peak_main, _hwm_mb(child.pid))
            time.sleep(0.2)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    done = threading.Event()
    if progress:
        threading.Thread(target=_report_progress, args=(db, progress, done), daemon=True).start()
    out = child.stdout.read() if child.stdout else b""
    sampling = False
    done.set()
    sampler.join()
    _, status, usage = os.wait4(child.pid, 0)
    wall = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) not in (0, 1):
        raise SystemExit(f"import failed: {' '.join(command)}")
    counts = json.loads(out)
    return {
        "wall": wall,
        "counts": counts,
        "records": sum(v for v in counts.values() if isinstance(v, int)),
        # wait4's ru_maxrss is the largest of the child and its reaped children (the
        # import workers): the main process's own peak is its VmHWM, sampled.
        "peak_rss_mb": peak_main or usage.ru_maxrss / 1024,
        "peak_rss_any_mb": usage.ru_maxrss / 1024,
        "peak_pss_mb": peak_pss,
    }


def write_copies(corpus: Path, copies: int, target: Path) -> Path:
    """One JSON Lines file with every record of ``corpus`` ``copies`` times."""
    from newsdesk.sources.files import find_files, read_records

    with target.open("w", encoding="utf-8") as out:
        for copy in range(copies):
            for file in find_files([corpus]):
                for _, record in read_records(file.path):
                    if isinstance(record, dict) and isinstance(record.get("link"), str):
                        record = {**record, "link": f"{record['link']}#copy{copy}"}
                        record.setdefault("source", file.default_source)
                    out.write(json.dumps(record, ensure_ascii=False) + "\n")
    return target


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", type=Path)
    parser.add_argument("--db", help="database URL (default: a fresh SQLite file)")
    parser.add_argument("--copies", type=int, default=0, help="import the corpus this many times over, as JSON Lines")
    parser.add_argument("--config", type=Path, help="settings file for the import (e.g. [import] workers = 1)")
    parser.add_argument("--first-only", action="store_true", help="no re-import (a scale run: the first is the figure)")
    parser.add_argument("--progress", type=float, default=0, help="print the count and rate every this many seconds")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        if args.copies:
            args.corpus = write_copies(args.corpus, args.copies, Path(tmp) / f"corpus-x{args.copies}.jsonl")
        files = [args.corpus] if args.corpus.is_file() else list(args.corpus.rglob("*.json*"))
        size_mb = sum(p.stat().st_size for p in files) / 1e6
        db = args.db or f"sqlite:///{Path(tmp) / 'bench.db'}"
        print(f"corpus {args.corpus} ({size_mb:.1f} MB), db {db.split('?')[0]}")
        print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}")
        print(
            f"{'phase':<10} {'records':>8} {'wall s':>8} {'art/s':>8} {'MB/s':>7} {'peak RSS MB':>12} "
            f"{'any process':>12} {'peak PSS MB, all':>17}  counts"
        )
        for phase in ("first",) if args.first_only else ("first", "re-import"):
            r = run_phase(db, args.corpus, args.config, args.progress)
            print(
                f"{phase:<10} {r['records']:>8} {r['wall']:>8.2f} {r['records'] / r['wall']:>8.0f} "
                f"{size_mb / r['wall']:>7.1f} {r['peak_rss_mb']:>12.0f} {r['peak_rss_any_mb']:>12.0f} "
                f"{r['peak_pss_mb']:>17.0f}  "
                f"{json.dumps(r['counts'])}"
            )


if __name__ == "__main__":
    main()
