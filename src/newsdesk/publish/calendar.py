"""The economic calendar as pages: the next seven days' releases and events by day
(``calendar/index.html`` in a build, ``/calendar/`` served) and as iCalendar
(``calendar.ics``, RFC 5545 by icalendar), for the built site and the served one alike."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta, tzinfo
from typing import Any, Protocol

import icalendar
from jinja2 import Environment

from newsdesk.config import Settings
from newsdesk.models import CalendarEvent
from newsdesk.publish.output import Output, digest

__all__ = ["Events", "build_calendar", "by_day", "ics", "window"]

WEEK = 7


class Events(Protocol):
    def events(
        self, start: datetime, end: datetime, *, country: str | None = None, stars: int = 0, limit: int = 2000
    ) -> list[CalendarEvent]: ...


def window(first: date, days: int, zone: tzinfo) -> tuple[datetime, datetime]:
    """[start, end) of ``days`` days from ``first`` in ``zone``, in UTC."""
    start = datetime.combine(first, time(), zone)
    return start.astimezone(UTC), (start + timedelta(days=days)).astimezone(UTC)


def by_day(events: list[CalendarEvent], zone: tzinfo) -> dict[date, list[CalendarEvent]]:
    """The events with a time, by their day in ``zone``, in order."""
    days: dict[date, list[CalendarEvent]] = {}
    for event in events:
        if event.scheduled:
            days.setdefault(event.scheduled.astimezone(zone).date(), []).append(event)
    return days


def build_calendar(
    store: Events, env: Environment, out: Output, context: dict[str, Any], settings: Settings, now: datetime
) -> None:
    """``calendar/index.html`` and ``calendar.ics``: the seven days from the build's day."""
    zone = settings.tz
    events = store.events(*window(now.astimezone(zone).date(), WEEK, zone))
    key = digest([e.as_json() for e in events])
    values = {"week": True, "country": "", "stars": 0}
    title = f"{settings.site_title} · 财经日历 Calendar"
    page, days = env.get_template("calendar.html"), by_day(events, zone)
    chosen = {"title": title, "days": days, "countries": [], "chosen": values, "static": True}
    out.page("calendar/index.html", key, lambda: page.render(context, root="../", **chosen))
    out.page("calendar.ics", key, lambda: ics(events, settings.site_title).decode("utf-8"))


def ics(events: list[CalendarEvent], title: str) -> bytes:
    """The events as an iCalendar calendar: one VEVENT each (those with a time), stars and
    values in its description; a release with its actual value says it in the summary."""
    calendar = icalendar.Calendar()
    calendar.add("prodid", "-//newsdesk//economic calendar//EN")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", f"{title} · 财经日历")
    stamp = datetime.now(UTC).replace(microsecond=0)
    for event in events:
        if event.scheduled is None:
            continue
        item = icalendar.Event()
        item.add("uid", f"{event.source}-{event.event_id}@newsdesk")
        item.add("dtstamp", stamp)
        item.add("dtstart", event.scheduled)
        item.add("dtend", event.scheduled + timedelta(minutes=15))
        done = f"：{event.actual}{event.unit}" if event.actual else ""
        item.add("summary", f"{'★' * event.stars} {event.country} {event.period}{event.name}{done}".strip())
        item.add("description", _values(event))
        item.add("url", event.link)
        calendar.add_component(item)
    return bytes(calendar.to_ical())


def _values(event: CalendarEvent) -> str:
    named = [("actual", event.actual), ("forecast", event.forecast), ("previous", event.revised or event.previous)]
    return " · ".join(f"{name} {value}{event.unit}" for name, value in named if value) or event.kind
