"""The economic calendar on the web: ``/calendar/`` (today, or ``?week=1`` the next seven
days, by ``country`` and ``stars``), ``GET /api/calendar`` and ``/calendar.ics`` (the
next seven days as iCalendar events, for calendar apps). Days are the site's zone's."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta
from typing import Annotated, Any

import icalendar
from fastapi import APIRouter, HTTPException, Query
from fastapi.responses import HTMLResponse, Response

from newsdesk.config import Settings
from newsdesk.models import CalendarEvent
from newsdesk.store import Store
from newsdesk.web.problems import responses

__all__ = ["router"]

MAX_DAYS = 14
Country = Annotated[str | None, Query(pattern=r"^[A-Za-z]{2}$", description="country code: US, CN, EU, UK …")]
Stars = Annotated[int, Query(ge=0, le=5, description="at least this many stars of importance")]


def router(store: Store, settings: Settings, render: Callable[..., str]) -> APIRouter:
    routes = APIRouter()
    zone = settings.tz

    def window(day: date | None, days: int) -> tuple[datetime, datetime]:
        first = day or datetime.now(zone).date()
        start = datetime.combine(first, time(), zone)
        return start.astimezone(UTC), (start + timedelta(days=days)).astimezone(UTC)

    @routes.get("/api/calendar", summary="Economic calendar: data releases and events by day", responses=responses(400))
    def api_calendar(
        day: Annotated[date | None, Query(description="first day (YYYY-MM-DD, the site's zone); default today")] = None,
        days: Annotated[int, Query(ge=1, le=MAX_DAYS)] = 1,
        country: Country = None,
        stars: Stars = 0,
    ) -> dict[str, object]:
        if day is not None and not 2000 <= day.year <= 2100:
            raise HTTPException(400, f"day: {day.isoformat()} is not a day of this century")
        start, end = window(day, days)
        found = store.events(start, end, country=country, stars=stars)
        return {"from": start.isoformat(), "to": end.isoformat(), "events": [e.as_json() for e in found]}

    @routes.get("/calendar/", response_class=HTMLResponse, include_in_schema=False)
    def page(week: str = "", country: str = "", stars: str = "0") -> HTMLResponse:
        # The form sends empty fields for "all": they mean no filter, as on the other pages.
        if country and not re.fullmatch(r"[A-Za-z]{2}", country) or not re.fullmatch(r"[0-5]?", stars):
            raise HTTPException(400, "country: a country code (US, CN, EU, UK …); stars: 0 to 5")
        return page_of(week not in ("", "0"), country or None, int(stars or 0))

    def page_of(week: bool, country: str | None, stars: int) -> HTMLResponse:
        start, end = window(None, 7 if week else 1)
        found = store.events(start, end, country=country, stars=stars)
        by_day: dict[date, list[CalendarEvent]] = {}
        for event in found:
            if event.scheduled:
                by_day.setdefault(event.scheduled.astimezone(zone).date(), []).append(event)
        countries = sorted({(e.country_code, e.country) for e in found if e.country_code})
        values = {"week": week, "country": (country or "").upper(), "stars": stars}
        html = render("calendar.html", title=f"{settings.site_title} · 财经日历 Calendar", days=by_day,
                      countries=countries, chosen=values, zone=zone)  # fmt: skip
        return HTMLResponse(html)

    @routes.get("/calendar.ics", include_in_schema=False)
    def ics(country: Country = None, stars: Stars = 0) -> Response:
        start, end = window(None, 7)
        body = _ics(store.events(start, end, country=country, stars=stars), settings.site_title)
        return Response(body, media_type="text/calendar; charset=utf-8")

    return routes


def _ics(events: list[CalendarEvent], title: str) -> bytes:
    """The events as an iCalendar (RFC 5545) calendar: one VEVENT each, stars and values
    in its description; a release with its actual value says it in the summary."""
    calendar = icalendar.Calendar()
    calendar.add("prodid", "-//newsdesk//economic calendar//EN")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", f"{title} · 财经日历")
    stamp = datetime.now(UTC)
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
    named: list[tuple[str, Any]] = [("actual", event.actual), ("forecast", event.forecast),
                                    ("previous", event.revised or event.previous)]  # fmt: skip
    return " · ".join(f"{name} {value}{event.unit}" for name, value in named if value) or event.kind
