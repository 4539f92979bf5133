"""Section assignment against hand labels (not a test: prints figures).

Reads ``benchmarks/data/sections-dev.tsv`` (link → sections, labelled by reading the
articles of the dev corpus), finds each article in the corpus, cleans and enriches it
as an import does, and compares its sections with the labels: micro-averaged
precision, recall and F1 over (article, section) pairs, by language and by section.

    python benchmarks/section_quality.py ../shared/datasets/cachenews-2025-02 [--show] [--labels FILE]
"""

from __future__ import annotations

import argparse
import time
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

from newsdesk.clean import clean_record
from newsdesk.enrich import enrich
from newsdesk.sources.files import find_files, read_records
from newsdesk.sources.records import parse_record

LABELS = Path(__file__).parent / "data" / "sections-dev.tsv"


def labels(path: Path) -> dict[str, set[str]]:
    found = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            link, sections = line.split("\t")
            found[link] = set(sections.split(","))
    return found


def articles(corpus: Path, wanted: set[str]):
    now = datetime.now(UTC)
    for found in find_files([corpus]):
        if isinstance(found, Exception):
            continue
        for index, raw in read_records(found.path):
            if isinstance(raw, dict) and raw.get("link") in wanted:
                record = parse_record(raw, f"{found.path} {index}", tz=UTC, default_source=found.default_source)
                yield enrich(clean_record(record, now))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("corpus", type=Path)
    parser.add_argument("--show", action="store_true", help="print every article whose sections differ")
    parser.add_argument("--labels", type=Path, default=LABELS, help="sections-dev.tsv (tuned on) or sections-check.tsv")
    args = parser.parse_args()
    wanted = labels(args.labels)
    started = time.perf_counter()
    counts: Counter[str] = Counter()
    seen: set[str] = set()
    for article in articles(args.corpus, set(wanted)):
        if article.link in seen:
            continue
        seen.add(article.link)
        truth, given = wanted[article.link], set(article.sections)
        language = (article.language or "?")[:2]
        for key, n in (("tp", len(truth & given)), ("fp", len(given - truth)), ("fn", len(truth - given))):
            counts[key] += n
            counts[f"{language} {key}"] += n
        for section in truth | given:
            counts[f"{section} {'tp' if section in truth & given else 'fp' if section in given else 'fn'}"] += 1
        if args.show and truth != given:
            print(f"{sorted(truth)} ≠ {article.sections}  {article.title[:70]}")
    print(f"articles labelled: {len(wanted)}, found: {len(seen)}  ({time.perf_counter() - started:.1f} s)")
    for name in ("", "zh ", "en ", *(f"{s} " for s in sorted({s for v in wanted.values() for s in v}))):
        tp, fp, fn = (counts[f"{name}{k}"] for k in ("tp", "fp", "fn"))
        precision, recall = tp / max(1, tp + fp), tp / max(1, tp + fn)
        f1 = 2 * precision * recall / max(1e-9, precision + recall)
        print(f"{name or 'all ':<20} precision {precision:.3f}  recall {recall:.3f}  micro-F1 {f1:.3f}")


if __name__ == "__main__":
    main()
