"""Watchlists under load (not a test: prints figures).

    .venv/bin/python benchmarks/alerts.py [DATA] [--watchlists 1000] [--articles 2000]

1. Matching cost: WATCHLISTS watchlists (queries made of the corpus's most used topics,
   single and paired with OR, and its most used tickers) matched against ARTICLES
   enriched corpus articles, in process: time per article.
2. Delivery: 100 watchlists (topics ranked 100–200, tickers), each with a JSON webhook
   on a loopback receiver (a process of its own);
   ``newsdesk import`` of source folders into a new database while the alert sender of
   ``newsdesk run`` works beside it. For every alert: receipt at the receiver minus
   when its article became visible in the database (polled every 20 ms); duplicates
   delivered (the same watchlist and story twice).
"""

from __future__ import annotations

import argparse
import asyncio
import http.server
import json
import os
import re
import sqlite3
import statistics
from dataclasses import replace
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from newsdesk.config import Settings
from newsdesk.models import Watchlist
from newsdesk.pipeline.daemon import send_alerts
from newsdesk.store import Store
from newsdesk.tokens import article_tokens
from newsdesk.watch import Watchers

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "datasets" / "cachenews-2025-02"
sys.path.insert(0, str(Path(__file__).parent))
from _corpus import corpus_store  # noqa: E402


