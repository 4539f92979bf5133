"""Economic calendar events (models.CalendarEvent): saved as sources list them, their
values updated as they arrive, read by day range, country and importance."""

from __future__ import annotations

from datetime import UTC, datetime

import sqlalchemy as sa

from newsdesk.models import CalendarEvent
from newsdesk.store.schema import calendar_events

__all__ = ["CalendarStore"]

_VALUES = ("kind", "name", "country", "country_code", "stars", "scheduled", "link", "actual", "forecast",
           "previous", "revised", "unit", "period")  # fmt: skip


class CalendarStore:
    """The store's calendar methods (:class:`newsdesk.store.Store` has them)."""

    engine: sa.Engine

    def _connect(self) -> sa.Connection:
        raise NotImplementedError

    def save_events(self, events: list[CalendarEvent]) -> list[CalendarEvent]:
        """Insert new events and update known ones; the events whose actual value is in
        and was not released before (each is released once: their release items follow)."""
        if not events:
            return []
        c, now, released = calendar_events.c, datetime.now(UTC), []
        with self.engine.begin() as conn:
            keys = [(e.source, e.event_id) for e in events]
            known = {
                (row.source, row.event_id): row.released
                for row in conn.execute(
                    sa.select(c.source, c.event_id, c.released).where(sa.tuple_(c.source, c.event_id).in_(keys))
                )
            }
            for event in {(e.source, e.event_id): e for e in events}.values():
                release = bool(event.actual) and not known.get((event.source, event.event_id), False)
                values = {name: getattr(event, name) for name in _VALUES} | {"updated": now}
                if release:
                    values["released"] = True
                    released.append(event)
                key = (event.source, event.event_id)
                if key in known:
                    where = sa.and_(c.source == event.source, c.event_id == event.event_id)
                    conn.execute(calendar_events.update().where(where).values(values))
                else:
                    row = values | {"source": event.source, "event_id": event.event_id, "released": release}
                    conn.execute(calendar_events.insert().values(row))
        return released

    def events(
        self, start: datetime, end: datetime, *, country: str | None = None, stars: int = 0, limit: int = 2000
    ) -> list[CalendarEvent]:
        """Events scheduled in [start, end), soonest first, of ``country`` (its code) and
        at least ``stars``; at most ``limit``."""
        c = calendar_events.c
        query = sa.select(calendar_events).where(c.scheduled >= start, c.scheduled < end, c.stars >= stars)
        if country:
            query = query.where(c.country_code == country.upper())
        query = query.order_by(c.scheduled, c.stars.desc(), c.name).limit(limit)
        with self._connect() as conn:
            return [_event(row) for row in conn.execute(query).mappings()]


def _event(row: sa.RowMapping) -> CalendarEvent:
    values = {name: row[name] for name in (*_VALUES, "source", "event_id")}
    return CalendarEvent(**values)
