"""The economic calendar on the web: ``/calendar/`` (today, or ``?week=1`` the next seven
days, by ``country`` and ``stars``), ``GET /api/calendar`` and ``/calendar.ics`` (the
next seven days as iCalendar events, for calendar apps; :mod:`newsdesk.publish.calendar`
makes the pages and the ICS). Days are the site's zone's."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, datetime
from typing import Annotated

from fastapi import APIRouter, HTTPException, Query
from fastapi.responses import HTMLResponse, Response

from newsdesk.config import Settings
from newsdesk.publish.calendar import by_day, ics
from newsdesk.publish.calendar import window as calendar_window
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
        return calendar_window(day or datetime.now(zone).date(), days, zone)

    @routes.get("/api/calendar", summary="Economic calendar: data releases and events by day", responses=responses(404))
    def api_calendar(
        day: Annotated[
            str | None, Query(pattern=r"^\d{4}-\d{2}-\d{2}$", description="first day (the site's zone); default today")
        ] = None,
        days: Annotated[int, Query(ge=1, le=MAX_DAYS)] = 1,
        country: Country = None,
        stars: Stars = 0,
    ) -> dict[str, object]:
        start, end = window(_day(day) if day else None, days)
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
        countries = sorted({(e.country_code, e.country) for e in found if e.country_code})
        values = {"week": week, "country": (country or "").upper(), "stars": stars}
        html = render("calendar.html", title=f"{settings.site_title} · 财经日历 Calendar", days=by_day(found, zone),
                      countries=countries, chosen=values, zone=zone)  # fmt: skip
        return HTMLResponse(html)

    @routes.get("/calendar.ics", include_in_schema=False)
    def ics_feed(country: Country = None, stars: Stars = 0) -> Response:
        start, end = window(None, 7)
        body = ics(store.events(start, end, country=country, stars=stars), settings.site_title)
        return Response(body, media_type="text/calendar; charset=utf-8")

    return routes


def _day(text: str) -> date:
    """A day of the query (404 when it is not one); out of this century it is taken into it:
    there are no events there, and its arithmetic would overflow."""
    try:
        day = date.fromisoformat(text)
    except ValueError:
        raise HTTPException(404, f"not a day: {text[:20]!r} (YYYY-MM-DD)") from None
    return min(max(day, date(2000, 1, 1)), date(2100, 12, 31))
