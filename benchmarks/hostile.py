"""What hostile input costs: memory and time of each attack issue 30 names, measured.

Each scenario runs in a process of its own (its peak RSS is its own, from
/proc/self/status VmHWM), against real servers on 127.0.0.1:

* ``bomb``: fetch a 1 GiB gzip-in-gzip body (and a 3 GiB one) with ``max_bytes`` 5 MB;
* ``nesting``: the sanitizer on 0.55 and 2.2 MB of nested ``<div>`` (nh3 alone beside it);
* ``page``: a 4.7 MB detail page (rejected) and the largest page the bounds let through,
  through the extraction chain;
* ``serve``: a running ``newsdesk serve``: an 86 MB PUT without a token, a 300 MB form
  POST, 150 Host headers on the feeds, 1,000 streams from one client; the server's RSS
  after each, and whether it still answers;
* ``or``: a query of many one-character OR terms (refused) and the largest accepted.

    python benchmarks/hostile.py [bomb nesting page serve or]
"""

from __future__ import annotations

import contextlib
import gzip
import json
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
import zlib
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def peak_rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


def _bomb(gib: int) -> bytes:
    packer = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    block = bytes(1 << 20)
    inner = b"".join(packer.compress(block) for _ in range(1024 * gib)) + packer.flush()
    return gzip.compress(inner, 9)


def scenario_bomb() -> dict[str, object]:
    import asyncio

    from newsdesk.errors import FetchError
    from newsdesk.fetch.client import Fetcher, Limits

    results: dict[str, object] = {}
    served: dict[str, bytes] = {}

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 - the server's name for it
            self.send_response(200)
            self.send_header("content-encoding", served["coding"])
            self.send_header("content-length", str(len(served["body"])))
            self.end_headers()
            self.wfile.write(served["body"])

        def log_message(self, *args: object) -> None:
            pass

    async def fetch(port: int) -> str:
        async with Fetcher(Limits(retries=0, host_delay=0.0)) as fetcher:
            try:
                await fetcher.get(f"http://127.0.0.1:{port}/", source="bomb")
            except FetchError as exc:
                return str(exc)
        return "fetched"

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    cases = [(1, "gzip, gzip", _bomb(1)), (3, "gzip, gzip", _bomb(3))]
    cases.append((1, "gzip", gzip.decompress(cases[0][2])))  # one layer: inflated up to the cap, then refused
    for gib, coding, body in cases:
        served.update(body=body, coding=coding)
        started = time.perf_counter()
        said = asyncio.run(fetch(server.server_port))
        results[f"{gib} GiB as {coding} ({len(body):,} bytes sent)"] = {
            "seconds": round(time.perf_counter() - started, 3),
            "answer": said[:90],
        }
    server.shutdown()
    results["peak RSS MB"] = round(peak_rss_mb(), 1)
    return results


def scenario_nesting() -> dict[str, object]:
    import nh3

    from newsdesk.clean import sanitize
    from newsdesk.errors import CleanError

    results: dict[str, object] = {}
    for count in (50_000, 200_000):
        html = "<div>" * count + "x" + "</div>" * count
        started = time.perf_counter()
        try:
            sanitize(html)
            said = "cleaned"
        except CleanError as exc:
            said = str(exc)
        refused = time.perf_counter() - started
        row: dict[str, object] = {"sanitize s": round(refused, 4), "answer": said[:70]}
        if count == 50_000:  # what the parser alone costs on it (2.2 MB: minutes, not run)
            started = time.perf_counter()
            nh3.clean(html, tags={"p"})
            row["nh3 alone s"] = round(time.perf_counter() - started, 2)
        results[f"{len(html) / 1e6:.2f} MB nested div"] = row
    return results


def scenario_page() -> dict[str, object]:
    from newsdesk import markup
    from newsdesk.extract import main_content
    from newsdesk.fetch.documents import PAGE_BOUNDS

    paragraph = "<div class='c{n}'><p>Sentence number {n} of the story, with words. <a href='/x{n}'>link</a></p></div>"
    results: dict[str, object] = {}
    big = "<html><body>" + "".join(paragraph.format(n=n) for n in range(42_000)) + "</body></html>"
    started = time.perf_counter()
    why = markup.check(big, PAGE_BOUNDS)
    results[f"{len(big) / 1e6:.1f} MB page"] = {"check s": round(time.perf_counter() - started, 3), "answer": why}
    fits = "<html><body>" + "".join(paragraph.format(n=n) for n in range(9_900)) + "</body></html>"
    assert markup.check(fits, PAGE_BOUNDS) is None
    started = time.perf_counter()
    main_content(fits, "http://example.com/a")
    results[f"largest accepted ({len(fits) / 1e6:.2f} MB, 29,700 elements)"] = {
        "extraction s": round(time.perf_counter() - started, 2)
    }
    results["peak RSS MB"] = round(peak_rss_mb(), 1)
    return results


