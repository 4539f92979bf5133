"""Known-item search quality and latency on the dev corpus (not a test: prints figures).

Query sets, built from the stored titles with a fixed seed:

* ``zh-words``      Chinese titles: two jieba dictionary words of the title;
* ``zh-substrings`` Chinese titles: two random 3-character (all-CJK) substrings;
* ``en-rare``       English titles: the three rarest title words (by title frequency);
* ``zh-rare-words`` (extra) Chinese titles: the two rarest jieba dictionary words of the
  title — the Chinese counterpart of ``en-rare``, to separate ranking quality from
  queries that many titles answer equally well.

A query succeeds when its article is in the top 10. Reported per set: MRR@10,
hit@10, p50/p95 latency of the in-process ``newsdesk.search.search`` call, and the
same for plain SQLite FTS5 (default unicode61 tokenizer over the raw title and
text, BM25 with the same 10:1 title weight) built in a temporary file. Because
the corpus holds articles whose titles are identical (one story from several
sources), the duplicate-aware figures also count a result whose normalized title
equals the target's as the target. ``ceiling`` is the duplicate-aware MRR@10 of an
oracle that ranks every distinct title holding all query terms first, in random
order: how much the queries themselves allow. ``stories`` is the search grouped by
story (one result per story, as the web app's default): the article counts as found
at its story's rank.

    python benchmarks/search_quality.py ../shared/datasets/cachenews-2025-02 [--db URL] [--per-set 300]

At scale, ``--sample N`` builds the query sets from N articles drawn at random while
the titles are streamed (memory stays flat whatever the database holds; word rarity is
then judged within the sample), and leaves out the plain FTS5 peer and the ceiling,
which need every article in memory; the duplicate-aware figures look result titles up
in the store after each timed query.
"""

from __future__ import annotations

import random
import re
import sqlite3
import statistics
import sys
import tempfile
import time
from collections import Counter
from functools import partial
from pathlib import Path

import jieba
from _corpus import arguments, corpus_store

from newsdesk.models import Article
from newsdesk.search import search
from newsdesk.store import Store
from newsdesk.tokens import normalize, query_runs

jieba.setLogLevel(60)
_HAN = re.compile(r"^[\u4e00-\u9fff]+$")
_EN_WORD = re.compile(r"[A-Za-z][A-Za-z0-9']+")


def query_sets(articles: list[Article], per_set: int, seed: int) -> dict[str, list[tuple[str, str]]]:
    rng = random.Random(seed)
    chinese = [a for a in articles if (a.language or "").startswith("zh")]
    english = [a for a in articles if (a.language or "") == "en"]
    sets: dict[str, list[tuple[str, str]]] = {"zh-words": [], "zh-substrings": [], "en-rare": [], "zh-rare-words": []}
    zh_frequency = Counter(w for a in chinese for w in set(jieba.lcut(normalize(a.title))))
    for article in rng.sample(chinese, len(chinese)):
        words = list(
            dict.fromkeys(w for w in jieba.lcut(article.title) if len(w) >= 2 and _HAN.match(w) and w in jieba.dt.FREQ)
        )
        if len(words) >= 2 and len(sets["zh-words"]) < per_set:
            sets["zh-words"].append((" ".join(rng.sample(words, 2)), article.uuid))
        if len(words) >= 2 and len(sets["zh-rare-words"]) < per_set:
            rare = sorted(words, key=lambda w: (zh_frequency[normalize(w)], w))[:2]
            sets["zh-rare-words"].append((" ".join(rare), article.uuid))
        grams = list(dict.fromkeys(article.title[i : i + 3] for i in range(len(article.title) - 2)))
        grams = [g for g in grams if _HAN.match(g)]
        if len(grams) >= 2 and len(sets["zh-substrings"]) < per_set:
            sets["zh-substrings"].append((" ".join(rng.sample(grams, 2)), article.uuid))
    frequency = Counter(w for a in english for w in {w.lower() for w in _EN_WORD.findall(a.title)})
    for article in rng.sample(english, len(english)):
        words = sorted({w.lower() for w in _EN_WORD.findall(article.title)}, key=lambda w: (frequency[w], w))
        if len(words) >= 3 and len(sets["en-rare"]) < per_set:
            sets["en-rare"].append((" ".join(words[:3]), article.uuid))
    return sets


