"""Top stories: the cost of one ranking (not a test: prints figures).

Reads the articles first seen in the window (``--hours``, default: all of them) without
their bodies, makes each cluster's story and ranks them, three times; prints the rows
read, the stories made, the seconds of each part and the five first.

    python benchmarks/stories.py --db sqlite:///newsdesk.db [--hours 48]
"""

from __future__ import annotations

import argparse
import time
from datetime import UTC, datetime, timedelta

from newsdesk.config import Settings
from newsdesk.models import Article
from newsdesk.store import Store
from newsdesk.stories import MAX_WINDOW, rank, summarize, weights


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--db", required=True)
    parser.add_argument("--hours", type=float, default=24 * 365 * 100)
    args = parser.parse_args()
    with Store(args.db) as store:
        for _ in range(3):
            started = time.perf_counter()
            now = datetime.now(UTC)
            found = store.seen_since(now - timedelta(hours=args.hours), MAX_WINDOW)
            read = time.perf_counter()
            members: dict[str, list[Article]] = {}
            for article in found:
                members.setdefault(article.cluster or article.uuid, []).append(article)
            made = [s for key, group in members.items() if (s := summarize(key, group)) is not None]
            ranked = rank(made, members, now, weights(Settings()))
            done = time.perf_counter()
            print(f"{len(found)} articles, {len(made)} stories: read {read - started:.2f} s, rank {done - read:.2f} s")
    for story in ranked[:5]:
        print(f"  {story.score:8.3f}  {len(story.outlets)} outlets  {next(iter(story.headlines.values()))[:60]}")


if __name__ == "__main__":
    main()
