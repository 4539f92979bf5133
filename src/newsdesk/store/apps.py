"""What reader apps read and change: a stream of numbered articles (every source, some
sources, a user's starred or read ones; unread only; between two times) in keyset
pages, articles by number, unread counts per source, and "mark all as read" of a
stream up to a time — one statement, however many articles it covers.

An article's number (``article_ids``) is given when it is stored, in arrival order;
apps know articles by it (Google Reader item ids, Fever ids).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite

from newsdesk.models import Article, Preferences
from newsdesk.store import bulk
from newsdesk.store.schema import alerts, article_ids, article_states, article_tags, articles
from newsdesk.store.states import count_reads

__all__ = ["MOST_IDS", "AppStore", "Stream"]

MOST_IDS = 20_000  # numbers one answer lists at most (Fever's unread ids, item ids)
LARGEST = (1 << 31) - 1  # numbers are 32-bit integer columns (PostgreSQL refuses larger): larger ones are nobody's
# What apps show of an article: the sanitized html, never the other bodies, tags or signatures.
_SHOWN = ("uuid", "link", "source", "title", "summary", "image", "author", "published", "first_seen", "updated")
_STATE = article_states.alias("state")  # in subqueries of statements that also write article_states
_OWN = article_states.alias("own")  # a page's own states, joined beside the subqueries' _STATE


@dataclass(frozen=True, slots=True)
class Stream:
    """Which articles: of ``sources`` (None: all), with ``tag``, matched by ``watchlist``,
    in the user's ``state`` (``read``, ``starred`` or ``unread``), without ``excluded``
    (``read``), published in [``since``, ``until``), first seen by ``seen_by``."""

    sources: tuple[str, ...] | None = None
    state: str | None = None
    excluded: str | None = None
    since: datetime | None = None
    until: datetime | None = None
    seen_by: datetime | None = None
    tag: str | None = None
    watchlist: str | None = None
    muted_sources: tuple[str, ...] = ()  # a reader's muted sources and words (models.Preferences)
    muted_words: tuple[str, ...] = ()

    def muting(self, preferences: Preferences) -> Stream:
        """This stream without what ``preferences`` mute."""
        return replace(self, muted_sources=preferences.muted_sources, muted_words=preferences.muted_words)


class AppStore:
    """The store's reads and writes for reader apps (:class:`newsdesk.store.Store` has them)."""

    engine: sa.Engine

    def _connect(self) -> sa.Connection:
        raise NotImplementedError

    def stream(
        self,
        user: str,
        stream: Stream,
        limit: int,
        after: tuple[datetime, str] | None = None,
        *,
        oldest_first: bool = False,
        bodies: bool = True,
    ) -> list[tuple[int, Article, tuple[bool, bool]]]:
        """Up to ``limit`` numbered articles of ``stream`` with ``user``'s (read, starred) of
        each, by publication time (newest first unless ``oldest_first``), past the
        ``(published, uuid)`` of ``after`` — the order of the articles' own indexes, so a
        page reads its rows in order and stops; the states in the same query."""
        a, n, s = articles.c, article_ids.c, _OWN.c
        joined = articles.join(article_ids, n.uuid == a.uuid).outerjoin(_OWN, sa.and_(s.uuid == a.uuid, s.user == user))
        state = (
            sa.func.coalesce(s.read, sa.false()).label("state_read"),
            sa.func.coalesce(s.starred, sa.false()).label("state_starred"),
        )
        query = sa.select(n.id, *_columns(bodies), *state).select_from(joined).where(*_conditions(user, stream))
        if after is not None:
            past = sa.tuple_(a.published, a.uuid) > after if oldest_first else sa.tuple_(a.published, a.uuid) < after
            query = query.where(past)
        order = (a.published.asc(), a.uuid.asc()) if oldest_first else (a.published.desc(), a.uuid.desc())
        with self._connect() as conn:
            rows = conn.execute(query.order_by(*order).limit(limit)).mappings().all()
        return [(row["id"], _article(row), (bool(row["state_read"]), bool(row["state_starred"]))) for row in rows]

    def since_number(
        self, user: str, number: int, limit: int, *, before: bool = False, stream: Stream | None = None
    ) -> list[tuple[int, Article]]:
        """Up to ``limit`` numbered articles (of ``stream``) after ``number`` in arrival order
        (with ``before``: before it, the last first) — Fever's ``since_id`` and ``max_id``."""
        number = max(-1, min(number, LARGEST))
        a, n = articles.c, article_ids.c
        query = sa.select(n.id, *_columns(True)).select_from(articles.join(article_ids, n.uuid == a.uuid))
        query = (
            query.where(n.id < number).order_by(n.id.desc()) if before else query.where(n.id > number).order_by(n.id)
        )
        query = query.where(*_conditions(user, stream or Stream()))
        with self._connect() as conn:
            rows = conn.execute(query.limit(limit)).mappings().all()
        return [(row["id"], _article(row)) for row in rows]

    def stream_numbers(self, user: str, stream: Stream, limit: int) -> list[int]:
        """The numbers of the newest ``limit`` articles of ``stream`` (at most :data:`MOST_IDS`)."""
        a, n = articles.c, article_ids.c
        query = sa.select(n.id).select_from(articles.join(article_ids, n.uuid == a.uuid))
        query = query.where(*_conditions(user, stream)).order_by(a.published.desc(), a.uuid.desc())
        with self._connect() as conn:
            return list(conn.execute(query.limit(min(limit, MOST_IDS))).scalars())

    def numbered(self, numbers: Sequence[int], *, bodies: bool = True) -> list[tuple[int, Article]]:
        """These articles by number, in the order asked (unknown numbers left out)."""
        a, n = articles.c, article_ids.c
        wanted = [n for n in dict.fromkeys(numbers) if 0 < n <= LARGEST][:MOST_IDS]
        columns = _columns(bodies)
        found: dict[int, Article] = {}
        query = sa.select(n.id, *columns).select_from(articles.join(article_ids, n.uuid == a.uuid))
        with self._connect() as conn:
            for where in bulk.matching(conn, n.id, wanted):
                for row in conn.execute(query.where(where)).mappings():
                    found[row["id"]] = _article(row)
        return [(number, found[number]) for number in wanted if number in found]

    def uuids_of(self, numbers: Sequence[int]) -> dict[int, str]:
        """The uuid of each of ``numbers`` that is an article's (at most :data:`MOST_IDS`)."""
        n = article_ids.c
        wanted = [number for number in dict.fromkeys(numbers) if 0 < number <= LARGEST][:MOST_IDS]
        found: dict[int, str] = {}
        with self._connect() as conn:
            for where in bulk.matching(conn, n.id, wanted):
                found.update({key: value for key, value in conn.execute(sa.select(n.id, n.uuid).where(where))})
        return found

    def unread_counts(
        self,
        user: str,
        preferences: Preferences | None = None,
        totals: list[tuple[str, int, datetime]] | None = None,
    ) -> dict[str, tuple[int, datetime]]:
        """Source → (unread articles of ``user``, newest publication time), sources with unread
        ones; without what ``preferences`` mute (muted words cost a pass over the titles).
        ``totals``: the sources' counts when the caller has them (see :meth:`source_counts`)."""
        muted = preferences or Preferences()
        done = dict(self.read_counts(user))  # type: ignore[attr-defined]
        if muted.muted_words:
            hidden = sa.or_(*[_mentions(w) for w in muted.muted_words])
            unread = _conditions(user, Stream(excluded="read"))
            query = sa.select(articles.c.source, sa.func.count()).where(hidden, *unread).group_by(articles.c.source)
            with self._connect() as conn:
                for source, n in conn.execute(query):
                    done[source] = done.get(source, 0) + n
        totals = self.source_counts() if totals is None else totals  # type: ignore[attr-defined]
        return {
            name: (n - done.get(name, 0), newest)
            for name, n, newest in totals
            if n > done.get(name, 0) and name not in muted.muted_sources
        }

    def unread_in(self, user: str, stream: Stream) -> int:
        """How many articles of ``stream`` ``user`` has not read (a tag's, a watchlist's …)."""
        query = (
            sa.select(sa.func.count()).select_from(articles).where(*_conditions(user, replace(stream, excluded="read")))
        )
        with self._connect() as conn:
            return int(conn.execute(query).scalar_one())

    def mark_stream(self, user: str, stream: Stream) -> int:
        """Mark every unread article of ``stream`` read for ``user`` at once; how many."""
        a, s = articles.c, article_states.c
        now = sa.literal(datetime.now(UTC), a.updated.type)
        chosen = sa.select(sa.literal(user), a.uuid, sa.true(), sa.false(), now)
        chosen = chosen.where(*_conditions(user, replace(stream, excluded="read")))
        unread = _conditions(user, replace(stream, excluded="read"))
        newly = sa.select(a.source, sa.func.count()).where(*unread).group_by(a.source)
        with self.engine.begin() as conn:
            counted = {source: n for source, n in conn.execute(newly)}
            count_reads(conn, user, counted)
            insert = (postgresql.insert if conn.dialect.name == "postgresql" else sqlite.insert)(article_states)
            statement = insert.from_select(["user", "uuid", "read", "starred", "updated"], chosen)
            changes = {"read": statement.excluded.read, "updated": statement.excluded.updated}
            conn.execute(statement.on_conflict_do_update(index_elements=[s.user, s.uuid], set_=changes))
            return sum(counted.values())  # the rows it changed (a driver may not say: psycopg gives -1)


