"""Ticker extraction quality on the dev corpus (not a test: prints figures).

Takes the articles whose HTML marks tickers up (``data-ticker``, ``data-code``,
links to quote pages), strips all markup, runs extraction on the text alone and
compares with the marked set: micro-averaged precision and recall, per source.

    python benchmarks/ticker_quality.py ../shared/datasets/cachenews-2025-02 [--show 20]
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import Counter
from pathlib import Path

from newsdesk.enrich.tickers import from_markup, from_text
from newsdesk.plaintext import to_text
from newsdesk.sources.files import find_files, read_records


def marked_articles(corpus: Path):
    for found in find_files([corpus]):
        if isinstance(found, Exception):
            continue
        for _, raw in read_records(found.path):
            if isinstance(raw, dict) and isinstance(raw.get("description"), str):
                marked = from_markup(raw["description"])
                if marked:
                    yield found.default_source, raw, marked


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("corpus", type=Path)
    parser.add_argument("--show", type=int, default=0, help="print this many misses and false finds")
    parser.add_argument("--no-names", action="store_true", help="symbols only: no alias-table names")
    args = parser.parse_args()
    names = not args.no_names
    tp = fp = fn = articles = 0
    per_source: dict[str, Counter[str]] = {}
    misses: Counter[str] = Counter()
    extras: Counter[str] = Counter()
    start = time.perf_counter()
    for source, raw, marked in marked_articles(args.corpus):
        articles += 1
        found = set(from_text(to_text(raw["description"]), title=raw.get("title") or "", names=names))
        expected = set(marked)
        counts = per_source.setdefault(source, Counter())
        counts.update(tp=len(found & expected), fp=len(found - expected), fn=len(expected - found), n=1)
        tp, fp, fn = tp + len(found & expected), fp + len(found - expected), fn + len(expected - found)
        misses.update(expected - found)
        extras.update(found - expected)
    elapsed = time.perf_counter() - start
    precision, recall = tp / max(1, tp + fp), tp / max(1, tp + fn)
    print(f"articles with marked tickers: {articles}, marked tickers: {tp + fn}, found: {tp + fp}")
    print(f"precision {precision:.3f}  recall {recall:.3f}  ({elapsed:.1f} s, Python {sys.version.split()[0]})")
    for source, c in sorted(per_source.items()):
        p, r = c["tp"] / max(1, c["tp"] + c["fp"]), c["tp"] / max(1, c["tp"] + c["fn"])
        print(f"  {source:14} articles {c['n']:5}  precision {p:.3f}  recall {r:.3f}")
    if args.show:
        print("most missed:", misses.most_common(args.show))
        print("most found but not marked:", extras.most_common(args.show))


if __name__ == "__main__":
    main()
