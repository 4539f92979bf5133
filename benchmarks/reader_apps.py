"""Reader apps at scale: the Google Reader API of ``newsdesk serve`` over a store of
ARTICLES articles from SOURCES sources, one reader having read a third of them.

    .venv/bin/python benchmarks/reader_apps.py [--articles 1000000] [--sources 100] [--db PATH]
        [--postgresql 'postgresql+psycopg://127.0.0.1/test?options=-csearch_path%3Dreader_apps']

The store is written straight into SQLite (articles, their numbers, read states; the
pipeline is not what is measured here) and kept at PATH for the next run. Times REQUESTS
sequential requests of each kind from one client on loopback: ``stream/contents`` of
1,000 items (the reading list; unread only; one feed), ``stream/items/ids`` of 1,000,
``unread-count``; and the same reading list for a reader with no state at all, so that
what per-user state adds shows. Prints p50 and p99 in ms (goals: 1,000 items p99 < 100 ms,
unread-count < 20 ms, state ≤ 10 %).
"""

from __future__ import annotations

import argparse
import json
import random
import socket
import sqlite3
import statistics
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from newsdesk import accounts  # noqa: E402
from newsdesk.store import Store  # noqa: E402

BODY = "<p>" + "市场 market news body text, with numbers 1.25% and names. " * 30 + "</p>"


