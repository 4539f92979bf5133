"""Near-duplicate clusters, assigned inside the transaction that saves a batch.

Each article's LSH band keys are looked up in ``cluster_keys`` (stored
articles) and among the earlier articles of the same batch; candidates whose
estimated similarity reaches the threshold are duplicates, and the article
joins the cluster of the most similar one.

Bodies miss rewritten copies (a press release rewritten by each outlet, one wire
story edited by two), so the title is a second signal: an article whose normalized
title (Simplified script, case and punctuation folded) is that of an article from
another source published within :data:`TITLE_WINDOW` joins its cluster. Titles too
short to name one story ("Market Update", "早盘") are left out, and so are titles a
source itself repeats (templates). The title's key lives in ``cluster_keys`` beside the
band keys, flagged by a high bit.

One source's templated items (rating notes, regulatory filings, flash lines with a
common footer) share most of their bodies and differ in their titles: within a source,
similar bodies join only when one title retells the other (:func:`retells`: the shorter's
words in order in the longer, as an update's or a flash's prefixed title), or when the
bodies are near copies and the titles differ by an edit of words, not of numbers
(:func:`edited`: "History says" / "History shows") — the titles are where templated
items differ. Nor does an item join a cluster, through another outlet's copy, that holds
another item of its own outlet's template (a roundup at 11 AM and at 1 PM, both carried
by a second outlet, are two items).

An article with no duplicate starts its own cluster, named by its uuid. One indexed
lookup per batch: the cost of clustering does not grow with the size of the store.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from collections.abc import Sequence
from datetime import datetime, timedelta
from functools import lru_cache

import sqlalchemy as sa

from newsdesk.models import Article
from newsdesk.store import bulk
from newsdesk.store.schema import article_signatures, articles, cluster_keys
from newsdesk.tokens import CJK, normalize, query_runs

MAX_CANDIDATES = 20
NEAR_COPY = 0.9  # estimated Jaccard of a body re-published under an edited title
TITLE_WINDOW = timedelta(hours=48)
_TITLE_FLAG = 1 << 62  # band keys are below 2**62
_PUNCTUATION = re.compile(r"[\W_]+")


def title_key(title: str) -> int | None:
    """The key of a title that names one story, or None for a short, generic one."""
    folded = _PUNCTUATION.sub("", normalize(title))
    if len(folded) < (10 if CJK.search(folded) else 20):
        return None
    return int.from_bytes(hashlib.blake2b(folded.encode(), digest_size=7).digest(), "big") | _TITLE_FLAG


@lru_cache(maxsize=8192)  # a batch compares the same titles many times
def _units(title: str) -> tuple[str, ...]:
    """A title's words and CJK characters, folded (Simplified script, lower case)."""
    return tuple(u for cjk, run in query_runs(normalize(title)) for u in (run if cjk else (run,)))


def retells(a: str, b: str) -> bool:
    """Whether one title tells the same report as the other: the same once folded, or the
    shorter's words (CJK characters) all in order in the longer, and at least half of it
    ("UPDATE 1-Fed holds rates" and "Fed holds rates"; not "JPMorgan Adjusts EA Price
    Target to $125" and "HSBC Adjusts EA Price Target to $126")."""
    short, long = sorted((_units(a), _units(b)), key=len)
    if not short or len(short) * 2 < len(long):
        return False
    rest = iter(long)
    return all(unit in rest for unit in short)


def edited(a: str, b: str) -> bool:
    """Whether two titles differ by a small edit of words: four in five of the shorter's
    units in order in the longer, and no number among the units either one lacks (a
    template's next item differs in its figures: "$125" / "$160", "4 AM" / "7 AM")."""
    short, long = sorted((_units(a), _units(b)), key=len)
    if not short or len(short) * 2 < len(long) or not _close(short, long):
        return False
    common = _common_run(short, long)
    differing = (set(short) ^ set(long)) - set(common)
    return len(common) * 5 >= len(short) * 4 and not any(any(ch.isdigit() for ch in u) for u in differing)


def _close(short: Sequence[str], long: Sequence[str]) -> bool:
    """Whether four in five of the shorter's units can be in the longer at all (the units
    they share, counted): most pairs fail this and need no common run worked out."""
    return sum((Counter(short) & Counter(long)).values()) * 5 >= len(short) * 4


