"""What each stage of the fetch path costs per item, in one process (not a test; prints figures).

The items are the fetch benchmark's synthetic feeds (100 feeds x 20 items, 2-5 KB
bodies, see _feeds.py): feed parsing (feedparser as before, lxml as now), record
validation, sanitizing, Markdown, plain text, language, tickers, topic tags, MinHash,
search tokens, and the store's write with one source per transaction (20 items, as
before) and with concurrent runs coalesced (200 items).

    python benchmarks/ingest_stages.py
"""

from __future__ import annotations

import sys
import tempfile
import time
from collections import defaultdict
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).parent))

from _feeds import synthetic_feeds  # noqa: E402


def main() -> None:
    import feedparser

    from newsdesk import minhash, tokens
    from newsdesk.clean import clean_record, repair, sanitize, to_markdown
    from newsdesk.enrich import enrich, language, tags, tickers, warm
    from newsdesk.fetch.feeds import parse_feed
    from newsdesk.plaintext import to_text
    from newsdesk.sources.records import parse_record
    from newsdesk.store import Store

    feeds = [body.decode() for body in synthetic_feeds().values()]
    warm()
    cost: dict[str, float] = defaultdict(float)

    def timed(name: str, work, *args, **kwargs):  # noqa: ANN001, ANN202 - a stopwatch around any call
        started = time.perf_counter()
        result = work(*args, **kwargs)
        cost[name] += time.perf_counter() - started
        return result

    records = []
    for feed in feeds:
        timed("feed: feedparser (before)", feedparser.parse, feed)
        for item in timed("feed: lxml (now)", parse_feed, feed):
            raw = {
                "id": item["id"],
                "title": item["title"],
                "description": item["summary"],
                "link": item["link"],
                "pub_date": item["published"],
                "source": "bench",
            }
            records.append(timed("record", parse_record, raw, "bench", tz=ZoneInfo("Asia/Shanghai")))
    now = datetime.now(UTC)
    articles = []
    for record in records:
        html = timed("sanitize", sanitize, record.description, record.link)
        timed("repair", repair, html)
        timed("markdown", to_markdown, html)
        text = timed("plain text", to_text, html)
        timed("language", language.resolve, None, record.title, text)
        timed("tickers", tickers.extract, record.description, record.title, text)
        timed("topic tags", tags.topics, record.title, text, "en")
        timed("minhash", minhash.signature, record.title, text)
        timed("search tokens", tokens.article_tokens, record.title, text)
        articles.append(enrich(clean_record(record, now)))
    for size, name in ((20, "store, 20 a transaction (before)"), (200, "store, 200 a transaction (now)")):
        with tempfile.TemporaryDirectory() as folder:
            store = Store(f"sqlite:///{folder}/stages.db")
            for start in range(0, len(articles), size):
                timed(name, store.save, articles[start : start + size], [], now, [])
            store.close()
    print(f"{len(records)} items; ms per item, one process")
    for name, seconds in cost.items():
        print(f"  {name:<36} {seconds * 1000 / len(records):6.2f}")


if __name__ == "__main__":
    main()