def evaluate(run, queries, titles: Titles) -> dict[str, float]:
    strict, aware, latencies = [], [], []
    for query, target in queries:
        start = time.perf_counter()
        found = [(r, {r}) if isinstance(r, str) else r for r in run(query)]
        latencies.append((time.perf_counter() - start) * 1000)
        strict.append(next((1 / n for n, (_, members) in enumerate(found, 1) if target in members), 0.0))
        known = titles.of([target, *(u for u, _ in found)])
        aware.append(
            next((1 / n for n, (u, m) in enumerate(found, 1) if target in m or known.get(u) == known[target]), 0.0)
        )
    latencies.sort()
    return {
        "mrr": statistics.fmean(strict),
        "hit": sum(r > 0 for r in strict) / len(queries),
        "dup_mrr": statistics.fmean(aware),
        "dup_hit": sum(r > 0 for r in aware) / len(queries),
        "p50": latencies[len(latencies) // 2],
        "p95": latencies[int(len(latencies) * 0.95) - 1],
    }


class Titles:
    """Normalized titles by uuid: all of them up front (a small corpus), or looked up in
    the store as results name them (a sample of a large one)."""

    def __init__(self, store: Store, known: dict[str, str] | None = None) -> None:
        self.store, self.known = store, dict(known or {})

    def of(self, uuids: list[str]) -> dict[str, str]:
        missing = [u for u in uuids if u not in self.known]
        if missing:
            found = self.store.get_many(missing, markup=False)
            self.known.update({u: normalize(a.title) for u, a in found.items()})
        return self.known


def by_story(store: Store, query: str) -> list[tuple[str, set[str]]]:
    """The search grouped by story, as the web app shows it: the wanted article is
    found at a story's rank when it is the story's best match or one of its others."""
    hits = search(store, query, limit=10, group=True)
    return [(h.uuid, {h.uuid, *(a.uuid for a in h.also or [])}) for h in hits]


def sample(store: Store, size: int, seed: int) -> list[Article]:
    """``size`` articles drawn uniformly while every title is streamed (reservoir)."""
    rng, chosen = random.Random(seed), []
    for seen, article in enumerate(store.iter_articles(bodies=False, batch=5000)):
        if seen < size:
            chosen.append(article)
        elif (slot := rng.randrange(seen + 1)) < size:
            chosen[slot] = article
    return chosen


def ceiling(queries, titles: dict[str, str]) -> float:
    """The MRR@10 a ranking would get if it put every article whose title holds all
    query terms first, in random order: with templated titles ("X 公布每股收益为 …")
    a query's words fit many articles equally well, and no ranking can tell which
    one the query was made from."""
    distinct = {title: {t for _, t in query_runs(title)} for title in set(titles.values())}
    total = 0.0
    for query, _target in queries:
        terms = [run for _, run in query_runs(query)]
        fitting = sum(
            1 for title, words in distinct.items() if all((t in words) if t.isascii() else (t in title) for t in terms)
        )
        fitting = max(fitting, 1)
        total += sum(1 / rank for rank in range(1, min(fitting, 10) + 1)) / fitting
    return total / len(queries)


def plain_fts5(articles: list[Article], folder: Path):
    db = sqlite3.connect(folder / "plain.db")
    db.execute("CREATE VIRTUAL TABLE plain USING fts5(uuid UNINDEXED, title, body)")
    db.executemany("INSERT INTO plain VALUES (?, ?, ?)", [(a.uuid, a.title, a.text) for a in articles])
    db.commit()

    def run(query: str) -> list[str]:
        expression = " ".join('"' + w.replace('"', '""') + '"' for w in query.split())
        sql = "SELECT uuid FROM plain WHERE plain MATCH ? ORDER BY bm25(plain, 0, 10, 1) LIMIT 10"
        return [row[0] for row in db.execute(sql, (expression,))]

    return run


def main() -> None:
    parser = arguments(__doc__.split("\n")[0], per_set=300, seed=20250205, sample=0)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        store = corpus_store(args.corpus, args.db, tmp)
        if args.sample:
            articles, engines = sample(store, args.sample, args.seed), {}
            titles = Titles(store)
        else:
            articles = list(store.iter_articles())
            titles = Titles(store, {a.uuid: normalize(a.title) for a in articles})
            engines = {"FTS5": plain_fts5(articles, Path(tmp))}
        sets = query_sets(articles, args.per_set, args.seed)
        engines = {"newsdesk": lambda q: [h.uuid for h in search(store, q, limit=10)], **engines}
        engines["stories"] = partial(by_story, store)
        drawn = f", query sets from a sample of {len(articles)}" if args.sample else ""
        print(f"{store.count()} articles in {store.dialect}{drawn}; Python {sys.version.split()[0]}")
        print(f"{'':28} {'strict':>15} {'duplicate-aware':>17}")
        print(
            f"{'set':14} {'engine':8} {'n':>4} {'MRR@10':>7} {'hit@10':>7} {'MRR@10':>8} {'hit@10':>7} "
            f"{'p50 ms':>7} {'p95 ms':>7}"
        )
        for name, queries in sets.items():
            for engine, run in engines.items():
                r = evaluate(run, queries, titles)
                print(
                    f"{name:14} {engine:8} {len(queries):4} {r['mrr']:7.3f} {r['hit']:7.3f} "
                    f"{r['dup_mrr']:8.3f} {r['dup_hit']:7.3f} "
                    f"{r['p50']:7.2f} {r['p95']:7.2f}"
                )
            if not args.sample:
                print(f"{name:14} {'ceiling':8} {len(queries):4} {'':7} {'':7} {ceiling(queries, titles.known):8.3f}")
        store.close()


if __name__ == "__main__":
    main()
