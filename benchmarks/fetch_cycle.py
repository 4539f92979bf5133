"""Fetch cycle benchmark: 100 simulated sources on loopback (not a test; prints figures).

A server process listens on 127.0.0.2 … 127.0.0.101 (one address per source, so
that each source is its own host for the per-host limits). Each source has a JSON
list of 10 items whose detail pages are HTML; every request waits 50–500 ms
(fixed per URL, seeded) and 5 % of URLs answer 500 on their first request.

Measured, each in its own child process (wall time, peak RSS by ``os.wait4``):
1. ``newsdesk`` — one ``fetch_cycle`` over the 100 sources, items counted, not stored
   in articles (the fetcher's own cost);
2. ``newsdesk + import`` — the same with the import pipeline into a fresh SQLite file
   (cleaning, enrichment, search index);
3. the seed system's way — 8 processes, each taking a source and fetching its list and
   then its 10 pages one after another (15 s timeout, no retry).

The lower bound is what the per-host limits allow: per source, the list, then 10 pages
at most ``per_host`` at a time and ``host_delay`` apart, each with its latency.

    python benchmarks/fetch_cycle.py
    python benchmarks/fetch_cycle.py --feeds both   # RSS: 100 feeds x 20 items; 7,476 real items in 121 feeds
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import hashlib
import json
import multiprocessing
import os
import platform
import sys
import tempfile
import time
from pathlib import Path

SOURCES = 100
PAGES = 10
PORT = 18080


def latency(path: str, host: int) -> float:
    digest = hashlib.md5(f"{host}{path}".encode()).digest()
    return 0.05 + 0.45 * digest[0] / 255


def failing(path: str, host: int) -> bool:
    return hashlib.md5(f"e{host}{path}".encode()).digest()[0] < 13  # ~5 %


def serve(ready: multiprocessing.synchronize.Event) -> None:
    from _feeds import serve_hosts

    seen: set[tuple[int, str]] = set()

    async def respond(host: int, path: str) -> tuple[int, str, bytes]:
        await asyncio.sleep(latency(path, host))
        if failing(path, host) and (host, path) not in seen:
            seen.add((host, path))
            return 500, "application/json", b"busy"
        if path == "/list":
            items = [
                {"title": f"source {host} story {n} 第{n}条新闻", "link": f"http://127.0.0.{host + 1}:{PORT}/p/{n}"}
                for n in range(PAGES)
            ]
            return 200, "application/json", json.dumps({"items": items}, ensure_ascii=False).encode()
        page = f"<html><body><div class='a'><p>{'正文 body text ' * 40}{host}{path}</p></div></body></html>"
        return 200, "text/html; charset=utf-8", page.encode()

    serve_hosts({f"127.0.0.{n + 1}": n for n in range(1, SOURCES + 1)}, PORT, respond, ready)


def sources():
    from newsdesk.sources.catalog import Detail, Source

    return [
        Source(
            name=f"sim{n}",
            kind="json",
            url=f"http://127.0.0.{n + 1}:{PORT}/list",
            file="bench",
            items="items",
            fields={"title": "title", "link": "link"},
            detail=Detail(content=(".a",)),
            timeout=15.0,
            allow_private=True,
        )
        for n in range(1, SOURCES + 1)
    ]


def ours(db: str, store_articles: bool, out: multiprocessing.Queue) -> None:
    from newsdesk.config import Settings
    from newsdesk.fetch.client import Fetcher
    from newsdesk.fetch.documents import limits_from
    from newsdesk.pipeline import ImportReport
    from newsdesk.pipeline.refresh import fetch_cycle
    from newsdesk.store import Store

    settings = Settings(fetch_concurrency=400, import_workers=1)
    counted = []

    def count(store, records, settings):  # noqa: ANN001 - the benchmark's stand-in for the pipeline
        counted.extend(records)
        return ImportReport(new=len(records))

    async def cycle():
        async with Fetcher(limits_from(settings)) as fetcher:
            results = await fetch_cycle(
                sources(), store, settings, fetcher=fetcher, importer=None if store_articles else count
            )
            return results, fetcher.requests

    store = Store(db)
    started = time.perf_counter()
    results, requests = asyncio.run(cycle())
    wall = time.perf_counter() - started
    out.put(
        {
            "wall": wall,
            "requests": requests,
            "new": sum(r.new for r in results),
            "failing": sum(r.state != "ok" for r in results),
        }
    )


def seed_source(n: int) -> tuple[int, int]:
    """One seed-system script: its list, then each page, one request after another."""
    import httpx

    fetched = stored = 0
    with httpx.Client(timeout=15) as client:
        try:
            listing = client.get(f"http://127.0.0.{n + 1}:{PORT}/list")
            fetched += 1
            listing.raise_for_status()
            for item in listing.json()["items"]:
                page = client.get(item["link"])
                fetched += 1
                stored += page.status_code == 200
        except httpx.HTTPError:
            pass
    return fetched, stored


def seed_way(out: multiprocessing.Queue) -> None:
    one = seed_source
    started = time.perf_counter()
    with multiprocessing.get_context("fork").Pool(8) as pool:
        done = pool.map(one, range(1, SOURCES + 1), chunksize=1)
    out.put(
        {"wall": time.perf_counter() - started, "requests": sum(f for f, _ in done), "new": sum(s for _, s in done)}
    )


def lower_bound(per_host: int, host_delay: float, backoff: float) -> float:
    """The cycle's shortest possible time under the per-host limits: per source, the
    list, then the pages at most ``per_host`` at a time and ``host_delay`` apart; a
    request that fails first is sent again ``backoff`` (the least) after its answer."""

    def cost(path: str, host: int) -> float:
        once = latency(path, host)
        return 2 * once + backoff if failing(path, host) else once

    worst = 0.0
    for host in range(1, SOURCES + 1):
        ready = cost("/list", host)
        slots = [ready] * per_host
        last_start, finish = -1e9, ready
        for n in range(PAGES):
            slots.sort()
            start = max(slots[0], last_start + host_delay)
            last_start = start
            slots[0] = start + cost(f"/p/{n}", host)
            finish = max(finish, slots[0])
        worst = max(worst, finish)
    return worst


def feeds_load(db: str, count: int, out: multiprocessing.Queue) -> None:
    """Fetch ``count`` loopback feeds once into ``db`` through the whole pipeline."""
    from _feeds import feed_sources

    from newsdesk.config import Settings
    from newsdesk.store import Store

    try:
        from newsdesk.pipeline.refresh import fetch_cycle
    except ImportError:  # an older checkout, for before/after figures (PYTHONPATH=old/src)
        from newsdesk.fetch.run import fetch_cycle  # type: ignore[no-redef]

    settings = Settings(fetch_concurrency=400, import_workers=int(os.environ.get("BENCH_IMPORT_WORKERS", "0")))
    store = Store(db)
    started = time.perf_counter()
    results = asyncio.run(fetch_cycle(feed_sources(count), store, settings))
    out.put(
        {
            "wall": time.perf_counter() - started,
            "new": sum(r.new for r in results),
            "items": sum(r.items for r in results),
            "failing": sum(r.state != "ok" for r in results),
            "stored": store.count(),
        }
    )


def _machine_jiffies() -> int:
    fields = Path("/proc/stat").read_text().splitlines()[0].split()[1:]
    return sum(int(v) for v in fields[:3]) + sum(int(v) for v in fields[5:8])  # user nice system irq softirq steal


def _process(pid: int) -> tuple[int, int, int] | None:
    """(parent pid, CPU jiffies, proportional set size KB) of ``pid``: PSS splits the
    pages forked workers share with their parent instead of counting them in each."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        rollup = Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines()
        pss = next(int(line.split()[1]) for line in rollup if line.startswith("Pss:"))
        return int(stat[1]), int(stat[11]) + int(stat[12]), pss
    except (OSError, IndexError, ValueError, StopIteration):
        return None


