"""List sizes on SQLite: a list's total read from ``list_counts`` against counting its
rows (what PostgreSQL, and SQLite before migration 0014, do), on the same file.

    .venv/bin/python benchmarks/list_sizes.py --db sqlite:////tmp/s2m.db

For the whole site, the two languages, the largest sources and tags, and a ticker with
a language (counted either way), prints the median of five runs of each. Not a test:
it prints figures for docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import statistics
import time

from newsdesk.models import ArticleFilter
from newsdesk.store import Store, counts, listing


def _median_ms(run) -> float:  # type: ignore[no-untyped-def]
    times = []
    for _ in range(5):
        start = time.perf_counter()
        run()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", required=True, help="a SQLite database URL")
    args = parser.parse_args()
    with Store(args.db) as store:
        sources = sorted(store.source_counts(), key=lambda row: -row[1])[:3]
        tags = store.tag_counts(("ticker", "topic"), limit=3)
        filters = [ArticleFilter(), ArticleFilter(lang="en"), ArticleFilter(lang="zh")]
        filters += [ArticleFilter(source=name) for name, _, _ in sources]
        filters += [ArticleFilter(tag=name) for name, _ in tags]
        filters += [ArticleFilter(lang="en", ticker="NVDA")]
        print(f"{'list':<40} {'articles':>9} {'counted ms':>11} {'kept ms':>8}")
        with store.engine.connect() as conn:
            for where in filters:
                small = listing.small_tag(conn, where)
                query = listing.count_query(where, small)
                counted = conn.execute(query).scalar_one()
                kept = counts._kept_count(conn, where)  # noqa: SLF001 - the benchmark compares the two reads
                assert kept is None or kept == counted, (where, kept, counted)
                slow = _median_ms(lambda q=query: conn.execute(q).scalar_one())
                fast = _median_ms(lambda w=where: counts._kept_count(conn, w)) if kept is not None else float("nan")
                label = ", ".join(f"{k}={v}" for k, v in vars_of(where).items()) or "everything"
                print(f"{label[:40]:<40} {counted:>9,} {slow:>11.2f} {fast:>8.2f}")


def vars_of(where: ArticleFilter) -> dict[str, str]:
    return {name: getattr(where, name) for name in ("source", "lang", "ticker", "tag") if getattr(where, name)}


if __name__ == "__main__":
    main()
