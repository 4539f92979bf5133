"""Near-duplicate clusters, assigned inside the transaction that saves a batch.

Each article's LSH band keys are looked up in ``cluster_keys`` (stored
articles) and among the earlier articles of the same batch; candidates whose
estimated similarity reaches the threshold are duplicates, and the article
joins the cluster of the most similar one. An article with no duplicate starts
its own cluster, named by its uuid. One indexed lookup per batch: the cost of
clustering does not grow with the size of the store.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

import sqlalchemy as sa

from newsdesk.models import Article
from newsdesk.store import bulk
from newsdesk.store.schema import article_signatures, articles, cluster_keys

MAX_CANDIDATES = 20


def assign(conn: sa.Connection, batch: Sequence[Article]) -> None:
    """Set ``cluster`` on every article of ``batch`` and store its signature and keys."""
    # Imported here: numpy is a tenth of a second that readers of the store
    # (build, serve, search) never need.
    from newsdesk.minhash import THRESHOLD, band_keys, similarity

    uuids = {a.uuid for a in batch}
    keys = {a.uuid: band_keys(a.minhash) for a in batch if a.minhash}
    stored = _stored_candidates(conn, {k for ks in keys.values() for k in ks}, uuids)
    nearest = {uuid: _nearest(ks, stored) for uuid, ks in keys.items()}
    signatures, clusters = _signatures(conn, {u for us in nearest.values() for u in us})
    seen: dict[int, list[str]] = {}
    for article in batch:
        article.cluster = article.uuid
        if not article.minhash:
            continue
        candidates = set(nearest[article.uuid]) | set(_nearest(keys[article.uuid], seen))
        best, best_score = None, THRESHOLD
        for other in sorted(candidates):
            score = similarity(article.minhash, signatures[other])
            if score >= best_score:
                best, best_score = other, score
        if best:
            article.cluster = clusters[best]
        for key in keys[article.uuid]:
            seen.setdefault(key, []).append(article.uuid)
        signatures[article.uuid], clusters[article.uuid] = article.minhash, article.cluster
    _replace(conn, batch, keys)


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


def _signatures(conn: sa.Connection, uuids: set[str]) -> tuple[dict[str, bytes], dict[str, str]]:
    signatures: dict[str, bytes] = {}
    clusters: dict[str, str] = {}
    for where in bulk.matching(conn, article_signatures.c.uuid, sorted(uuids)):
        query = (
            sa.select(article_signatures.c.uuid, article_signatures.c.minhash, articles.c.cluster)
            .join(articles, articles.c.uuid == article_signatures.c.uuid)
            .where(where)
        )
        for uuid, minhash, cluster in conn.execute(query):
            signatures[uuid], clusters[uuid] = bytes(minhash), cluster or uuid
    return signatures, clusters


def _replace(conn: sa.Connection, batch: Sequence[Article], keys: dict[str, list[int]]) -> None:
    uuids = [a.uuid for a in batch]
    for table in (cluster_keys, article_signatures):
        for where in bulk.matching(conn, table.c.uuid, uuids):
            conn.execute(table.delete().where(where))
    bulk.insert(conn, cluster_keys, [{"key": k, "uuid": u} for u, ks in keys.items() for k in set(ks)])
    bulk.insert(conn, article_signatures, [{"uuid": a.uuid, "minhash": a.minhash} for a in batch if a.minhash])
