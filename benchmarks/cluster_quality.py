"""Near-duplicate clustering quality with synthetic edits (not a test: prints figures).

From the dev corpus it takes "base" articles (three sentences or more) that share
a topic keyword or ticker with another base — distinct articles on the same
topic. Bases that are already near-copies of each other in the corpus (exact
shingle Jaccard ≥ 0.3: one story from several sources) are left out, so every
pair of bases is truly distinct. Each base gets an edited copy under a new link:
one sentence dropped, boilerplate appended, title reworded. Everything is
imported in random order through the normal pipeline into a fresh SQLite file.

Pairwise figures: recall = edited copies that share their base's cluster;
precision = pairs put in one cluster that are a base and its own copy.

On the corpus itself: of the pairs of articles from different sources whose titles
are the same once normalized (Simplified script, case and punctuation folded, six
characters or more), how many share a cluster (one story told by several outlets,
bodies rewritten or not); and how many clusters hold five or more distinct titles of
one source (its templated items lumped together by their shared boilerplate).

    python benchmarks/cluster_quality.py ../shared/datasets/cachenews-2025-02 [--bases 1500]
"""

from __future__ import annotations

import itertools
import json
import random
import re
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

from _corpus import arguments, corpus_store

from newsdesk.config import Settings
from newsdesk.minhash import shingles
from newsdesk.pipeline import import_paths
from newsdesk.store import Store
from newsdesk.tokens import normalize

_SENTENCE = re.compile(r"(?<=[。！？!?])|(?<=[.])\s+(?=[A-Z])")
_BOILERPLATE = {
    "zh": "免责声明：本文内容仅供参考，不构成投资建议。市场有风险，投资需谨慎。关注我们，获取更多财经资讯。",
    "en": "Disclaimer: This article is for information only and is not investment advice. "
    "Sign up for our newsletter to get the latest market news delivered to your inbox.",
}


def sentences(text: str) -> list[str]:
    return [s.strip() for s in _SENTENCE.split(text) if len(s.strip()) > 5]


def pick_bases(store: Store, count: int, rng: random.Random) -> list:
    articles = [a for a in store.iter_articles() if len(sentences(a.text)) >= 3 and len(a.text) >= 200]
    by_topic = defaultdict(list)
    for article in articles:
        for tag in article.tags:
            if tag != article.source:
                by_topic[tag].append(article)
    shared = {a.uuid: a for group in by_topic.values() if len(group) > 1 for a in group}
    pool = rng.sample(sorted(shared.values(), key=lambda a: a.uuid), min(len(shared), count * 2))
    bases, sets = [], []
    for article in pool:
        grams = set(shingles(article.title, article.text).tolist())
        if all(len(grams & other) / max(1, len(grams | other)) < 0.3 for other in sets):
            bases.append(article)
            sets.append(grams)
        if len(bases) == count:
            break
    return bases


def same_title_pairs(store: Store) -> tuple[int, int]:
    """(pairs in one cluster, pairs) of different-source articles with one normalized title."""
    groups = defaultdict(list)
    for article in store.iter_articles(bodies=False):
        key = re.sub(r"[\W_]+", "", normalize(article.title))
        if len(key) >= 6:
            groups[key].append(article)
    together = total = 0
    for group in groups.values():
        for a, b in itertools.combinations(group, 2):
            if a.source != b.source:
                total += 1
                together += a.cluster == b.cluster
    return together, total


def templated_clusters(store: Store, most: int = 5) -> list[tuple[str, int]]:
    """Clusters in which one source gives ``most`` or more distinct titles (its templated
    items lumped together): (source, titles) each."""
    titles: dict[tuple[str, str], set[str]] = defaultdict(set)
    for article in store.iter_articles(bodies=False):
        titles[(article.cluster or article.uuid, article.source)].add(article.title)
    return sorted(((source, len(found)) for (_, source), found in titles.items() if len(found) >= most), key=str)


def edited(article, rng: random.Random) -> dict:
    parts = sentences(article.text)
    parts.pop(rng.randrange(len(parts)))
    lang = "zh" if (article.language or "").startswith("zh") else "en"
    title = f"【快讯】{article.title[2:]}{article.title[:2]}" if lang == "zh" else f"Update: {article.title.lower()}"
    body = "".join(f"<p>{p}</p>" for p in parts) + f"<p>{_BOILERPLATE[lang]}</p>"
    return {
        "link": article.link + "#edited",
        "title": title,
        "description": body,
        "source": "edited",
        "language": article.language,
    }


def main() -> None:
    args = arguments(__doc__.split("\n")[0], bases=1500, seed=7).parse_args()
    rng = random.Random(args.seed)
    with tempfile.TemporaryDirectory() as tmp:
        with corpus_store(args.corpus, args.db, tmp) as everything:
            bases = pick_bases(everything, args.bases, rng)
            together, total = same_title_pairs(everything)
            lumped = templated_clusters(everything)
        records = [
            {"link": a.link, "title": a.title, "description": a.raw_html, "source": a.source, "language": a.language}
            for a in bases
        ]
        records += [edited(a, rng) for a in bases]
        rng.shuffle(records)
        data = Path(tmp) / "bench.jsonl"
        data.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
        with Store(f"sqlite:///{tmp}/bench.db") as store:
            start = time.perf_counter()
            import_paths(store, [data], Settings())
            elapsed = time.perf_counter() - start
            cluster = {a.link: a.cluster for a in store.iter_articles()}
    members = defaultdict(list)
    for link, name in cluster.items():
        members[name].append(link)
    predicted = {frozenset(p) for group in members.values() for p in itertools.combinations(group, 2)}
    truth = {frozenset((a.link, a.link + "#edited")) for a in bases}
    tp = len(predicted & truth)
    precision = tp / max(1, len(predicted))
    recall = tp / max(1, len(truth))
    zh = sum((a.language or "").startswith("zh") for a in bases)
    print(
        f"{len(bases)} bases ({zh} Chinese, {len(bases) - zh} other) + {len(bases)} edited copies, import "
        f"{elapsed:.1f} s"
    )
    print(f"pairs predicted {len(predicted)}, true {len(truth)}, correct {tp}")
    print(f"precision {precision:.3f}  recall {recall:.3f}  (Python {sys.version.split()[0]})")
    print(
        f"corpus: same-title pairs from different sources in one cluster {together} of {total} "
        f"({together / max(1, total):.3f})"
    )
    print(f"corpus: clusters where one source gives 5 or more distinct titles: {len(lumped)} {lumped[:10]}")


if __name__ == "__main__":
    main()
