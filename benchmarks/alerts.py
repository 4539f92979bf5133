"""Watchlists under load (not a test: prints figures).

    .venv/bin/python benchmarks/alerts.py [DATA] [--db URL] [--watchlists 1000] [--articles 2000]
                                          [--fetched 1000] [--spread 60] [--sources qq,wallstreetcn]

1. Matching cost: WATCHLISTS watchlists (queries made of the corpus's most used topics,
   single and paired with OR, and its most used tickers) matched against ARTICLES
   enriched corpus articles, in process: time per article.
2. Delivery: 100 watchlists (topics ranked 100–200, tickers), each with a JSON webhook
   on a loopback receiver (a process of its own), into a new SQLite database:
   a. through fetch: ``newsdesk run`` (a process) fetching 20 loopback JSON sources
      every second, whose listings release FETCHED corpus articles over SPREAD seconds;
   b. an import burst: ``newsdesk import`` of source folders while the alert sender of
      ``newsdesk run`` works beside it.
   For every alert: receipt at the receiver minus when its article became visible in
   the database (polled every 20 ms: the alert is written in the article's
   transaction); duplicates delivered (the same watchlist and story twice).
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
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import replace
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
            query = (
                topics[n % len(topics)]
                if n % 2
                else f"{topics[n % len(topics)]} OR {topics[(n * 7 + 3) % len(topics)]}"
            )
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
    print(
        f"matching: {count} watchlists compiled in {compiled * 1000:.0f} ms; {len(sample)} articles, "
        f"{each * 1000:.3f} ms per article, {hits} matches ({hits / len(sample):.1f} per article)"
    )


class Receiver(http.server.BaseHTTPRequestHandler):
    """The webhook target and the loopback sources, run in a process of its own
    (``--receive``) so that it takes no CPU time from newsdesk's: a line per story
    received (monotonic clock, shared by the processes of one machine); ``GET /s/K``
    lists source K's items released so far (each has a release time, seconds after the
    server started)."""

    out = sys.stdout
    items: dict[str, list[dict[str, object]]] = {}
    started = 0.0

    def do_POST(self) -> None:  # noqa: N802
        body = json.loads(self.rfile.read(int(self.headers["content-length"])))
        watchlist = body["title"][1:].split("]", 1)[0]
        now = time.monotonic()
        for link in re.findall(r"https?://\S+", body["message"]):
            Receiver.out.write(json.dumps([now, watchlist, link]) + "\n")
        Receiver.out.flush()
        self.send_response(200)
        self.end_headers()

    def do_GET(self) -> None:  # noqa: N802
        elapsed = time.monotonic() - Receiver.started
        released = [i for i in Receiver.items.get(self.path.rsplit("/", 1)[-1], []) if i["at"] <= elapsed]
        body = json.dumps(
            {"items": released[::-1][:50]}, ensure_ascii=False
        ).encode()  # newest first, as a site lists them
        self.send_response(200)
        self.send_header("content-type", "application/json")
        self.send_header("content-length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


def receive(out: str, items: str | None) -> None:
    Receiver.out = open(out, "a", encoding="utf-8")  # noqa: SIM115 (open while the server runs)
    if items:
        for item in json.loads(Path(items).read_text(encoding="utf-8")):
            Receiver.items.setdefault(item["source"], []).append(item)
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Receiver)
    Receiver.started = time.monotonic()
    print(server.server_port, Receiver.started, flush=True)
    server.serve_forever()


class Harness:
    """A new SQLite database with 100 watchlists on a loopback receiver, and a thread
    that notes when each alert became visible in the database (polled every 20 ms)."""

    def __init__(self, corpus: Store, items: Path | None = None) -> None:
        self.work = Path(tempfile.mkdtemp())
        self.receipts = self.work / "received.jsonl"
        command = [sys.executable, __file__, "--receive", str(self.receipts)] + (
            ["--items", str(items)] if items else []
        )
        self.receiver = subprocess.Popen(command, stdout=subprocess.PIPE, text=True)
        port, started = self.receiver.stdout.readline().split()  # type: ignore[union-attr]
        self.port, self.started = int(port), float(started)  # the items' release times count from then
        self.released: dict[str, float] = {}  # link → seconds after the start it was released
        self.db = self.work / "alerts.db"
        self.store = Store(f"sqlite:///{self.db}")
        for w in watchlists(corpus, 100, f"json://127.0.0.1:{self.port}/hook", skip=100):
            definition = {"tickers": list(w.tickers), "query": w.query, "notify": list(w.notify)}
            self.store.save_watchlist(w.name, {k: v for k, v in definition.items() if v})
        self.visible: dict[tuple[str, str], float] = {}
        self.stop = threading.Event()
        threading.Thread(target=self._watch, daemon=True).start()

    def _watch(self) -> None:
        conn = sqlite3.connect(f"file:{self.db}?mode=ro", uri=True)
        seen: set[int] = set()
        while not self.stop.is_set():
            now = time.monotonic()
            for alert_id, watchlist, link in conn.execute(
                "SELECT a.id, a.watchlist, r.link FROM alerts a JOIN articles r ON r.uuid = a.uuid ORDER BY "
                "a.id DESC LIMIT 5000"
            ):  # noqa: E501
                if alert_id not in seen:
                    seen.add(alert_id)
                    self.visible[(watchlist, link)] = now
            time.sleep(0.02)

    def report(self, label: str, took: float) -> None:
        self.stop.set()
        self.receiver.terminate()
        self.receiver.wait()
        got = [json.loads(line) for line in self.receipts.read_text(encoding="utf-8").splitlines()]
        titles = [(watchlist, link) for _, watchlist, link in got]  # one story of one watchlist
        delays = sorted(when - self.visible[(w, link)] for when, w, link in got if (w, link) in self.visible)
        queued = len(self.store.alert_log(limit=100_000))
        print(
            f"delivery ({label}): {self.store.count()} articles in {took:.1f} s, {queued} alerts queued, "
            f"{len(titles)} received, "
            f"{len(titles) - len(set(titles))} duplicates"
        )
        _delays("commit", delays)
        since = sorted(when - self.started - self.released[link] for when, _, link in got if link in self.released)
        _delays("release in the source's list", since)


def _delays(what: str, delays: list[float]) -> None:
    if delays:
        p95 = delays[max(0, int(len(delays) * 0.95) - 1)]
        median, most = statistics.median(delays), delays[-1]
        shown = f"p50 {median * 1000:.0f} ms, p95 {p95 * 1000:.0f} ms, max {most * 1000:.0f} ms"
        print(f"  delay from {what} to receiver: {shown}")


def delivery_by_import(corpus: Store, data: Path, sources: list[str]) -> None:
    """``newsdesk import`` of source folders (a burst: 500 articles a transaction) while
    the alert sender of ``newsdesk run`` works beside it, in this process."""
    harness = Harness(corpus)
    halt = asyncio.Event()

    async def run() -> float:
        sender = asyncio.create_task(send_alerts(harness.store, Settings(), halt, os.environ))
        started = time.monotonic()
        folders = [str(data / "news" / "data" / s) for s in sources]
        importer = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "newsdesk",
            "--db",
            f"sqlite:///{harness.db}",
            "import",
            *folders,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        await importer.wait()
        took = time.monotonic() - started
        await asyncio.sleep(5)
        halt.set()
        await sender
        return took

    harness.report("import burst", asyncio.run(run()))


def delivery_by_fetch(corpus: Store, articles: int, spread: float, feeds: int = 20, kill_every: float = 0) -> None:
    """``newsdesk run`` (a process) fetching ``feeds`` loopback JSON sources every second,
    whose listings release ``articles`` corpus articles (new links) over ``spread``
    seconds; the daemon matches, stores and sends. ``kill_every``: the daemon is killed
    (SIGKILL) that often, mid-fetch or mid-send, and started again at once."""
    work = Path(tempfile.mkdtemp())
    rows = []
    for n, article in enumerate(corpus.iter_articles()):
        if n == articles:
            break
        rows.append(
            {
                "source": f"s{n % feeds}",
                "title": article.title,
                "link": f"https://bench.example.com/{n}",
                "summary": article.text[:600],
                "published": article.published.isoformat(),
                "at": spread * n / articles,
            }
        )
    (work / "items.json").write_text(json.dumps(rows, ensure_ascii=False), encoding="utf-8")
    harness = Harness(corpus, work / "items.json")
    harness.released = {str(row["link"]): float(row["at"]) for row in rows}
    catalog = work / "sources"
    catalog.mkdir()
    for k in range(feeds):
        (catalog / f"s{k}.yaml").write_text(
            f"name: s{k}\nkind: json\nurl: http://127.0.0.1:{harness.port}/s/s{k}\nitems: items\ninterval: 1\n"
            "fields: {title: title, link: link, summary: summary, published: published}\n",
            encoding="utf-8",
        )
    config = work / "settings.toml"
    config.write_text("[fetch]\nhost_delay = 0\nper_host = 8\nretries = 0\n", encoding="utf-8")
    started = time.monotonic()
    command = [sys.executable, "-m", "newsdesk", "--db", f"sqlite:///{harness.db}", "--config", str(config)]
    command += ["run", "--sources", str(catalog)]
    daemon = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    kills, last_kill = 0, started
    while harness.store.count() < len(rows) and time.monotonic() - started < spread + 120 and daemon.poll() is None:
        time.sleep(0.5)
        if kill_every and time.monotonic() - last_kill >= kill_every:
            daemon.kill()
            daemon.wait()
            daemon = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            kills, last_kill = kills + 1, time.monotonic()
    took = time.monotonic() - started
    time.sleep(5)
    daemon.terminate()
    daemon.wait()
    killed = f", killed {kills} times" if kill_every else ""
    harness.report(f"fetch from {feeds} loopback sources, released over {spread:.0f} s{killed}", took)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("data", nargs="?", default=str(DATA))
    parser.add_argument("--db", help="a database holding the imported corpus (else a new one)")
    parser.add_argument("--watchlists", type=int, default=1000)
    parser.add_argument("--articles", type=int, default=2000)
    parser.add_argument(
        "--sources", default="qq,wallstreetcn", help="folders of news/data imported for the delivery part"
    )
    parser.add_argument("--fetched", type=int, default=1000, help="articles arriving through fetch")
    parser.add_argument("--spread", type=float, default=60.0, help="seconds over which they are released")
    parser.add_argument("--kill-every", type=float, default=0, help="SIGKILL `run` this often (s), restart it at once")
    parser.add_argument("--fetch-only", action="store_true", help="only the delivery through fetch")
    parser.add_argument("--receive", help=argparse.SUPPRESS)  # the receiver process: append receipts to this file
    parser.add_argument("--items", help=argparse.SUPPRESS)  # … and serve these items as loopback sources
    args = parser.parse_args()
    if args.receive:
        receive(args.receive, args.items)
        return
    print(f"machine: {os.uname().machine}, {os.cpu_count()} cores")
    with tempfile.TemporaryDirectory() as folder, corpus_store(Path(args.data), args.db, folder) as corpus:
        if not args.fetch_only:
            matching_cost(corpus, args.watchlists, args.articles)
        delivery_by_fetch(corpus, args.fetched, args.spread, kill_every=args.kill_every)
        if not args.fetch_only:
            delivery_by_import(corpus, Path(args.data), args.sources.split(","))


if __name__ == "__main__":
    main()