def _conditions(user: str, stream: Stream) -> list[sa.ColumnElement[bool]]:
    """The WHERE of ``stream`` over ``articles``."""
    a, s = articles.c, _STATE.c
    where: list[sa.ColumnElement[bool]] = []
    if stream.sources is not None:
        where.append(a.source.in_(stream.sources) if stream.sources else sa.false())
    if stream.since is not None:
        where.append(a.published >= stream.since)
    if stream.until is not None:
        where.append(a.published < stream.until)
    if stream.seen_by is not None:
        where.append(a.first_seen <= stream.seen_by)
    if stream.muted_sources:
        where.append(a.source.not_in(stream.muted_sources))
    where += [~_mentions(word) for word in stream.muted_words]
    if stream.tag is not None:
        t = article_tags.c
        where.append(sa.select(t.uuid).where(t.tag == stream.tag, t.uuid == a.uuid).exists())
    if stream.watchlist is not None:
        matched = sa.select(alerts.c.uuid).where(alerts.c.watchlist == stream.watchlist, alerts.c.uuid == a.uuid)
        where.append(matched.exists())
    state = sa.select(s.uuid).where(s.user == user, s.uuid == a.uuid)
    if stream.state == "starred":
        where.append(state.where(s.starred).exists())
    elif stream.state == "read":
        where.append(state.where(s.read).exists())
    if stream.state == "unread" or stream.excluded == "read":
        where.append(~state.where(s.read).exists())
    return where


def _mentions(word: str) -> sa.ColumnElement[bool]:
    """An article's title or summary holds ``word`` (case aside, as models.Preferences reads it)."""
    a, low = articles.c, word.lower()
    return sa.or_(
        sa.func.lower(a.title).contains(low, autoescape=True), sa.func.lower(a.summary).contains(low, autoescape=True)
    )


def _columns(bodies: bool) -> list[sa.ColumnElement[Any]]:
    return [articles.c[name] for name in (*_SHOWN, "html")[: len(_SHOWN) + bodies]]


def _article(row: Any) -> Article:
    fields = {k: v for k, v in row.items() if k != "id" and not k.startswith("state_")}
    return Article(**{"html": "", "raw_html": "", "markdown": "", "text": "", **fields})