def _same_report(a: str, b: str, score: float) -> bool:
    """Whether two items of one source with similar bodies (``score``) report one thing."""
    return retells(a, b) or (score >= NEAR_COPY and edited(a, b))


def _common_run(a: Sequence[str], b: Sequence[str]) -> list[str]:
    """The longest common subsequence of two short lists."""
    table = [[0] * (len(b) + 1) for _ in range(len(a) + 1)]
    for i, x in enumerate(a):
        for j, y in enumerate(b):
            table[i + 1][j + 1] = table[i][j] + 1 if x == y else max(table[i][j + 1], table[i + 1][j])
    found, i, j = [], len(a), len(b)
    while i and j:
        if a[i - 1] == b[j - 1]:
            found.append(a[i - 1])
            i, j = i - 1, j - 1
        elif table[i - 1][j] >= table[i][j - 1]:
            i -= 1
        else:
            j -= 1
    return found[::-1]


def assign(conn: sa.Connection, batch: Sequence[Article]) -> None:
    """Set ``cluster`` on every article of ``batch`` and store its signature and keys."""
    # Imported here: numpy is a tenth of a second that readers of the store
    # (build, serve, search) never need.
    from newsdesk.minhash import THRESHOLD, band_keys, similarity

    uuids = {a.uuid for a in batch}
    keys = {a.uuid: band_keys(a.minhash) for a in batch if a.minhash}
    titles = {a.uuid: key for a in batch if (key := title_key(a.title)) is not None}
    stored = _stored_candidates(conn, {k for ks in keys.values() for k in ks} | set(titles.values()), uuids)
    nearest = {uuid: _nearest(ks, stored) for uuid, ks in keys.items()}
    named = {uuid: stored.get(key, [])[:MAX_CANDIDATES] for uuid, key in titles.items()}
    known = _known(conn, {u for us in [*nearest.values(), *named.values()] for u in us})
    outlets = _outlet_titles(conn, {k.cluster for k in known.values()})
    seen: dict[int, list[str]] = {}
    for article in batch:
        article.cluster = article.uuid
        best = None
        if article.minhash:
            candidates = set(nearest[article.uuid]) | set(_nearest(keys[article.uuid], seen))
            best_score = THRESHOLD
            there: dict[str, bool] = {}  # by cluster: holds another item of the article's template
            for other in sorted(c for c in candidates if c in known and known[c].minhash):
                peer = known[other]
                score = similarity(article.minhash, peer.minhash or b"")
                if peer.source == article.source and not _same_report(peer.title, article.title, score):
                    continue  # a template's next item, not the same report
                if peer.source != article.source and peer.cluster not in there:
                    there[peer.cluster] = _other_report_there(article, outlets.get(peer.cluster, {}))
                if peer.source != article.source and there[peer.cluster]:
                    continue  # reached through another outlet's copy of a different item of its own
                if score >= best_score:
                    best, best_score = other, score
        if best is None and article.uuid in titles:
            best = _same_title(article, [*named[article.uuid], *seen.get(titles[article.uuid], [])], known)
            if best and _other_report_there(article, outlets.get(known[best].cluster, {})):
                best = None
        if best:
            article.cluster = known[best].cluster
        outlets.setdefault(article.cluster, {}).setdefault(article.source, set()).add(article.title)
        for key in [*keys.get(article.uuid, []), *([titles[article.uuid]] if article.uuid in titles else [])]:
            seen.setdefault(key, []).append(article.uuid)
        known[article.uuid] = _Known(article.minhash, article.cluster, article.source, article.published, article.title)
    _replace(conn, batch, keys, titles)


def _other_report_there(article: Article, titles: dict[str, set[str]]) -> bool:
    """Whether a cluster (its titles by outlet) holds another item of ``article``'s own
    template — a title of its outlet that differs from the article's in figures only
    ("… at 11 AM" / "… at 1 PM") — so that joining it through a copy another outlet
    carried would lump the outlet's distinct items together."""
    return any(_next_item(title, article.title) for title in titles.get(article.source, ()))