def _rss_of(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def _send(port: int, head: str, body: bytes, total: int, chunk: int = 1 << 20) -> tuple[str, float]:
    """Send ``head`` then ``total`` bytes of ``body`` pattern; the status line and seconds to it."""
    started = time.perf_counter()
    with socket.create_connection(("127.0.0.1", port), timeout=60) as sock:
        sock.sendall(head.replace("\n", "\r\n").encode() + b"\r\n")
        sent = 0
        sock.setblocking(False)
        answer = b""
        while sent < total and b"\r\n" not in answer:
            try:
                sent += sock.send(body[: min(chunk, total - sent)])
            except (BlockingIOError, ConnectionError):
                time.sleep(0.001)
            with contextlib.suppress(BlockingIOError, ConnectionError):
                answer += sock.recv(4096)
        sock.setblocking(True)
        while b"\r\n" not in answer:
            more = sock.recv(4096)
            if not more:
                break
            answer += more
    return answer.split(b"\r\n", 1)[0].decode("latin-1"), time.perf_counter() - started


def scenario_serve() -> dict[str, object]:
    import httpx

    folder = Path(tempfile.mkdtemp())
    db = f"sqlite:///{folder / 'serve.db'}"
    data = folder / "data" / "wire"
    data.mkdir(parents=True)
    records = [
        {"id": n, "title": f"Story {n} 市场 {n}", "description": "<p>" + "市场 text " * 400 + "</p>",
         "link": f"https://example.com/{n}", "pub_date": 1738917470 + n, "source": "wire"}
        for n in range(60)
    ]  # fmt: skip
    (data / "news.json").write_text(json.dumps({"data": records}, ensure_ascii=False))
    env = {**os.environ, "NEWSDESK_ADMIN_TOKEN": "a-long-admin-token"}
    subprocess.run([sys.executable, "-m", "newsdesk", "--db", db, "import", str(folder / "data")], check=True, env=env)
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = subprocess.Popen(
        [sys.executable, "-m", "newsdesk", "--db", db, "serve", "--port", str(port), "--workers", "1"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    results: dict[str, object] = {}
    try:
        base = f"http://127.0.0.1:{port}"
        for _ in range(100):
            try:
                httpx.get(base + "/api/sources", timeout=1)
                break
            except httpx.HTTPError:
                time.sleep(0.2)
        httpx.get(base + "/index.xml", timeout=10)  # the feed path warmed once: later growth is the attack's
        results["RSS at start MB"] = round(_rss_of(server.pid), 1)
        head = "PUT /api/admin/watchlists/x HTTP/1.1\nHost: 127.0.0.1\nContent-Type: application/json\n"
        status, seconds = _send(port, head + "Content-Length: 86000000\n", b"x" * (1 << 20), 86_000_000)
        results["86 MB PUT, no token"] = {"answer": status, "s": round(seconds, 3), "RSS MB": _rss_of(server.pid)}
        form = "POST /sources/ HTTP/1.1\nHost: 127.0.0.1\nContent-Type: application/x-www-form-urlencoded\n"
        status, seconds = _send(port, form + "Content-Length: 300000000\n", b"a" * (1 << 20), 300_000_000)
        results["300 MB form POST"] = {"answer": status, "s": round(seconds, 3), "RSS MB": _rss_of(server.pid)}
        with httpx.Client(base_url=base, timeout=10) as client:
            for n in range(150):
                for feed in ("/index.xml", "/atom.xml", "/feed.json", "/sitemap.xml"):
                    client.get(feed, headers={"Host": f"host{n}.example"})
                    client.get(feed, headers={"Host": f"localhost:{1000 + n}"})
        results["150 Hosts x 4 feeds, foreign and loopback"] = {"RSS MB": _rss_of(server.pid)}
        streams, refused = [], 0
        for _ in range(1000):
            try:
                sock = socket.create_connection(("127.0.0.1", port), timeout=5)
                sock.sendall(b"GET /api/stream HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
                first = sock.recv(64)
                if b" 200 " in first:
                    streams.append(sock)
                else:
                    refused += 1
                    sock.close()
            except OSError:
                refused += 1
        answers = httpx.get(base + "/api/articles", timeout=10).status_code
        results["1,000 streams from one client"] = {
            "open": len(streams),
            "refused (503)": refused,
            "others still served": answers,
            "RSS MB": _rss_of(server.pid),
        }
        for sock in streams:
            sock.close()
    finally:
        server.terminate()
        server.wait(30)
    return results


def scenario_or() -> dict[str, object]:
    from newsdesk.errors import QueryError
    from newsdesk.search.query import parse

    many = " OR ".join("金银铜铁锡铅锌镍钴锰钛钒铬钨钼锑铋汞镉铂钯铑铱锇钌钽铌锆铪镓铟铊")
    try:
        parse(many)
        said = "accepted"
    except QueryError as exc:
        said = str(exc)
    return {"32 one-character OR terms": said}


SCENARIOS = {
    "bomb": scenario_bomb,
    "nesting": scenario_nesting,
    "page": scenario_page,
    "serve": scenario_serve,
    "or": scenario_or,
}


def main() -> None:
    chosen = sys.argv[1:] or list(SCENARIOS)
    if os.environ.get("HOSTILE_SCENARIO"):
        print(json.dumps(SCENARIOS[os.environ["HOSTILE_SCENARIO"]](), ensure_ascii=False))
        return
    for name in chosen:
        run = subprocess.run(
            [sys.executable, __file__],
            env={**os.environ, "HOSTILE_SCENARIO": name},
            capture_output=True,
            text=True,
            cwd=ROOT,
        )
        print(f"## {name}")
        print(json.dumps(json.loads(run.stdout), ensure_ascii=False, indent=1) if run.returncode == 0 else run.stderr)


if __name__ == "__main__":
    main()
