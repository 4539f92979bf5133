"""Each user's state of the articles: read and starred.

A row exists once a user has read or starred an article; no row is unread and not
starred. ``read_counts`` keeps how many articles of each source each user has read, in
the transaction of every change, so that unread counts read a few rows. Marking many at
once (a story, everything of a source up to a time) is one
statement per chunk, bounded by :data:`MOST_AT_ONCE` articles.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite

from newsdesk.models import Article, Preferences
from newsdesk.store import bulk
from newsdesk.store.schema import article_states, articles, read_counts, user_prefs

__all__ = ["MOST_AT_ONCE", "StateStore", "count_reads", "forget_states"]

MOST_AT_ONCE = 100_000


class StateStore:
    """The store's methods for users' article states (:class:`newsdesk.store.Store` has them)."""

    engine: sa.Engine

    def _connect(self) -> sa.Connection:
        raise NotImplementedError

    def arrivals(self, uuids: list[str]) -> list[Article]:
        raise NotImplementedError

    def mark(self, user: str, uuids: Sequence[str], *, read: bool | None = None, starred: bool | None = None) -> int:
        """Set ``read`` and/or ``starred`` of these stored articles for ``user``; how many."""
        now, s = datetime.now(UTC), article_states.c
        with self.engine.begin() as conn:
            a = articles.c
            known = {u: source for where in bulk.matching(conn, a.uuid, list(uuids)[:MOST_AT_ONCE])
                     for u, source in conn.execute(sa.select(a.uuid, a.source).where(where))}  # fmt: skip
            if not known:
                return 0
            if read is not None:
                was = {u: r for where in bulk.matching(conn, s.uuid, list(known))
                       for u, r in conn.execute(sa.select(s.uuid, s.read).where(s.user == user, where))}  # fmt: skip
                changed = Counter(source for u, source in known.items() if was.get(u, False) != read)
                count_reads(conn, user, {k: n if read else -n for k, n in changed.items()})
            rows = [
                {"user": user, "uuid": u, "read": bool(read), "starred": bool(starred), "updated": now} for u in known
            ]
            insert = (postgresql.insert if conn.dialect.name == "postgresql" else sqlite.insert)(article_states)
            changes = {"updated": insert.excluded.updated}
            if read is not None:
                changes["read"] = insert.excluded.read
            if starred is not None:
                changes["starred"] = insert.excluded.starred
            conn.execute(insert.on_conflict_do_update(index_elements=[s.user, s.uuid], set_=changes), rows)
            return len(known)

    def states(self, user: str, uuids: Sequence[str]) -> dict[str, tuple[bool, bool]]:
        """``user``'s (read, starred) of those of ``uuids`` that have a state."""
        s = article_states.c
        found: dict[str, tuple[bool, bool]] = {}
        with self._connect() as conn:
            for where in bulk.matching(conn, s.uuid, list(uuids)):
                query = sa.select(s.uuid, s.read, s.starred).where(s.user == user, where)
                found.update({uuid: (read, starred) for uuid, read, starred in conn.execute(query)})
        return found

    def starred(self, user: str, limit: int) -> list[Article]:
        """``user``'s starred articles, the last starred first, without bodies."""
        s = article_states.c
        query = sa.select(s.uuid).where(s.user == user, s.starred).order_by(s.updated.desc()).limit(limit)
        with self._connect() as conn:
            uuids = list(conn.execute(query).scalars())
        by_uuid = {a.uuid: a for a in self.arrivals(uuids)}
        return [by_uuid[u] for u in uuids if u in by_uuid]

    def preferences(self, user: str) -> Preferences:
        """``user``'s muted and highlighted words and muted sources (none when never set)."""
        with self._connect() as conn:
            value = conn.execute(sa.select(user_prefs.c.value).where(user_prefs.c.user == user)).scalar()
        if not isinstance(value, dict):
            return Preferences()
        return Preferences(**{k: tuple(str(v) for v in value.get(k, ())) for k in Preferences.__dataclass_fields__})

    def set_preferences(self, user: str, preferences: Preferences) -> None:
        value = {k: list(getattr(preferences, k)) for k in Preferences.__dataclass_fields__}
        with self.engine.begin() as conn:
            conn.execute(user_prefs.delete().where(user_prefs.c.user == user))
            conn.execute(user_prefs.insert(), {"user": user, "value": value, "updated": datetime.now(UTC)})

    def read_count(self, user: str, source: str | None = None) -> int:
        """How many stored articles (of ``source``) ``user`` has read."""
        return sum(self.read_counts(user, source).values())

    def read_counts(self, user: str, source: str | None = None) -> dict[str, int]:
        """Source → how many of its stored articles ``user`` has read (sources with some)."""
        c = read_counts.c
        query = sa.select(c.source, c.n).where(c.user == user, c.n > 0)
        with self._connect() as conn:
            return {name: n for name, n in conn.execute(query.where(c.source == source) if source else query)}


def count_reads(conn: sa.Connection, user: str, changes: Mapping[str, int]) -> None:
    """Add ``changes`` (source → articles newly read, negative: unread) to ``user``'s read counts."""
    bulk.add_counts(conn, read_counts, "n", [{"user": user, "source": k, "n": n} for k, n in changes.items() if n])


def forget_states(conn: sa.Connection, uuids: list[str]) -> None:
    """Remove the states of articles that go (a prune), with what they added to read counts."""
    s, a = article_states.c, articles.c
    for where in bulk.matching(conn, s.uuid, uuids):
        read = sa.select(s.user, a.source, sa.func.count()).select_from(article_states.join(articles, a.uuid == s.uuid))
        for user, source, n in conn.execute(read.where(where, s.read).group_by(s.user, a.source)).all():
            count_reads(conn, user, {source: -n})
        conn.execute(article_states.delete().where(where))
