"""Languages and datelines across the dev corpus (not a test: prints figures).

Languages: every record's stored language (``resolve(declared, title, text)``) counted
by declared → stored, and the records stored in a language other than English or
Chinese listed. Datelines: for every dated record whose text opens with a dateline, whether
the day it names is the record's own date (a day in Shanghai, New York, London or Los
Angeles), read as if first seen three days later.

    python benchmarks/facts.py ../shared/datasets/cachenews-2025-02
"""

from __future__ import annotations

import argparse
from collections import Counter
from datetime import timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from newsdesk.clean.lead import dateline_date
from newsdesk.clean.text import clean_title
from newsdesk.enrich.language import resolve
from newsdesk.plaintext import to_text
from newsdesk.sources.dates import parse_date
from newsdesk.sources.files import find_files, read_records

SHANGHAI = ZoneInfo("Asia/Shanghai")
ZONES = [SHANGHAI, *(ZoneInfo(z) for z in ("America/New_York", "Europe/London", "America/Los_Angeles"))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("corpus", type=Path)
    args = parser.parse_args()
    stored: Counter[tuple[str | None, str | None]] = Counter()
    others, agree, disagree = [], 0, 0
    for found in find_files([args.corpus]):
        if isinstance(found, Exception):
            continue
        for _, raw in read_records(found.path):
            if not isinstance(raw, dict):
                continue
            title, text = clean_title(str(raw.get("title") or "")), to_text(str(raw.get("description") or ""))
            language = resolve(raw.get("language") or None, title, text)
            stored[(raw.get("language") or None, language)] += 1
            if language and language.split("-")[0] not in ("en", "zh"):
                declared = raw.get("language")
                others.append(f"  {found.default_source}: declared {declared}, stored {language}: {title[:60]}")
            try:
                published = parse_date(raw["pub_date"], SHANGHAI) if raw.get("pub_date") else None
            except ValueError:
                published = None
            day = dateline_date(text, published + timedelta(days=3), SHANGHAI) if published else None
            if day is not None:
                same = any(day.date() == published.astimezone(zone).date() for zone in ZONES)  # type: ignore[union-attr]
                agree, disagree = agree + same, disagree + (not same)
    print("declared → stored:", ", ".join(f"{a} → {b}: {n}" for (a, b), n in stored.most_common()))
    print(f"stored in another language than English or Chinese: {len(others)}", *others, sep="\n")
    print(f"dated records opening with a dateline: {agree + disagree}, its day the record's: {agree}")


if __name__ == "__main__":
    main()
