"""Market-hours schedules: a polling interval per time window in a named zone.

    schedule:
      timezone: America/New_York
      windows:
        - {days: mon-fri, from: "09:30", to: "16:00", interval: 60}
      interval: 1800          # outside every window

A live-news source is then polled every minute while New York trades and every
half hour otherwise. Windows are tried in order; the first that contains the
moment wins. ``to`` before ``from`` spans midnight.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from newsdesk.errors import ConfigError

__all__ = ["Schedule", "Window", "parse_schedule"]

DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


@dataclass(frozen=True, slots=True)
class Window:
    days: frozenset[int]  # 0 = Monday
    start: time
    end: time
    interval: int

    def contains(self, moment: datetime) -> bool:
        clock = moment.time()
        if self.start <= self.end:
            return moment.weekday() in self.days and self.start <= clock < self.end
        # Spans midnight: the part after midnight belongs to the previous day's window.
        if clock >= self.start:
            return moment.weekday() in self.days
        return clock < self.end and (moment.weekday() - 1) % 7 in self.days


@dataclass(frozen=True, slots=True)
class Schedule:
    timezone: str
    windows: tuple[Window, ...]
    interval: int

    def interval_at(self, moment: datetime) -> int:
        """Seconds between runs at ``moment`` (an aware datetime)."""
        local = moment.astimezone(ZoneInfo(self.timezone))
        for window in self.windows:
            if window.contains(local):
                return window.interval
        return self.interval


def parse_schedule(raw: Any, where: str) -> Schedule:
    if not isinstance(raw, dict):
        raise ConfigError("field 'schedule': a mapping (timezone, windows, interval)", where=where)
    for key in raw:
        if key not in ("timezone", "windows", "interval"):
            raise ConfigError(f"unknown field 'schedule.{key}'", where=where)
    zone = str(raw.get("timezone") or "UTC")
    try:
        ZoneInfo(zone)
    except (ZoneInfoNotFoundError, ValueError):
        raise ConfigError(f"field 'schedule.timezone': unknown time zone {zone!r}", where=where) from None
    windows = raw.get("windows") or []
    if not isinstance(windows, list) or not windows:
        raise ConfigError("field 'schedule.windows': a list of {days, from, to, interval}", where=where)
    parsed = tuple(_window(w, f"schedule.windows[{n}]", where) for n, w in enumerate(windows))
    return Schedule(zone, parsed, _seconds(raw.get("interval", 300), "schedule.interval", where))


def _window(raw: Any, name: str, where: str) -> Window:
    if not isinstance(raw, dict) or set(raw) - {"days", "from", "to", "interval"}:
        raise ConfigError(f"field '{name}': a mapping of days, from, to, interval", where=where)
    return Window(
        days=_days(str(raw.get("days", "mon-sun")), name, where),
        start=_clock(raw.get("from", "00:00"), f"{name}.from", where),
        end=_clock(raw.get("to", "24:00"), f"{name}.to", where),
        interval=_seconds(raw.get("interval"), f"{name}.interval", where),
    )


def _days(text: str, name: str, where: str) -> frozenset[int]:
    days: set[int] = set()
    for part in text.lower().replace(" ", "").split(","):
        first, _, last = part.partition("-")
        if first not in DAYS or (last and last not in DAYS):
            raise ConfigError(f"field '{name}.days': {text!r} is not like mon-fri or sat,sun", where=where)
        start, end = DAYS.index(first), DAYS.index(last or first)
        days.update(d % 7 for d in range(start, end + (7 if end < start else 0) + 1))
    return frozenset(days)


def _clock(value: Any, name: str, where: str) -> time:
    text = str(value)
    if text == "24:00":
        return time.max
    try:
        return time.fromisoformat(text if len(text) > 4 else "0" + text)
    except ValueError:
        raise ConfigError(f"field '{name}': {text!r} is not a time like 09:30", where=where) from None


def _seconds(value: Any, name: str, where: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 10:
        raise ConfigError(f"field '{name}': seconds (at least 10), not {value!r}", where=where)
    return value
