"""Store stage: the only place that opens database sessions.

SQLite (embedded default, WAL mode) and PostgreSQL (psycopg 3) run the same code.
Writes are one transaction per batch and idempotent: articles are keyed by md5 of
their link, and a known article with a changed record is updated in place.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite

from newsdesk.errors import StoreError
from newsdesk.models import Article, ArticleFilter, SourceHealth, tag_kinds
from newsdesk.store import bulk, clusters, health, index, links, listing, outbox, retention, searchreads, upkeep
from newsdesk.store import engine as engines
from newsdesk.store.accounts import AccountStore
from newsdesk.store.apps import AppStore
from newsdesk.store.calendar import CalendarStore
from newsdesk.store.checkpoints import Checkpointer
from newsdesk.store.counts import ListCounts
from newsdesk.store.feeds import FeedStore
from newsdesk.store.outbox import WatchlistStore
from newsdesk.store.schema import article_ids, article_tags, article_versions, articles, marks
from newsdesk.store.sitereads import BODIES as _BODIES
from newsdesk.store.sitereads import SiteReads
from newsdesk.store.states import StateStore

__all__ = ["Store"]

_UPDATABLE = tuple(  # the columns an update of a known article may change
    "link source external_id title raw_html html markdown text summary image author language kind "
    "kind_raw importance published content_hash updated tags tickers sections cluster enriched dated dateline"
    "".split()
)


class Store(WatchlistStore, AccountStore, AppStore, FeedStore, CalendarStore, StateStore, SiteReads, ListCounts):
    """Articles in a database given by URL (``sqlite:///file.db``, ``postgresql://…``)."""

    def __init__(self, url: str, *, mapped: bool = False) -> None:
        """``mapped``: SQLite reads through memory-mapped I/O — for a server, whose reads are
        its work (an import's or a daemon's resident memory would grow with the file)."""
        self.engine = engines.create(url, mapped=mapped)
        self.dialect = self.engine.dialect.name
        self.growth = upkeep.Growth(self.engine)  # statistics kept in step with this store's writes
        file = self.engine.url.database if self.dialect == "sqlite" else None
        self.checkpoints = Checkpointer(file) if file and file != ":memory:" else None

    def close(self) -> None:
        if self.checkpoints:
            self.checkpoints.close()
        self.engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def known(self, uuids: Iterable[str]) -> dict[str, set[str]]:
        """Each stored uuid among ``uuids`` with the content hashes of its imported versions."""
        wanted = list(dict.fromkeys(uuids))
        found: dict[str, set[str]] = {}
        versions = article_versions.c
        with self._connect() as conn:
            for where in bulk.matching(conn, versions.uuid, wanted):
                for uuid, digest in conn.execute(sa.select(versions.uuid, versions.content_hash).where(where)):
                    found.setdefault(uuid, set()).add(digest)
        return found

    def save(
        self,
        new: list[Article],
        changed: list[Article],
        now: datetime,
        versions: Iterable[tuple[str, str]] = (),
        matches: Mapping[str, list[tuple[str, datetime]]] | None = None,
        breaking: Mapping[str, tuple[int, int]] | None = None,
    ) -> None:
        """Insert ``new`` and update ``changed`` articles in one transaction, and
        remember their record versions plus the ``(uuid, content_hash)`` pairs of
        ``versions`` (ones superseded within the batch); queue an alert for each
        watchlist in ``matches`` (uuid → names, with when each is due) of a new article
        whose story has none — for those in ``breaking`` (name → outlets, minutes), one
        that waits until its story is that broad."""
        insert = postgresql.insert if self.dialect == "postgresql" else sqlite.insert
        try:
            with self.engine.begin() as conn:
                _enrichment(conn, [*new, *changed])
                if new:
                    rows = [_row(a, now, first_seen=True) for a in new]
                    conn.execute(insert(articles).on_conflict_do_nothing(index_elements=["uuid"]), rows)
                    numbered = insert(article_ids).on_conflict_do_nothing(index_elements=["uuid"])
                    conn.execute(numbered, [{"uuid": a.uuid} for a in new])
                if changed:
                    values: dict[str, Any] = {col: sa.bindparam(col) for col in _UPDATABLE}
                    statement = articles.update().where(articles.c.uuid == sa.bindparam("b_uuid")).values(values)
                    conn.execute(statement, [_row(a, now, first_seen=False) for a in changed])
                if matches:
                    outbox.queue(conn, new, matches, now, breaking or {})
                if breaking:
                    outbox.wake(conn, [*new, *changed], breaking, now)
                seen = {(a.uuid, a.content_hash) for a in (*new, *changed)} | set(versions)
                if seen:
                    rows = [{"uuid": uuid, "content_hash": digest} for uuid, digest in sorted(seen)]
                    conn.execute(insert(article_versions).on_conflict_do_nothing(), rows)
        except sa.exc.SQLAlchemyError as exc:
            raise StoreError(f"could not save {len(new) + len(changed)} articles: {engines.reason(exc)}") from None
        if self.checkpoints:
            self.checkpoints.poke()
        self.growth.added(len(new))

    def forked(self) -> None:
        """In a forked child process: drop the parent's connections without closing them
        (and its checkpoint thread, which the fork did not copy)."""
        self.engine.dispose(close=False)
        if self.checkpoints:
            self.checkpoints = Checkpointer(self.checkpoints.path)

    def get(self, uuid: str) -> Article | None:
        with self._connect() as conn:
            row = conn.execute(articles.select().where(articles.c.uuid == uuid)).mappings().first()
        return _article(row) if row else None

    def iter_articles(self, *, batch: int = 500, bodies: bool = True) -> Iterator[Article]:
        """All articles, newest first, streamed (memory stays flat).

        ``bodies=False`` leaves ``raw_html``, ``html``, ``markdown`` and ``text``
        empty: what lists and feeds need, at a fraction of the reading.
        """
        columns = [c for c in articles.c if bodies or c.name not in _BODIES]
        query = sa.select(*columns).order_by(articles.c.published.desc(), articles.c.uuid)
        with self._connect() as conn:
            result = conn.execution_options(yield_per=batch).execute(query).mappings()
            for row in result:
                yield _article(row) if bodies else _bodiless(row)

    def get_many(self, uuids: Iterable[str], *, markup: bool = True) -> dict[str, Article]:
        """Articles by uuid (missing ones are left out); ``markup=False`` leaves
        ``raw_html``, ``html`` and ``markdown`` empty (search hits need only the text)."""
        wanted = list(dict.fromkeys(uuids))
        found: dict[str, Article] = {}
        skipped = () if markup else _BODIES[:3]
        query = sa.select(*[c for c in articles.c if c.name not in skipped])
        with self._connect() as conn:
            for where in bulk.matching(conn, articles.c.uuid, wanted):
                for row in conn.execute(query.where(where)).mappings():
                    found[row["uuid"]] = Article(**{**row, **dict.fromkeys(skipped, "")})
        return found

    def search(
        self,
        expression: str,
        where: ArticleFilter,
        limit: int,
        *,
        newest: bool = False,
        offset: int = 0,
        rank: searchreads.Rank | None = None,
    ) -> list[tuple[str, float]]:
        """``(uuid, score)`` best first (or newest first); see :func:`newsdesk.store.searchreads.search`."""
        with self._searching() as conn:
            return searchreads.search(conn, expression, where, limit, newest=newest, offset=offset, rank=rank)

    def search_count(self, expression: str, where: ArticleFilter, limit: int | None = None) -> int:
        with self._searching() as conn:
            return searchreads.count(conn, expression, where, limit)

    @contextmanager
    def _searching(self) -> Iterator[sa.Connection]:
        try:
            with self._connect() as conn:
                yield conn
        except sa.exc.OperationalError as exc:
            raise StoreError(f"search failed: {exc.orig}") from None

    def count_stale(self, version: int) -> int:
        """Articles enriched with a version older than ``version``."""
        query = sa.select(sa.func.count()).select_from(articles).where(articles.c.enriched < version)
        with self._connect() as conn:
            return conn.execute(query).scalar_one()

    def stale(self, version: int, *, limit: int) -> list[Article]:
        """The next ``limit`` articles enriched below ``version``, oldest first
        (so that clusters form in the order the stories appeared)."""
        query = (
            articles.select()
            .where(articles.c.enriched < version)
            .order_by(articles.c.first_seen, articles.c.published, articles.c.uuid)
            .limit(limit)
        )
        with self._connect() as conn:
            return [_article(row) for row in conn.execute(query).mappings()]

    def mark_stale(self) -> None:
        """Mark every article for re-enrichment (``newsdesk reindex --all``)."""
        with self.engine.begin() as conn:
            conn.execute(articles.update().values(enriched=0))

    def save_enrichment(self, batch: list[Article]) -> None:
        """Store re-enriched articles: language, tags, tickers, cluster, index — one transaction."""
        columns = ("language", "tags", "tickers", "cluster", "enriched")
        try:
            with self.engine.begin() as conn:
                _enrichment(conn, batch)
                statement = articles.update().where(articles.c.uuid == sa.bindparam("b_uuid"))
                # ``updated`` moves: the web cache and an update build see the change
                values: dict[str, Any] = {col: sa.bindparam(col) for col in columns}
                values["updated"] = datetime.now(UTC)
                statement = statement.values(values)
                conn.execute(statement, [{"b_uuid": a.uuid, **{c: getattr(a, c) for c in columns}} for a in batch])
        except sa.exc.SQLAlchemyError as exc:
            raise StoreError(f"could not save the enrichment of {len(batch)} articles: {engines.reason(exc)}") from None
        if self.checkpoints:
            self.checkpoints.poke()

    def page(
        self, where: ArticleFilter, limit: int, after: tuple[datetime, str] | None = None, **paged: int
    ) -> list[Article]:
        """One page of articles, newest first, without their bodies (lists, feeds and the API
        show none): after the keyset cursor ``after`` (the API), or skipping ``offset``
        rows (numbered site pages; ``total``: see :func:`listing.page_query`)."""
        with self._connect() as conn:
            values = listing.languages(conn, where.lang) if where.lang else None
            small = listing.small_tag(conn, where)
            query = listing.page_query(where, limit, after, skip=_BODIES, languages=values, small=small, **paged)
            return [_bodiless(row) for row in conn.execute(query).mappings()]

    def arrival_keys(self, after: tuple[datetime, str], limit: int = 2000) -> list[tuple[datetime, str]]:
        """``(first_seen, uuid)`` of the articles first seen after ``after``, in order of
        arrival (the live stream: an index read; it reads rows only for the new ones)."""
        c = articles.c
        since, uuid = after
        newer = sa.or_(c.first_seen > since, sa.and_(c.first_seen == since, c.uuid > uuid))
        query = sa.select(c.first_seen, c.uuid).where(newer).order_by(c.first_seen, c.uuid).limit(limit)
        with self._connect() as conn:
            return [(seen, key) for seen, key in conn.execute(query)]

    def arrivals(self, uuids: list[str]) -> list[Article]:
        """These articles, in this order, without their bodies (what the live stream sends)."""
        found: dict[str, Article] = {}
        query = sa.select(*[col for col in articles.c if col.name not in _BODIES])
        with self._connect() as conn:
            for where in bulk.matching(conn, articles.c.uuid, uuids):
                for row in conn.execute(query.where(where)).mappings():
                    found[row["uuid"]] = _bodiless(row)
        return [found[key] for key in uuids if key in found]

    def version(self) -> object:
        """Changes whenever an article is added, changed or pruned (the web app's cache
        key): the newest ``updated`` and the last prune's time, two index reads."""
        newest = sa.select(sa.func.max(articles.c.updated)).scalar_subquery()
        pruned = sa.select(marks.c.at).where(marks.c.name == "pruned").scalar_subquery()
        with self._connect() as conn:
            return tuple(conn.execute(sa.select(newest, pruned)).one())

    def daily_counts(self, where: ArticleFilter, since: datetime) -> list[datetime]:
        """Publication times of the articles ``where`` selects since ``since`` (a page
        groups them into days in its own zone)."""
        with self._connect() as conn:
            bounded = replace(where, since=max(since, where.since) if where.since else since)
            return list(conn.execute(listing.times_query(bounded)).scalars())

    def cluster_members(self, cluster: str, *, bodies: bool = True) -> list[Article]:
        """Articles of one story (cluster), oldest first (``bodies``: with their texts)."""
        columns = [c for c in articles.c if bodies or c.name not in _BODIES]
        query = sa.select(*columns).where(articles.c.cluster == cluster).order_by(articles.c.published)
        with self._connect() as conn:
            return [(_article if bodies else _bodiless)(row) for row in conn.execute(query).mappings()]

    def merged_into(self, story: str) -> str | None:
        """The story an old story id was merged into, or None when it was not merged."""
        with self._connect() as conn:
            return links.resolve(conn, story)

    def health(self, names: list[str] | None = None) -> dict[str, SourceHealth]:
        """Health rows of sources (all, or those of ``names``) by name."""
        with self._connect() as conn:
            return health.read(conn, names)

    def save_health(self, record: SourceHealth, *, release: str | None = None) -> None:
        """Write ``record``; with ``release`` (a run's owner), free that run's lease in the same transaction."""
        try:
            with self.engine.begin() as conn:
                health.write(conn, record)
                if release:
                    health.release_in(conn, record.name, release)
        except sa.exc.SQLAlchemyError as exc:
            raise StoreError(f"could not save the health of source {record.name}: {engines.reason(exc)}") from None

    def claim_run(self, name: str, owner: str, seconds: float, *, replacing: str | None = None) -> bool:
        """Take the lease of source ``name`` for ``seconds`` (False: another run holds it);
        ``replacing``: a holder known to be dead, whose lease is taken at once."""
        return health.claim(self.engine, name, owner, seconds, replacing=replacing)

    def run_holder(self, name: str) -> str | None:
        """Who holds the run lease of source ``name``, or None."""
        with self._connect() as conn:
            return health.holder(conn, name)

    def release_run(self, name: str, owner: str) -> None:
        health.release(self.engine, name, owner)

    def set_enabled(self, name: str, enabled: bool | None) -> None:
        """Override the catalog's ``enabled`` for source ``name`` (None: as the catalog says)."""
        with self.engine.begin() as conn:
            record = health.read(conn, [name]).get(name) or SourceHealth(name)
            record.enabled = enabled
            health.write(conn, record)

    def expired(self, cutoffs: retention.Cutoffs) -> Counter[str]:
        """How many articles of each source ``cutoffs`` would remove."""
        with self._connect() as conn:
            return retention.expired(conn, cutoffs)

    def vacuum(self) -> None:
        """Give removed rows' space back (SQLite) and refresh the planner's statistics."""
        upkeep.vacuum(self.engine)

    def move_search_rowids(self, batch: int = 2000) -> Iterator[int]:
        return upkeep.move_search_rowids(self.engine, batch)  # see there

    def settle(self, removed: int = 0) -> bool:
        """After a large import (or a prune of ``removed`` articles): the VACUUM
        autovacuum would run for that many (PostgreSQL), now; whether it ran."""
        return self.growth.settle(removed)

    def prune(self, cutoffs: retention.Cutoffs) -> Counter[str]:
        """Remove the articles ``cutoffs`` select, with their index entries, tags, cluster
        keys, versions and alerts (1,000 a transaction); how many of each source went."""
        try:
            return retention.remove(self.engine, cutoffs)
        except sa.exc.SQLAlchemyError as exc:
            raise StoreError(f"could not prune: {engines.reason(exc)}") from None

    def _connect(self) -> sa.Connection:
        try:
            return self.engine.connect()
        except sa.exc.OperationalError as exc:
            raise StoreError(f"cannot connect: {exc.orig}") from None


def _enrichment(conn: sa.Connection, batch: list[Article]) -> None:
    """Clusters, tags and the search index of ``batch``: before the article rows
    are written (clusters set ``article.cluster``), in the same transaction."""
    if not batch:
        return
    batch = list({a.uuid: a for a in batch}.values())  # one article twice in a batch: the last one counts
    clusters.assign(conn, batch)
    links.link(conn, batch)
    for where in bulk.matching(conn, article_tags.c.uuid, [a.uuid for a in batch]):
        conn.execute(article_tags.delete().where(where))
    rows = [{"uuid": a.uuid, "tag": t, "kind": k, "published": a.published} for a in batch for t, k in tag_kinds(a)]
    bulk.insert(conn, article_tags, rows)
    index.write(conn, batch)


def _row(article: Article, now: datetime, *, first_seen: bool) -> dict[str, object]:
    row = {col: getattr(article, col) for col in _UPDATABLE if col != "updated"}
    row["updated"] = now
    if first_seen:
        row.update(uuid=article.uuid, first_seen=now)
    else:
        row["b_uuid"] = article.uuid
    return row


def _bodiless(row: sa.RowMapping) -> Article:
    """An article of a row read without the large columns (they are empty)."""
    fields: dict[str, Any] = {**row, **dict.fromkeys(_BODIES, "")}
    return Article(**fields)


def _article(row: sa.RowMapping) -> Article:
    return Article(**row)
