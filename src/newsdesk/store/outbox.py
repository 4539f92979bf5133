"""Watchlists and the alerts outbox: queued in the transaction that saves the articles
(one per watchlist and story), claimed by one sender at a time, finished or retried."""

from __future__ import annotations

import random
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite

from newsdesk import owners
from newsdesk.models import Article
from newsdesk.store import bulk
from newsdesk.store.schema import alerts, articles, watchlists

__all__ = [
    "claim",
    "due_watchlists",
    "finish",
    "log",
    "postpone",
    "queue",
    "reports",
    "read_watchlists",
    "remove_watchlist",
    "sends",
    "wake",
    "write_watchlist",
]


def _insert(conn: sa.Connection, table: sa.Table) -> Any:
    return (postgresql.insert if conn.dialect.name == "postgresql" else sqlite.insert)(table)


def queue(
    conn: sa.Connection,
    batch: Sequence[Article],
    matches: Mapping[str, list[tuple[str, datetime]]],
    now: datetime,
    breaking: Mapping[str, tuple[int, int]] | None = None,
) -> None:
    """An alert for each (watchlist, story) of ``matches`` (uuid → watchlist names, each
    with when its alert is due) that has none yet: a story that already alerted a
    watchlist does not alert it again. Those of ``breaking`` watchlists wait (state
    ``waiting``) until :func:`wake` finds their story broad enough."""
    rows = [
        {
            "watchlist": name,
            "cluster": a.cluster or a.uuid,
            "uuid": a.uuid,
            "created": now,
            "state": "waiting" if breaking and name in breaking else "queued",
            "attempts": 0,
            "next_try": due,
        }
        for a in batch
        for name, due in matches.get(a.uuid, ())
    ]
    if rows:
        conn.execute(_insert(conn, alerts).on_conflict_do_nothing(index_elements=["watchlist", "cluster"]), rows)


def wake(conn: sa.Connection, batch: Sequence[Article], breaking: Mapping[str, tuple[int, int]], now: datetime) -> None:
    """Queue the waiting alerts of breaking watchlists (name → outlets, minutes) whose
    story, one of ``batch``'s, now has that many outlets reporting within that many
    minutes (each outlet counted once, at its first report)."""
    stories = sorted({a.cluster or a.uuid for a in batch})
    c = alerts.c
    waiting = []
    for where in bulk.matching(conn, c.cluster, stories):
        query = sa.select(c.id, c.watchlist, c.cluster).where(where, c.state == "waiting")
        waiting += [row for row in conn.execute(query) if row.watchlist in breaking]
    firsts = _first_reports(conn, sorted({row.cluster for row in waiting}), now)
    ready = [row.id for row in waiting if _broad(firsts.get(row.cluster, []), *breaking[row.watchlist])]
    if ready:
        conn.execute(alerts.update().where(c.id.in_(ready)).values(state="queued", next_try=now))


def _first_reports(conn: sa.Connection, stories: list[str], now: datetime) -> dict[str, list[datetime]]:
    """Each story's outlets' first reports, in time order (none later than ``now``: a clock
    in the future does not make a story broad)."""
    firsts: dict[str, dict[str, datetime]] = {}
    a = articles.c
    for where in bulk.matching(conn, a.cluster, stories):
        query = sa.select(a.cluster, a.source, sa.func.min(a.published)).where(where).group_by(a.cluster, a.source)
        for story, source, first in conn.execute(query):
            firsts.setdefault(story, {})[source] = min(first, now)
    return {story: sorted(times.values()) for story, times in firsts.items()}


def _broad(times: list[datetime], outlets: int, minutes: int) -> bool:
    """Whether ``outlets`` of these first reports (sorted) fall within ``minutes``."""
    span = timedelta(minutes=minutes)
    return any(times[i + outlets - 1] - times[i] <= span for i in range(len(times) - outlets + 1))


def _due(now: datetime, dead: Sequence[str] = ()) -> sa.ColumnElement[bool]:
    """Queued and due, or claimed by a sender whose lease ran out or who is ``dead``."""
    c = alerts.c
    due = sa.and_(c.state.in_(("queued", "sending")), c.next_try <= now)
    return sa.or_(due, sa.and_(c.state == "sending", c.claimed_by.in_(list(dead)))) if dead else due


def _dead_senders(conn: sa.Connection, now: datetime) -> list[str]:
    """Senders holding live claims whose process is known to be gone (see newsdesk.owners)."""
    c = alerts.c
    held = conn.execute(sa.select(c.claimed_by).where(c.state == "sending", c.next_try > now).distinct()).scalars()
    return [holder for holder in held if owners.is_dead(holder)]


