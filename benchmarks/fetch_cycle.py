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
"""

from __future__ import annotations

import argparse
import asyncio
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
    seen: set[tuple[int, str]] = set()

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        host = int(writer.get_extra_info("sockname")[0].rsplit(".", 1)[1]) - 1
        try:
            while True:
                request = await reader.readuntil(b"\r\n\r\n")
                path = request.split(b" ", 2)[1].decode()
                await asyncio.sleep(latency(path, host))
                status, body, kind = 200, b"", "application/json"
                if failing(path, host) and (host, path) not in seen:
                    seen.add((host, path))
                    status, body = 500, b"busy"
                elif path == "/list":
                    items = [{"title": f"source {host} story {n} 第{n}条新闻", "link": f"http://127.0.0.{host + 1}:{PORT}/p/{n}"}
                             for n in range(PAGES)]  # fmt: skip
                    body = json.dumps({"items": items}, ensure_ascii=False).encode()
                else:
                    kind = "text/html; charset=utf-8"
                    body = f"<html><body><div class='a'><p>{'正文 body text ' * 40}{host}{path}</p></div></body></html>".encode()
                head = f"HTTP/1.1 {status} X\r\ncontent-type: {kind}\r\ncontent-length: {len(body)}\r\n\r\n".encode()
                writer.write(head + body)
                await writer.drain()
        except (asyncio.IncompleteReadError, ConnectionError):
            pass
        finally:
            writer.close()

    async def main() -> None:
        servers = [await asyncio.start_server(handle, f"127.0.0.{n + 1}", PORT, backlog=512) for n in range(1, SOURCES + 1)]
        ready.set()
        await asyncio.gather(*(s.serve_forever() for s in servers))

    asyncio.run(main())


def sources():
    from newsdesk.sources.catalog import Detail, Source

    return [Source(name=f"sim{n}", kind="json", url=f"http://127.0.0.{n + 1}:{PORT}/list", file="bench", items="items",
                   fields={"title": "title", "link": "link"}, detail=Detail(content=(".a",)), timeout=15.0,
                   allow_private=True)
            for n in range(1, SOURCES + 1)]  # fmt: skip


def ours(db: str, store_articles: bool, out: multiprocessing.Queue) -> None:
    from newsdesk.config import Settings
    from newsdesk.fetch.client import Fetcher
    from newsdesk.fetch.documents import limits_from
    from newsdesk.pipeline.refresh import fetch_cycle
    from newsdesk.pipeline import ImportReport
    from newsdesk.store import Store

    settings = Settings(fetch_concurrency=400, import_workers=1)
    counted = []

    def count(store, records, settings):  # noqa: ANN001 - the benchmark's stand-in for the pipeline
        counted.extend(records)
        return ImportReport(new=len(records))

    async def cycle():
        async with Fetcher(limits_from(settings)) as fetcher:
            results = await fetch_cycle(sources(), store, settings, fetcher=fetcher, importer=None if store_articles else count)
            return results, fetcher.requests

    store = Store(db)
    started = time.perf_counter()
    results, requests = asyncio.run(cycle())
    wall = time.perf_counter() - started
    out.put({"wall": wall, "requests": requests, "new": sum(r.new for r in results),
             "failing": sum(r.state != "ok" for r in results)})  # fmt: skip


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
    out.put({"wall": time.perf_counter() - started, "requests": sum(f for f, _ in done), "new": sum(s for _, s in done)})


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


def measure(target, *args) -> dict[str, float]:
    """Run ``target`` in a child process against a freshly started simulated web
    (so that every run meets the same first-attempt errors)."""
    context = multiprocessing.get_context("fork")
    ready = context.Event()
    server = context.Process(target=serve, args=(ready,), daemon=True)
    server.start()
    if not ready.wait(20):
        raise SystemExit("the simulated sources did not start")
    try:
        queue: multiprocessing.Queue = context.Queue()
        child = context.Process(target=target, args=(*args, queue))
        child.start()
        _, _, usage = os.wait4(child.pid, 0)
        result = queue.get(timeout=5)
    finally:
        server.terminate()
        server.join()
    result["rss"] = usage.ru_maxrss / 1024
    result["cpu"] = usage.ru_utime + usage.ru_stime
    return result


def main() -> None:
    argparse.ArgumentParser(description=__doc__.split("\n")[0]).parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        plain = measure(ours, f"sqlite:///{Path(tmp) / 'a.db'}", False)
        stored = measure(ours, f"sqlite:///{Path(tmp) / 'b.db'}", True)
        seed = measure(seed_way)
    from newsdesk.fetch.client import Limits

    limits = Limits()
    bound = lower_bound(limits.per_host, limits.host_delay, limits.backoff)
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}")
    print(f"{SOURCES} sources x (1 list + {PAGES} pages), 50-500 ms per request, 5 % first-attempt 500s; "
          f"per_host {limits.per_host}, host_delay {limits.host_delay} s")  # fmt: skip
    print(f"{'run':<28} {'wall s':>8} {'requests':>9} {'req/s':>7} {'articles':>9} {'peak RSS MB':>12} {'CPU s':>6}")
    for name, r in (("newsdesk (fetch only)", plain), ("newsdesk + import", stored), ("seed system's way (8 procs)", seed)):
        print(f"{name:<28} {r['wall']:>8.2f} {r['requests']:>9} {r['requests'] / r['wall']:>7.0f} {r['new']:>9} {r['rss']:>12.0f}"
              f" {r['cpu']:>6.1f}")  # fmt: skip
    print(f"lower bound under the per-host limits: {bound:.2f} s")
    print(f"speed-up over the seed system's way: fetch only {seed['wall'] / plain['wall']:.1f}x, with import {seed['wall'] / stored['wall']:.1f}x")
    print(f"against the lower bound: fetch only {plain['wall'] / bound:.2f}x, with import {stored['wall'] / bound:.2f}x")


if __name__ == "__main__":
    sys.exit(main())
