"""When a new alert of a watchlist is due: now (``instant``), at the next digest
(``every`` N minutes from midnight, or daily ``at`` HH:MM, in the watchlist's zone),
and never inside its quiet hours (``quiet = "22:00-07:00"``: due at their end)."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from newsdesk.models import Watchlist

__all__ = ["due_at", "parse_clock"]


def parse_clock(text: str) -> time:
    """``HH:MM`` → a time; ValueError otherwise."""
    hours, _, minutes = text.strip().partition(":")
    if not (hours.isdigit() and minutes.isdigit() and len(minutes) == 2):
        raise ValueError(f"{text!r} is not HH:MM")
    return time(int(hours), int(minutes))


def due_at(watchlist: Watchlist, now: datetime) -> datetime:
    """When an alert of ``watchlist`` that arises at ``now`` (aware) is to be sent."""
    zone = ZoneInfo(watchlist.zone)
    local = now.astimezone(zone)
    if watchlist.mode == "digest" and watchlist.at:
        at = parse_clock(watchlist.at)
        due = local.replace(hour=at.hour, minute=at.minute, second=0, microsecond=0)
        if due <= local:
            due += timedelta(days=1)
    elif watchlist.mode == "digest":
        midnight = local.replace(hour=0, minute=0, second=0, microsecond=0)
        step = timedelta(minutes=watchlist.every)
        due = midnight + step * ((local - midnight) // step + 1)
    else:
        due = local
    return _after_quiet(watchlist, due).astimezone(now.tzinfo)


def _after_quiet(watchlist: Watchlist, due: datetime) -> datetime:
    if not watchlist.quiet:
        return due
    start_text, _, end_text = watchlist.quiet.partition("-")
    start, end = parse_clock(start_text), parse_clock(end_text)
    clock = due.timetz().replace(tzinfo=None)
    inside = start <= clock < end if start <= end else (clock >= start or clock < end)
    if not inside:
        return due
    ends = due.replace(hour=end.hour, minute=end.minute, second=0, microsecond=0)
    return ends if ends > due else ends + timedelta(days=1)
