"""Each user's state of the articles: read and starred.

A row exists once a user has read or starred an article; no row is unread and not
starred. Marking many at once (a story, everything of a source up to a time) is one
statement per chunk, bounded by :data:`MOST_AT_ONCE` articles.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite

from newsdesk.models import Article
from newsdesk.store import bulk
from newsdesk.store.schema import article_states, articles

__all__ = ["MOST_AT_ONCE", "StateStore"]

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
            known = [u for where in bulk.matching(conn, articles.c.uuid, list(uuids)[:MOST_AT_ONCE])
                     for u in conn.execute(sa.select(articles.c.uuid).where(where)).scalars()]  # fmt: skip
            if not known:
                return 0
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

    def read_count(self, user: str, source: str | None = None) -> int:
        """How many stored articles (of ``source``) ``user`` has read."""
        s, a = article_states.c, articles.c
        query = sa.select(sa.func.count()).select_from(article_states.join(articles, a.uuid == s.uuid))
        query = query.where(s.user == user, s.read)
        if source:
            query = query.where(a.source == source)
        with self._connect() as conn:
            return int(conn.execute(query).scalar_one())
