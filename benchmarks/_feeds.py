"""Loopback RSS feeds for the fetch benchmark's feed scenarios (see fetch_cycle.py --feeds).

* ``synthetic``: 100 feeds x 20 items, bodies of 2-5 KB of mixed Chinese and English
  text, 50-300 ms per request (seeded) — the scenario Miniflux 2.2.6 was measured on;
* ``corpus``: the dev corpus's real items (title, body, link, date) regrouped into 121
  feeds, served as RSS — the "7,476 real items" load.

Each feed is its own host (127.0.0.2 …), as real feeds are; one server process serves them.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import random
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path
from xml.sax.saxutils import escape

PORT = 18180
# Feeds are in one language each, as real ones are: even hosts Chinese, odd hosts English.
ZH_WORDS = (
    "市场",
    "美联储",
    "利率",
    "通胀",
    "科技股",
    "财报",
    "收益率",
    "原油",
    "黄金",
    "人民币",
    "出口",
    "消费",
    "投资者",
    "预期",
    "季度",
    "营收",
    "分析师",
    "增长",
    "债券",
    "上涨",
    "下跌",
    "表示",
    "公司",
    "今年",
    "政策",
)
EN_WORDS = (
    "the",
    "market",
    "rates",
    "inflation",
    "earnings",
    "guidance",
    "investors",
    "shares",
    "rose",
    "fell",
    "of",
    "percent",
    "quarter",
    "revenue",
    "analysts",
    "expect",
    "growth",
    "bond",
    "yields",
    "and",
    "to",
    "in",
    "said",
    "company",
    "for",
    "on",
    "year",
    "policy",
    "was",
)


def sentence(rng: random.Random, chinese: bool) -> str:
    if chinese:
        return "，".join("".join(rng.choice(ZH_WORDS) for _ in range(rng.randint(3, 6))) for _ in range(3)) + "。"
    words = [rng.choice(EN_WORDS) for _ in range(rng.randint(10, 22))]
    return " ".join(words).capitalize() + "."


def latency(host: int, path: str) -> float:
    digest = hashlib.md5(f"{host}{path}".encode()).digest()
    return 0.05 + 0.25 * digest[0] / 255


def synthetic_feeds(feeds: int = 100, items: int = 20, seed: int = 11) -> dict[int, bytes]:
    rng = random.Random(seed)
    start = datetime(2026, 8, 21, 11, 0, tzinfo=UTC)
    out = {}
    for host in range(feeds):
        entries = []
        for n in range(items):
            size = rng.randint(2000, 5000)
            paragraphs, length = [], 0
            while length < size:
                text = " ".join(sentence(rng, host % 2 == 0) for _ in range(3))
                paragraphs.append(f"<p>{text}</p>")
                length += len(text.encode()) + 7
            entries.append(
                {
                    "title": f"{host}-{n} " + sentence(rng, host % 2 == 0)[:60],
                    "link": f"https://feed{host}.example.com/story/{n}",
                    "body": "".join(paragraphs),
                    "date": start - timedelta(minutes=host * items + n),
                }
            )
        out[host] = rss(f"Feed {host}", entries)
    return out


def corpus_feeds(corpus: Path, feeds: int = 121, limit: int = 7476) -> dict[int, bytes]:
    """The corpus's records, spread over ``feeds`` feeds in file order, as RSS."""
    from newsdesk.sources.files import find_files, read_records

    entries: list[dict[str, object]] = []
    for found in find_files([corpus]):
        if len(entries) >= limit or not hasattr(found, "path"):
            continue
        for _, raw in read_records(found.path):  # type: ignore[union-attr]
            if isinstance(raw, dict) and raw.get("link") and len(entries) < limit:
                entries.append(
                    {
                        "title": str(raw.get("title") or ""),
                        "link": str(raw["link"]),
                        "body": str(raw.get("description") or ""),
                        "date": _date(raw.get("pub_date")),
                    }
                )
    per = -(-len(entries) // feeds)
    return {host: rss(f"Corpus feed {host}", entries[host * per : (host + 1) * per]) for host in range(feeds)}


def _date(value: object) -> datetime | None:
    try:
        return datetime.fromisoformat(str(value)).replace(tzinfo=UTC)
    except ValueError:
        return None


def rss(title: str, entries: list[dict[str, object]]) -> bytes:
    items = []
    for entry in entries:
        date = entry.get("date")
        items.append(
            f"<item><title>{escape(str(entry['title']))}</title><link>{escape(str(entry['link']))}</link>"
            f"<guid>{escape(str(entry['link']))}</guid>"
            + (f"<pubDate>{format_datetime(date)}</pubDate>" if isinstance(date, datetime) else "")
            + f"<description>{escape(str(entry['body']))}</description></item>"
        )
    return (
        f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>{escape(title)}</title>'
        f"<link>https://example.com/</link><description>bench</description>{''.join(items)}</channel></rss>"
    ).encode()


def serve_hosts(hosts: dict[str, int], port: int, respond, ready) -> None:  # noqa: ANN001 - a coroutine function, an Event
    """Serve HTTP/1.1 keep-alive on each address of ``hosts`` (address → key) until killed:
    ``await respond(key, path)`` gives (status, content type, body)."""

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        host = hosts[writer.get_extra_info("sockname")[0]]
        try:
            while True:
                request = await reader.readuntil(b"\r\n\r\n")
                status, kind, body = await respond(host, request.split(b" ", 2)[1].decode())
                writer.write(
                    f"HTTP/1.1 {status} X\r\ncontent-type: {kind}\r\ncontent-length: {len(body)}\r\n\r\n".encode()
                    + body
                )
                await writer.drain()
        except (asyncio.IncompleteReadError, ConnectionError):
            pass
        finally:
            writer.close()

    async def main() -> None:
        servers = [await asyncio.start_server(handle, address, port, backlog=512) for address in hosts]
        ready.set()
        await asyncio.gather(*(s.serve_forever() for s in servers))

    asyncio.run(main())


def serve(bodies: dict[int, bytes], ready) -> None:  # noqa: ANN001 - a multiprocessing Event
    async def respond(host: int, path: str) -> tuple[int, str, bytes]:
        await asyncio.sleep(latency(host, path))
        return 200, "application/rss+xml", bodies.get(host, b"")

    serve_hosts({f"127.0.0.{host + 2}": host for host in bodies}, PORT, respond, ready)


def feed_sources(count: int) -> list:  # noqa: ANN201 - newsdesk Sources
    from newsdesk.sources.catalog import Source

    return [
        Source(
            name=f"feed{host}",
            kind="rss",
            url=f"http://127.0.0.{host + 2}:{PORT}/feed.xml",
            file="bench",
            max_items=1000,
            timeout=30.0,
        )
        for host in range(count)
    ]


def summary(bodies: dict[int, bytes]) -> str:
    return json.dumps({"feeds": len(bodies), "bytes": sum(len(b) for b in bodies.values())})