def due_watchlists(conn: sa.Connection) -> list[str]:
    """Names of the watchlists with alerts due now (one indexed read)."""
    query = sa.select(alerts.c.watchlist).where(_due(datetime.now(UTC))).distinct().order_by(alerts.c.watchlist)
    return list(conn.execute(query).scalars())


def claim(
    engine: sa.Engine, limit: int, lease: float, watchlist: str | None = None, owner: str | None = None
) -> list[dict[str, Any]]:
    """Up to ``limit`` alerts due now (of ``watchlist``, or of all), marked ``sending``
    by ``owner`` until ``lease`` seconds from now (a sender that dies leaves them to be
    taken again after that, or at once by a sender on its host). One transaction: the
    update re-checks that each row is still due, and the lease's end, unique to this
    claim, tells which rows this sender got."""
    now = datetime.now(UTC)
    c = alerts.c
    until = now + timedelta(seconds=lease, microseconds=random.randrange(1_000_000))
    with engine.begin() as conn:
        due = _due(now, _dead_senders(conn, now))
        due = due if watchlist is None else sa.and_(due, c.watchlist == watchlist)
        rows = {
            r["id"]: dict(r) for r in conn.execute(sa.select(alerts).where(due).order_by(c.id).limit(limit)).mappings()
        }
        if not rows:
            return []
        claimed = {"state": "sending", "next_try": until, "claimed_by": owner or owners.owner()}
        conn.execute(alerts.update().where(c.id.in_(list(rows)), due).values(**claimed))
        mine = conn.execute(
            sa.select(c.id).where(c.id.in_(list(rows)), c.state == "sending", c.next_try == until)
        ).scalars()
        return [rows[alert_id] for alert_id in sorted(mine)]


def finish(engine: sa.Engine, results: Sequence[tuple[int, bool, str | None, datetime | None]]) -> None:
    """For each ``(alert id, sent, error, retry_at)``: sent; or failed, to be retried at
    ``retry_at`` (None: given up). One transaction."""
    now = datetime.now(UTC)
    with engine.begin() as conn:
        for alert_id, sent, error, retry_at in results:
            values: dict[str, Any] = (
                {"state": "sent", "sent": now, "last_error": None}
                if sent
                else {
                    "state": "queued" if retry_at else "failed",
                    "last_error": (error or "")[:2000],
                    "next_try": retry_at or now,
                }
            )
            conn.execute(
                alerts.update().where(alerts.c.id == alert_id).values(attempts=alerts.c.attempts + 1, **values)
            )


def postpone(engine: sa.Engine, ids: Sequence[int], until: datetime) -> None:
    """Put claimed alerts back in the queue until ``until``, not counted as an attempt."""
    with engine.begin() as conn:
        conn.execute(alerts.update().where(alerts.c.id.in_(list(ids))).values(state="queued", next_try=until))


def sends(conn: sa.Connection, watchlist: str, since: datetime) -> list[datetime]:
    """When ``watchlist``'s alerts were sent since ``since``, oldest first: one time per
    send (the alerts a sender sent together share it)."""
    c = alerts.c
    query = sa.select(c.sent).where(c.watchlist == watchlist, c.state == "sent", c.sent >= since).distinct()
    return sorted(conn.execute(query).scalars())


def reports(conn: sa.Connection, clusters: Sequence[str]) -> dict[str, list[tuple[str, str, str]]]:
    """The articles of these stories: cluster → ``(uuid, source, link)``, oldest first."""
    c = articles.c
    found: dict[str, list[tuple[datetime, str, str, str]]] = {}
    for where in bulk.matching(conn, c.cluster, list(clusters)):
        for cluster, published, uuid, source, link in conn.execute(
            sa.select(c.cluster, c.published, c.uuid, c.source, c.link).where(where)
        ):
            found.setdefault(cluster, []).append((published, uuid, source, link))
    return {cluster: [row[1:] for row in sorted(rows)] for cluster, rows in found.items()}


def log(conn: sa.Connection, watchlist: str | None, limit: int) -> list[dict[str, Any]]:
    query = sa.select(alerts).order_by(alerts.c.id.desc()).limit(limit)
    if watchlist:
        query = query.where(alerts.c.watchlist == watchlist)
    return [dict(row) for row in conn.execute(query).mappings()]


def stories(conn: sa.Connection, watchlist: str, limit: int) -> list[str]:
    """uuids of the articles that alerted ``watchlist`` (one per story), newest first."""
    query = sa.select(alerts.c.uuid).where(alerts.c.watchlist == watchlist).order_by(alerts.c.id.desc()).limit(limit)
    return list(conn.execute(query).scalars())