def watchlists(store: Store, count: int, hook: str | None = None, skip: int = 0) -> list[Watchlist]:
    """``count`` watchlists on the corpus's most used topics and tickers (after the ``skip``
    most used topics: those make watchlists that match everything)."""
    topics = [t for t, _ in store.tag_counts("topic", limit=skip + count)][skip:]
    tickers = [t for t, _ in store.tag_counts("ticker", limit=count // 4)]
    made = []
    for n in range(count):
        if n % 4 == 3 and tickers:
            made.append(Watchlist(f"w{n}", tickers=(tickers[n // 4 % len(tickers)],)))
        else:
            query = topics[n % len(topics)] if n % 2 else f"{topics[n % len(topics)]} OR {topics[(n * 7 + 3) % len(topics)]}"
            made.append(Watchlist(f"w{n}", query=query))
    return [replace(w, notify=(hook,)) if hook else w for w in made]


def matching_cost(store: Store, count: int, articles: int) -> None:
    sample = []
    for article in store.iter_articles():
        article.tokens = article_tokens(article.title, article.text)  # as enrich hands it over
        sample.append(article)
        if len(sample) == articles:
            break
    started = time.perf_counter()
    watchers = Watchers(watchlists(store, count))
    compiled = time.perf_counter() - started
    started = time.perf_counter()
    hits = sum(len(watchers.match(a)) for a in sample)
    each = (time.perf_counter() - started) / len(sample)
    print(f"matching: {count} watchlists compiled in {compiled * 1000:.0f} ms; {len(sample)} articles, "
          f"{each * 1000:.3f} ms per article, {hits} matches ({hits / len(sample):.1f} per article)")  # fmt: skip


class Receiver(http.server.BaseHTTPRequestHandler):
    """The webhook target, run in a process of its own (``--receive``) so that it takes
    no CPU time from the sender's: a line per story received (monotonic clock, shared by
    the processes of one machine)."""

    out = sys.stdout

    def do_POST(self) -> None:  # noqa: N802
        body = json.loads(self.rfile.read(int(self.headers["content-length"])))
        watchlist = body["title"][1:].split("]", 1)[0]
        now = time.monotonic()
        for link in re.findall(r"https?://\S+", body["message"]):
            Receiver.out.write(json.dumps([now, watchlist, link]) + "\n")
        Receiver.out.flush()
        self.send_response(200)
        self.end_headers()

    def log_message(self, *args: object) -> None:
        pass


def receive(out: str) -> None:
    Receiver.out = open(out, "a", encoding="utf-8")  # noqa: SIM115 (open while the server runs)
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Receiver)
    print(server.server_port, flush=True)
    server.serve_forever()


def delivery(corpus: Store, data: Path, sources: list[str]) -> None:
    work = Path(tempfile.mkdtemp())
    receipts = work / "received.jsonl"
    receiver = subprocess.Popen([sys.executable, __file__, "--receive", str(receipts)], stdout=subprocess.PIPE, text=True)
    hook = f"json://127.0.0.1:{int(receiver.stdout.readline())}/hook"  # type: ignore[union-attr]
    db = work / "alerts.db"
    store = Store(f"sqlite:///{db}")
    for w in watchlists(corpus, 100, hook, skip=100):
        definition = {"tickers": list(w.tickers), "query": w.query, "notify": list(w.notify)}
        store.save_watchlist(w.name, {k: v for k, v in definition.items() if v})
    visible: dict[tuple[str, str], float] = {}
    stop = threading.Event()

    def watch() -> None:
        conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
        seen: set[int] = set()
        while not stop.is_set():
            now = time.monotonic()
            for alert_id, watchlist, link in conn.execute(
                "SELECT a.id, a.watchlist, r.link FROM alerts a JOIN articles r ON r.uuid = a.uuid ORDER BY a.id DESC LIMIT 5000"):  # noqa: E501
                if alert_id not in seen:
                    seen.add(alert_id)
                    visible[(watchlist, link)] = now
            time.sleep(0.02)

    threading.Thread(target=watch, daemon=True).start()
    halt = asyncio.Event()

    async def run() -> float:
        sender = asyncio.create_task(send_alerts(store, Settings(), halt, os.environ))
        started = time.monotonic()
        folders = [str(data / "news" / "data" / s) for s in sources]
        importer = await asyncio.create_subprocess_exec(sys.executable, "-m", "newsdesk", "--db", f"sqlite:///{db}", "import",
                                                        *folders, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
        await importer.wait()
        took = time.monotonic() - started
        await asyncio.sleep(5)
        halt.set()
        await sender
        return took

    took = asyncio.run(run())
    stop.set()
    receiver.terminate()
    receiver.wait()
    got = [json.loads(line) for line in receipts.read_text(encoding="utf-8").splitlines()]
    titles = [(watchlist, link) for _, watchlist, link in got]  # one story of one watchlist
    delays = sorted(when - visible[(w, link)] for when, w, link in got if (w, link) in visible)
    queued = len(store.alert_log(limit=100_000))
    print(f"delivery: {store.count()} articles imported in {took:.1f} s, {queued} alerts queued, {len(titles)} received, "
          f"{len(titles) - len(set(titles))} duplicates")  # fmt: skip
    if delays:
        p95 = delays[max(0, int(len(delays) * 0.95) - 1)]
        print(f"delay from commit to receiver: p50 {statistics.median(delays) * 1000:.0f} ms, p95 {p95 * 1000:.0f} ms, "
              f"max {delays[-1] * 1000:.0f} ms")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("data", nargs="?", default=str(DATA))
    parser.add_argument("--db", help="a database holding the imported corpus (else a new one)")
    parser.add_argument("--watchlists", type=int, default=1000)
    parser.add_argument("--articles", type=int, default=2000)
    parser.add_argument("--sources", default="qq,wallstreetcn", help="folders of news/data imported for the delivery part")
    parser.add_argument("--receive", help=argparse.SUPPRESS)  # the receiver process: append receipts to this file
    args = parser.parse_args()
    if args.receive:
        receive(args.receive)
        return
    print(f"machine: {os.uname().machine}, {os.cpu_count()} cores")
    with tempfile.TemporaryDirectory() as folder, corpus_store(Path(args.data), args.db, folder) as corpus:
        matching_cost(corpus, args.watchlists, args.articles)
        delivery(corpus, Path(args.data), args.sources.split(","))


if __name__ == "__main__":
    main()