def build(path: Path, total: int, sources: int) -> None:
    """A store of ``total`` articles over ``sources`` sources, two months of them."""
    Store(f"sqlite:///{path}").close()  # the schema, by the migrations
    conn = sqlite3.connect(path)
    start = datetime(2026, 10, 1, tzinfo=UTC)
    rng = random.Random(7)
    started = time.perf_counter()
    rows = []
    for n in range(total):
        at = (start + timedelta(seconds=n * 5_184_000 // total)).strftime("%Y-%m-%d %H:%M:%S.000000")
        uuid = f"{n:032x}"
        source = f"src_{rng.randrange(sources):03d}"
        link, title = f"https://example.com/{source}/{n}", f"Headline {n} 标题"
        rows.append((uuid, link, source, title, "", BODY, "", "", "summary", 1, 0, at, at, at, "h", "[]", "[]", 3, 1))
        if len(rows) == 50_000 or n == total - 1:
            conn.executemany(
                "INSERT INTO articles (uuid, link, source, title, raw_html, html, markdown, text, summary, kind,"
                " importance, published, first_seen, updated, content_hash, tags, tickers, enriched, dated)"
                " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                rows,
            )
            conn.executemany("INSERT INTO article_ids (uuid) VALUES (?)", [(r[0],) for r in rows])
            rows.clear()
    now = datetime.now(UTC).strftime("%Y-%m-%d %H:%M:%S.000000")
    read = [("ada", f"{n:032x}", 1, 0, now) for n in range(total) if rng.random() < 1 / 3]
    conn.executemany('INSERT INTO article_states ("user", uuid, read, starred, updated) VALUES (?,?,?,?,?)', read)
    conn.execute(
        'INSERT INTO read_counts ("user", source, n) SELECT s."user", a.source, count(*) FROM article_states s'
        ' JOIN articles a ON a.uuid = s.uuid WHERE s.read GROUP BY s."user", a.source'
    )
    conn.commit()
    conn.close()
    print(f"built {total:,} articles, {len(read):,} read states in {time.perf_counter() - started:.0f} s", flush=True)


def build_postgresql(url: str, total: int, sources: int) -> None:
    """The same store in PostgreSQL (``url`` with its own search_path), by COPY."""
    import psycopg

    Store(url).close()
    plain = url.replace("postgresql+psycopg://", "postgresql://")
    rng = random.Random(7)
    start = datetime(2026, 10, 1, tzinfo=UTC)
    started = time.perf_counter()
    columns = "uuid, link, source, title, raw_html, html, markdown, text, summary, kind, importance, published," \
        " first_seen, updated, content_hash, tags, tickers, enriched, dated"  # fmt: skip
    with psycopg.connect(plain) as conn, conn.cursor() as cur:
        with cur.copy(f"COPY articles ({columns}) FROM STDIN") as copy:
            for n in range(total):
                at = start + timedelta(seconds=n * 5_184_000 // total)
                source = f"src_{rng.randrange(sources):03d}"
                copy.write_row((f"{n:032x}", f"https://example.com/{source}/{n}", source, f"Headline {n} 标题", "",
                                BODY, "", "", "summary", 1, 0, at, at, at, "h", "[]", "[]", 3, True))  # fmt: skip
        cur.execute("INSERT INTO article_ids (uuid) SELECT uuid FROM articles ORDER BY first_seen, uuid")
        now = datetime.now(UTC)
        with cur.copy('COPY article_states ("user", uuid, read, starred, updated) FROM STDIN') as copy:
            for n in range(total):
                if rng.random() < 1 / 3:
                    copy.write_row(("ada", f"{n:032x}", True, False, now))
        cur.execute(
            'INSERT INTO read_counts ("user", source, n) SELECT s."user", a.source, count(*) FROM article_states s'
            ' JOIN articles a ON a.uuid = s.uuid WHERE s.read GROUP BY s."user", a.source'
        )
        cur.execute("ANALYZE")
    print(f"built {total:,} articles in PostgreSQL in {time.perf_counter() - started:.0f} s", flush=True)


def _port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _login(client: httpx.Client, store: Store, name: str) -> dict[str, str]:
    if store.user(name) is None:
        store.add_user(name, accounts.hash_password("a long password"))
    password = accounts.new_token("app")
    store.add_token(name, "app", "bench", accounts.digest(password))
    answer = client.post("/accounts/ClientLogin", data={"Email": name, "Passwd": password}).text
    return {"Authorization": "GoogleLogin auth=" + answer.split("Auth=")[1].strip()}


def _timed(client: httpx.Client, path: str, headers: dict[str, str], requests: int) -> tuple[float, float, int]:
    times, size = [], 0
    for _ in range(requests):
        started = time.perf_counter()
        answer = client.get(path, headers=headers)
        times.append((time.perf_counter() - started) * 1000)
        answer.raise_for_status()
        size = len(answer.content)
    times.sort()
    return statistics.median(times), times[min(len(times) - 1, int(len(times) * 0.99))], size


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, default=1_000_000)
    parser.add_argument("--sources", type=int, default=100)
    parser.add_argument("--requests", type=int, default=50)
    parser.add_argument("--db", type=Path, default=Path("/tmp/newsdesk-reader-apps.db"))
    parser.add_argument("--postgresql", help="A PostgreSQL URL with a search_path of its own, built if empty")
    args = parser.parse_args()
    if args.postgresql:
        url = args.postgresql
        with Store(url) as probe:
            if probe.count() == 0:
                build_postgresql(url, args.articles, args.sources)
    else:
        if not args.db.exists():
            build(args.db, args.articles, args.sources)
        url = f"sqlite:///{args.db}"
    port = _port()
    server = subprocess.Popen(
        [sys.executable, "-m", "newsdesk", "--db", url, "serve", "--host", "127.0.0.1", "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    store = Store(url)
    try:
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=60) as client:
            for _ in range(100):
                try:
                    client.get("/robots.txt")
                    break
                except httpx.TransportError:
                    time.sleep(0.2)
            ada, bob = _login(client, store, "ada"), _login(client, store, "bob")
            reading = "/reader/api/0/stream/contents/user/-/state/com.google/reading-list?n=1000"
            cases = [
                ("stream/contents, reading list, 1,000 items", reading, ada),
                ("the same, unread only (xt=read)", reading + "&xt=user/-/state/com.google/read", ada),
                ("stream/contents, one feed, 1,000 items", "/reader/api/0/stream/contents/feed/src_007?n=1000", ada),
                ("stream/items/ids, 1,000, unread only",
                 "/reader/api/0/stream/items/ids?s=user/-/state/com.google/reading-list&n=1000&xt=user/-/state/com.google/read", ada),  # noqa: E501
                ("unread-count", "/reader/api/0/unread-count", ada),
                ("reading list, 1,000 items, a reader with no state", reading, bob),
            ]  # fmt: skip
            results = {}
            print(f"| request ({args.articles:,} articles, {args.sources} sources) | p50 ms | p99 ms | bytes |")
            print("|---|---|---|---|")
            for label, path, headers in cases:
                _timed(client, path, headers, 2)  # warm
                p50, p99, size = _timed(client, path, headers, args.requests)
                results[label] = (p50, p99)
                print(f"| {label} | {p50:.1f} | {p99:.1f} | {size:,} |", flush=True)
            with_state = results["stream/contents, reading list, 1,000 items"][0]
            without = results["reading list, 1,000 items, a reader with no state"][0]
            print(f"\nper-user state adds {100 * (with_state - without) / without:+.1f} % to the reading list (p50)")
            print(json.dumps({k: [round(v, 1) for v in p] for k, p in results.items()}))
    finally:
        store.close()
        server.terminate()
        server.wait(10)


if __name__ == "__main__":
    main()