def _tree_rss(root: int) -> int:
    """Proportional set size (KB) of ``root`` and all its descendants (pool workers, a forkserver)."""
    total, todo = 0, [root]
    while todo:
        pid = todo.pop()
        info = _process(pid)
        total += info[2] if info else 0
        with contextlib.suppress(OSError):
            todo += [int(c) for c in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    return total


def measure(server: tuple[object, tuple], target, *args) -> dict[str, float]:  # noqa: ANN001
    """Run ``target`` in a child process against a freshly started ``server`` (a
    target and its arguments; every run meets the same first-attempt errors).

    The child alone: wall, CPU and peak RSS by ``wait4``. Its tree (pool workers, a
    forkserver): CPU as the machine's busy time during the run less the server's, and
    memory as the peak of the summed proportional set size, sampled every 0.2 s."""
    import threading

    context = multiprocessing.get_context("fork")
    ready = context.Event()
    serving = context.Process(target=server[0], args=(*server[1], ready), daemon=True)  # type: ignore[arg-type]
    serving.start()
    if not ready.wait(20):
        raise SystemExit("the simulated sources did not start")
    tick = os.sysconf("SC_CLK_TCK")
    try:
        queue: multiprocessing.Queue = context.Queue()
        machine, served = _machine_jiffies(), _process(serving.pid)[1]  # type: ignore[index]
        child = context.Process(target=target, args=(*args, queue))
        child.start()
        peak, done = [0], threading.Event()

        def sample() -> None:
            while not done.wait(0.2):
                peak[0] = max(peak[0], _tree_rss(child.pid))

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        _, _, usage = os.wait4(child.pid, 0)
        done.set()
        sampler.join()
        tree_cpu = (_machine_jiffies() - machine - (_process(serving.pid)[1] - served)) / tick  # type: ignore[index]
        result = queue.get(timeout=5)
    finally:
        serving.terminate()
        serving.join()
    result["rss"] = usage.ru_maxrss / 1024
    result["cpu"] = usage.ru_utime + usage.ru_stime
    result["tree_cpu"], result["tree_rss"] = tree_cpu, peak[0] / 1024
    return result


def feeds_main(which: str, corpus: Path) -> None:
    from _feeds import corpus_feeds, synthetic_feeds
    from _feeds import serve as serve_feeds

    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}")
    print(
        "process: the fetching process alone (wait4); tree: it with its forkserver and pool workers "
        "(CPU: the machine's busy time less the feed server's; memory: peak of the summed PSS, sampled every 0.2 s)"
    )
    scenarios = []
    if which in ("synthetic", "both"):
        scenarios.append(
            ("100 feeds x 20 items, 2-5 KB, 50-300 ms", synthetic_feeds(), "Miniflux 2.2.6: 7.8 s, 2.9 CPU-s, 49 MB")
        )
    if which in ("corpus", "both"):
        scenarios.append(
            ("121 feeds of the dev corpus's real items", corpus_feeds(corpus), "Miniflux 2.2.6: 24 s, 207 MB")
        )
    print(
        f"{'scenario':<42} {'wall s':>7} {'CPU s':>6} {'tree CPU':>8} {'peak MB':>8} {'tree MB':>8} "
        f"{'items':>6} {'stored':>7}  reference"
    )
    for name, bodies, reference in scenarios:
        with tempfile.TemporaryDirectory() as tmp:
            r = measure((serve_feeds, (bodies,)), feeds_load, f"sqlite:///{Path(tmp) / 'feeds.db'}", len(bodies))
        print(
            f"{name:<42} {r['wall']:>7.2f} {r['cpu']:>6.1f} {r['tree_cpu']:>8.1f} {r['rss']:>8.0f} "
            f"{r['tree_rss']:>8.0f}"
            f" {r['items']:>6} {r['stored']:>7}  {reference}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--feeds",
        choices=("synthetic", "corpus", "both"),
        help="the RSS scenarios instead (compared with Miniflux's figures)",
    )
    parser.add_argument(
        "--corpus", type=Path, default=Path(__file__).parent.parent.parent / "shared/datasets/cachenews-2025-02"
    )
    args = parser.parse_args()
    sys.path.insert(0, str(Path(__file__).parent))  # _feeds: the loopback servers
    if args.feeds:
        return feeds_main(args.feeds, args.corpus)
    with tempfile.TemporaryDirectory() as tmp:
        plain = measure((serve, ()), ours, f"sqlite:///{Path(tmp) / 'a.db'}", False)
        stored = measure((serve, ()), ours, f"sqlite:///{Path(tmp) / 'b.db'}", True)
        seed = measure((serve, ()), seed_way)
    from newsdesk.fetch.client import Limits

    limits = Limits()
    bound = lower_bound(limits.per_host, limits.host_delay, limits.backoff)
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}")
    print(
        f"{SOURCES} sources x (1 list + {PAGES} pages), 50-500 ms per request, 5 % first-attempt 500s; "
        f"per_host {limits.per_host}, host_delay {limits.host_delay} s"
    )
    print(f"{'run':<28} {'wall s':>8} {'requests':>9} {'req/s':>7} {'articles':>9} {'peak RSS MB':>12} {'CPU s':>6}")
    for name, r in (
        ("newsdesk (fetch only)", plain),
        ("newsdesk + import", stored),
        ("seed system's way (8 procs)", seed),
    ):
        print(
            f"{name:<28} {r['wall']:>8.2f} {r['requests']:>9} {r['requests'] / r['wall']:>7.0f} {r['new']:>9} "
            f"{r['rss']:>12.0f}"
            f" {r['cpu']:>6.1f}"
        )
    print(f"lower bound under the per-host limits: {bound:.2f} s")
    print(
        f"speed-up over the seed system's way: fetch only {seed['wall'] / plain['wall']:.1f}x, with import "
        f"{seed['wall'] / stored['wall']:.1f}x"
    )
    print(
        f"against the lower bound: fetch only {plain['wall'] / bound:.2f}x, with import {stored['wall'] / bound:.2f}x"
    )


if __name__ == "__main__":
    sys.exit(main())