def read_watchlists(conn: sa.Connection) -> dict[str, dict[str, Any]]:
    return {
        name: dict(definition)
        for name, definition in conn.execute(sa.select(watchlists.c.name, watchlists.c.definition))
    }


def write_watchlist(conn: sa.Connection, name: str, definition: dict[str, Any], owner: str | None = None) -> None:
    values = {"name": name, "definition": definition, "updated": datetime.now(UTC), "owner": owner}
    conn.execute(_insert(conn, watchlists).values(values).on_conflict_do_update(index_elements=["name"], set_=values))


def remove_watchlist(conn: sa.Connection, name: str) -> bool:
    return conn.execute(watchlists.delete().where(watchlists.c.name == name)).rowcount > 0


class WatchlistStore:
    """The store's methods for watchlists and their alerts (:class:`newsdesk.store.Store`
    has them; they open connections as its other methods do)."""

    engine: sa.Engine

    def _connect(self) -> sa.Connection:
        raise NotImplementedError

    def arrivals(self, uuids: list[str]) -> list[Article]:
        raise NotImplementedError

    def watchlist_definitions(self) -> dict[str, dict[str, Any]]:
        """The watchlists kept in the database: name → definition."""
        with self._connect() as conn:
            return read_watchlists(conn)

    def save_watchlist(self, name: str, definition: dict[str, Any], owner: str | None = None) -> None:
        """Keep a watchlist, ``owner``'s (None: the admin's)."""
        with self.engine.begin() as conn:
            write_watchlist(conn, name, definition, owner)

    def watchlist_owners(self) -> dict[str, str | None]:
        """Each watchlist kept in the database with its owner (None: the admin's)."""
        with self._connect() as conn:
            return {name: owner for name, owner in conn.execute(sa.select(watchlists.c.name, watchlists.c.owner))}

    def remove_watchlist(self, name: str) -> bool:
        with self.engine.begin() as conn:
            return remove_watchlist(conn, name)

    def claim_alerts(
        self, limit: int = 50, lease: float = 120, watchlist: str | None = None, owner: str | None = None
    ) -> list[dict[str, Any]]:
        """Alerts due now (of ``watchlist``), each claimed by this sender (``owner``) for ``lease`` seconds."""
        return claim(self.engine, limit, lease, watchlist, owner)

    def due_watchlists(self) -> list[str]:
        """Watchlists with alerts due now."""
        with self._connect() as conn:
            return due_watchlists(conn)

    def postpone_alerts(self, ids: list[int], until: datetime) -> None:
        postpone(self.engine, ids, until)

    def alert_sends(self, watchlist: str, since: datetime) -> list[datetime]:
        """When ``watchlist`` was sent something since ``since`` (one time per send)."""
        with self._connect() as conn:
            return sends(conn, watchlist, since)

    def story_reports(self, clusters: list[str]) -> dict[str, list[tuple[str, str, str]]]:
        """Every article of these stories: cluster → ``(uuid, source, link)``, oldest first."""
        with self._connect() as conn:
            return reports(conn, clusters)

    def finish_alerts(self, results: list[tuple[int, bool, str | None, datetime | None]]) -> None:
        """Record sends: ``(alert id, sent, error, retry_at)`` each (see :func:`finish`)."""
        finish(self.engine, results)

    def queue_briefs(self, due: list[tuple[str, str]], now: datetime) -> int:
        """Queue ``(watchlist, brief key)`` sends due now, each once; how many are new."""
        rows = [
            {
                "watchlist": name,
                "cluster": key,
                "uuid": "",
                "created": now,
                "state": "queued",
                "attempts": 0,
                "next_try": now,
            }
            for name, key in due
        ]
        with self.engine.begin() as conn:
            insert = _insert(conn, alerts).on_conflict_do_nothing(index_elements=["watchlist", "cluster"])
            return sum(max(conn.execute(insert, row).rowcount, 0) for row in rows)

    def watchlist_stories(self, watchlist: str, limit: int = 50) -> list[Article]:
        """The articles that alerted ``watchlist`` (one per story), newest alert first, without bodies."""
        with self._connect() as conn:
            uuids = stories(conn, watchlist, limit)
        return self.arrivals(uuids)

    def alert_log(self, watchlist: str | None = None, limit: int = 50) -> list[dict[str, Any]]:
        """The newest alerts (of one watchlist), with their delivery state."""
        with self._connect() as conn:
            return log(conn, watchlist, limit)
