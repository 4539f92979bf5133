"""Live stream under load: STREAMS open ``/api/stream`` connections while ``newsdesk
import`` writes real articles into the database the server reads.

    .venv/bin/python benchmarks/stream_fanout.py [DATA] [--streams 200] [--sources qq,fx168,...]

For every article: when it became visible in the database (a watcher polls the store
every 20 ms for new uuids: the commit, give or take 20 ms) and when each stream received
it. Prints the delivery delay (receipt minus visibility) over all (article, stream)
pairs: p50, p95, max; and how many pairs were delivered (goal: all, p95 < 1 s).
Loopback only; the server is ``newsdesk serve`` in its own process.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import re
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "datasets" / "cachenews-2025-02"


def _port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


_ID = re.compile(rb"\nid: ([0-9a-f]{32})\r")


async def _listen(port: int, received: dict[str, float], ready: asyncio.Event, counter: list[int], total: int) -> None:
    """One stream, read in large chunks (a line at a time, the client would be what lags)."""
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(f"GET /api/stream HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nAccept: text/event-stream\r\n\r\n".encode())
    await writer.drain()
    tail, waiting = b"", True
    while chunk := await reader.read(1 << 20):
        now = time.monotonic()
        if waiting and b"event: ready" in chunk:
            waiting = False
            counter[0] += 1
            if counter[0] == total:
                ready.set()
        data = tail + chunk  # an id split between two reads is found in the next
        for match in _ID.finditer(data):
            received.setdefault(match[1].decode(), now)
        tail = data[-64:]


def _cpu(pid: int) -> float:
    """CPU seconds a process has used (user + system)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _watch(db: Path, visible: dict[str, float], stop: threading.Event) -> None:
    """uuid → when it first showed in the database (polled every 20 ms)."""
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    seen: set[str] = set(uuid for (uuid,) in conn.execute("SELECT uuid FROM articles"))
    while not stop.is_set():
        now = time.monotonic()
        for (uuid,) in conn.execute("SELECT uuid FROM articles ORDER BY first_seen DESC LIMIT 2000"):
            if uuid not in seen:
                seen.add(uuid)
                visible[uuid] = now
        time.sleep(0.02)


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("data", nargs="?", default=str(DATA))
    parser.add_argument("--streams", type=int, default=200)
    parser.add_argument("--sources", default="qq,fx168,coinlive,seekalpha", help="folders of news/data to import")
    args = parser.parse_args()
    folders = [str(Path(args.data) / "news" / "data" / name) for name in args.sources.split(",")]
    work = Path(tempfile.mkdtemp())
    db = work / "stream.db"
    env = {**os.environ, "NEWSDESK_DB": f"sqlite:///{db}"}
    newsdesk = [sys.executable, "-m", "newsdesk"]
    subprocess.run([*newsdesk, "sources"], env=env, capture_output=True, check=True)  # creates the schema
    port = _port()
    server = subprocess.Popen([*newsdesk, "serve", "--port", str(port)], env=env, stderr=subprocess.DEVNULL)
    if os.environ.get("PROFILE"):
        subprocess.Popen(
            ["py-spy", "record", "-p", str(server.pid), "-o", os.environ["PROFILE"], "-d", "25", "-f", "raw", "--gil"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
    try:
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.1)
        received = [{} for _ in range(args.streams)]
        ready, counter = asyncio.Event(), [0]
        tasks = [
            asyncio.create_task(_listen(port, received[n], ready, counter, args.streams)) for n in range(args.streams)
        ]
        await asyncio.wait_for(ready.wait(), 60)
        visible: dict[str, float] = {}
        stop = threading.Event()
        watcher = threading.Thread(target=_watch, args=(db, visible, stop), daemon=True)
        watcher.start()
        started = time.monotonic()
        importer = await asyncio.create_subprocess_exec(
            *newsdesk, "import", *folders, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        await importer.wait()
        took = time.monotonic() - started
        await asyncio.sleep(3)  # the last batch reaches the streams
        stop.set()
        for task in tasks:
            task.cancel()
        server_cpu = _cpu(server.pid)
    finally:
        server.terminate()
        server.wait(10)
    delays = [got[uuid] - when for uuid, when in visible.items() for got in received if uuid in got]
    pairs = len(visible) * args.streams
    delays.sort()
    print(f"machine: {os.uname().machine}, {os.cpu_count()} cores; newsdesk serve (1 process), {args.streams} streams")
    print(f"import of {', '.join(args.sources.split(','))}: {len(visible)} new articles in {took:.1f} s")
    print(
        f"delivered {len(delays):,} of {pairs:,} (article, stream) pairs; CPU: server {server_cpu:.1f} s, "
        f"this client {time.process_time():.1f} s"
    )
    if delays:
        p95 = delays[int(len(delays) * 0.95) - 1]
        print(
            f"delay from visible to received: p50 {statistics.median(delays) * 1000:.0f} ms, "
            f"p95 {p95 * 1000:.0f} ms, max {delays[-1] * 1000:.0f} ms"
        )


if __name__ == "__main__":
    asyncio.run(main())
