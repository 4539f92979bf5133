"""Cross-lingual stories on dev labels (not a test: prints figures).

``benchmarks/data/crosslingual-dev.tsv`` holds pairs of a Chinese and an English
article of the shared corpus, labelled by reading both: ``same`` (one event) or
``different`` (mostly the same company or institution within a day, another event).
The corpus is imported through the normal pipeline (linking included) and each pair
is looked up: same-event pairs in one story, different-event pairs apart. Also
printed: of the links of ``crosslingual-links.tsv`` (a sample of what one version
linked, labelled) those this version still makes, and how many are right (precision);
how many stories hold both languages, the largest story, and how many stories hold
five or more distinct titles of one outlet.

By default the records are imported in the order they were published, 300 at a time,
as a desk fetching them would have stored them (``--order files``: folder by folder,
as ``newsdesk import`` of the corpus does — every source's month at once).

    python benchmarks/crosslingual.py ../shared/datasets/cachenews-2025-02 [--db URL] [--order files]
"""

from __future__ import annotations

import json
import sys
import tempfile
import time
from collections import Counter, defaultdict
from datetime import UTC, datetime
from pathlib import Path

from _corpus import arguments, corpus_store

LABELS = Path(__file__).parent / "data" / "crosslingual-dev.tsv"
LINKED = sorted((Path(__file__).parent / "data").glob("crosslingual-links*.tsv"))  # links versions made, labelled


def _labels(path: Path = LABELS) -> list[tuple[str, str, str]]:
    lines = path.read_text(encoding="utf-8").splitlines()
    rows = [line.split("\t") for line in lines if line and not line.startswith("#")]
    return [(zh, en, label) for zh, en, label in rows[1:]]


def _in_time_order(corpus: Path, folder: Path, size: int = 300) -> Path:
    """The corpus's records as files of ``size`` in publication order (a copy in ``folder``)."""
    records = []
    for path in sorted(corpus.rglob("*.json")):
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        items = data.get("data") if isinstance(data, dict) else data
        records += [r for r in items or [] if isinstance(r, dict)]
    records.sort(key=_when)
    for n in range(0, len(records), size):
        chunk = folder / "data" / f"batch_{n // size:05d}" / "items.json"
        chunk.parent.mkdir(parents=True)
        chunk.write_text(json.dumps({"data": records[n : n + size]}, ensure_ascii=False), encoding="utf-8")
    return folder / "data"


def _when(record: dict) -> float:
    value = record.get("pub_date")
    try:
        if isinstance(value, int | float):
            return float(value)
        return datetime.fromisoformat(str(value)[:19]).replace(tzinfo=UTC).timestamp()
    except ValueError:
        return float("inf")


def main() -> int:
    parser = arguments(__doc__ or "")
    parser.add_argument("--order", choices=("time", "files"), default="time")
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        started = time.perf_counter()
        corpus = options.corpus if options.order == "files" else _in_time_order(options.corpus, Path(folder))
        store = corpus_store(corpus, options.db, folder)
        print(f"corpus ready in {time.perf_counter() - started:.1f} s", file=sys.stderr)
        story_of: dict[str, str] = {}
        members: dict[str, list[tuple[str, str, str]]] = defaultdict(list)
        for article in store.iter_articles(bodies=False):
            story = article.cluster or article.uuid
            story_of[article.link] = story
            members[story].append((article.source, article.title, (article.language or "").split("-")[0]))
    counts: Counter[str] = Counter()
    for zh, en, label in _labels():
        if zh in story_of and en in story_of:
            counts[(label, story_of[zh] == story_of[en])] += 1
    same = counts[("same", True)], counts[("same", True)] + counts[("same", False)]
    apart = counts[("different", False)], counts[("different", False)] + counts[("different", True)]
    print(f"same-event zh/en pairs in one story: {same[0]}/{same[1]} = {same[0] / max(same[1], 1):.3f}")
    print(f"different-event pairs apart:         {apart[0]}/{apart[1]} = {apart[0] / max(apart[1], 1):.3f}")
    for linked in LINKED:
        together = [label for zh, en, label in _labels(linked) if story_of.get(zh, zh) == story_of.get(en, en)]
        right = together.count("same")
        print(f"{linked.stem}: links still made, right: {right}/{len(together)} = {right / max(len(together), 1):.3f}")
    both = sum(1 for m in members.values() if {"zh", "en"} <= {lang for _, _, lang in m})
    print(f"stories in both Chinese and English: {both}; largest story: {max(map(len, members.values()))} articles")
    crowded = 0
    for m in members.values():
        titles: dict[str, set[str]] = defaultdict(set)
        for source, title, _ in m:
            titles[source].add(title)
        crowded += any(len(t) >= 5 for t in titles.values())
    print(f"stories with >= 5 distinct titles of one outlet: {crowded}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