def _next_item(a: str, b: str) -> bool:
    """Whether two titles are one template's two items: four in five of the shorter's
    units in order in the longer, and a number among the units they differ in."""
    short, long = sorted((_units(a), _units(b)), key=len)
    if not short or short == long or not _close(short, long):
        return False
    if not any(any(ch.isdigit() for ch in u) for u in set(short) ^ set(long)):
        return False  # what they differ in holds no number whatever their common run
    common = _common_run(short, long)
    differing = (set(short) ^ set(long)) - set(common)
    return len(common) * 5 >= len(short) * 4 and any(any(ch.isdigit() for ch in u) for u in differing)


def _outlet_titles(conn: sa.Connection, clusters: set[str]) -> dict[str, dict[str, set[str]]]:
    """The titles of each of ``clusters``' stored articles, by outlet."""
    found: dict[str, dict[str, set[str]]] = {}
    c = articles.c
    for where in bulk.matching(conn, c.cluster, sorted(clusters)):
        for cluster, source, title in conn.execute(sa.select(c.cluster, c.source, c.title).where(where)):
            found.setdefault(cluster, {}).setdefault(source, set()).add(title)
    return found


class _Known:
    """What clustering needs of a candidate."""

    __slots__ = ("cluster", "minhash", "published", "source", "title")

    def __init__(self, minhash: bytes | None, cluster: str, source: str, published: datetime, title: str) -> None:
        self.minhash, self.cluster, self.source, self.published = minhash, cluster, source, published
        self.title = title


def _same_title(article: Article, candidates: list[str], known: dict[str, _Known]) -> str | None:
    """The nearest in time of the candidates from other sources within the window;
    None when the article's own source has used the title before (a template)."""
    near = [c for c in candidates if c in known and abs(known[c].published - article.published) <= TITLE_WINDOW]
    if any(known[c].source == article.source for c in near):
        return None
    return min(near, key=lambda c: abs(known[c].published - article.published), default=None)


def _nearest(keys: list[int], buckets: dict[int, list[str]]) -> list[str]:
    """The candidates sharing the most band keys, at most MAX_CANDIDATES of them: a
    story re-published a thousand times (templated flash news) must not make each
    new copy compare itself with all the others."""
    shared = Counter(u for key in keys for u in buckets.get(key, ()))
    return [uuid for uuid, _ in shared.most_common(MAX_CANDIDATES)]


def _stored_candidates(conn: sa.Connection, keys: set[int], exclude: set[str]) -> dict[int, list[str]]:
    found: dict[int, list[str]] = {}
    for where in bulk.matching(conn, cluster_keys.c.key, sorted(keys)):
        for key, uuid in conn.execute(sa.select(cluster_keys.c.key, cluster_keys.c.uuid).where(where)):
            if uuid not in exclude:
                found.setdefault(key, []).append(uuid)
    return found


def _known(conn: sa.Connection, uuids: set[str]) -> dict[str, _Known]:
    """Signature, cluster, source, publication time and title of stored candidates."""
    found: dict[str, _Known] = {}
    c = articles.c
    for where in bulk.matching(conn, c.uuid, sorted(uuids)):
        query = (
            sa.select(c.uuid, article_signatures.c.minhash, c.cluster, c.source, c.published, c.title)
            .outerjoin(article_signatures, article_signatures.c.uuid == c.uuid)
            .where(where)
        )
        for uuid, minhash, cluster, source, published, title in conn.execute(query):
            found[uuid] = _Known(bytes(minhash) if minhash else None, cluster or uuid, source, published, title)
    return found


def _replace(conn: sa.Connection, batch: Sequence[Article], keys: dict[str, list[int]], titles: dict[str, int]) -> None:
    uuids = [a.uuid for a in batch]
    for table in (cluster_keys, article_signatures):
        for where in bulk.matching(conn, table.c.uuid, uuids):
            conn.execute(table.delete().where(where))
    rows = [{"key": k, "uuid": u} for u, ks in keys.items() for k in set(ks)]
    bulk.insert(conn, cluster_keys, rows + [{"key": k, "uuid": u} for u, k in titles.items()])
    bulk.insert(conn, article_signatures, [{"uuid": a.uuid, "minhash": a.minhash} for a in batch if a.minhash])
