"""Publication dates as third parties write them, turned into aware datetimes.

One parser for import and fetch alike (:func:`parse_date`). It reads ISO 8601,
RFC 822/1123 (feeds), epoch seconds or milliseconds, the forms sites print
(``2026/08/21 11:00``, ``2026年8月21日 11:00``, ``Aug 21, 2026``), dates without a
year (``08-21 11:00``: the latest such day not after ``now``) and relative forms
(``5分钟前``, ``昨天 14:30``, ``2 hours ago``) counted back from ``now``. Naive
times are read in the given zone (the source's, or the site's).
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta, tzinfo
from email.utils import parsedate_to_datetime

__all__ = ["EARLIEST", "LATEST", "day_or_time", "parse_date", "parse_published", "representable"]

# Dates outside this window are garbage in a news feed (0000-00-00, 9999-12-31, 1970 zero epochs).
EARLIEST = datetime(1990, 1, 1, tzinfo=UTC)
LATEST = datetime(2100, 1, 1, tzinfo=UTC)
_MS_THRESHOLD = 100_000_000_000  # an epoch above this is in milliseconds (year 5138 in seconds)

# Forms sites print that ISO 8601 parsing does not take (tried in order, naive).
_FORMS = (
    "%Y/%m/%d %H:%M:%S",
    "%Y/%m/%d %H:%M",
    "%Y/%m/%d",
    "%Y年%m月%d日 %H:%M:%S",
    "%Y年%m月%d日 %H:%M",
    "%Y年%m月%d日%H:%M",
    "%Y年%m月%d日",
    "%Y.%m.%d %H:%M",
    "%Y.%m.%d",
    "%d %b %Y %H:%M",
    "%d %B %Y %H:%M",
    "%d %b %Y",
    "%d %B %Y",
    "%b %d, %Y %I:%M %p",
    "%B %d, %Y %I:%M %p",
    "%b %d, %Y %H:%M",
    "%b %d, %Y",
    "%B %d, %Y",
    "%m/%d/%Y %H:%M",
    "%m/%d/%Y",
)
_SPACES = re.compile(r"\s+")
_UNITS = {
    "秒": "seconds",
    "分钟": "minutes",
    "分": "minutes",
    "小时": "hours",
    "天": "days",
    "周": "weeks",
    "second": "seconds",
    "sec": "seconds",
    "minute": "minutes",
    "min": "minutes",
    "hour": "hours",
    "hr": "hours",
    "day": "days",
    "week": "weeks",
}
_AGO = re.compile(
    r"^(\d+)\s*(秒|分钟|分|小时|天|周)前$|^(\d+)\s*(second|sec|minute|min|hour|hr|day|week)s?\s+ago$", re.I
)
_DAY_WORDS = {"今天": 0, "today": 0, "昨天": 1, "yesterday": 1, "前天": 2}
_ON_DAY = re.compile(r"^(今天|昨天|前天|today|yesterday)\s*(?:at\s+)?(\d{1,2}):(\d{2})(?::(\d{2}))?$", re.I)
_NOW_WORDS = frozenset({"刚刚", "刚才", "just now", "now"})
_NO_YEAR = re.compile(r"^(\d{1,2})(?:-|/|月)(\d{1,2})日?\s*(?:(\d{1,2}):(\d{2})(?::(\d{2}))?)?$")
_CHINESE_DATE = re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})日\s*(?:(\d{1,2}):(\d{2})(?::(\d{2}))?)?$")


def parse_date(value: object, tz: tzinfo, form: str | None = None, *, now: datetime | None = None) -> datetime:
    """Return an aware datetime for ``value`` or raise ValueError saying why.

    ``form`` is a source's ``published_format``: ``epoch`` (seconds), ``epoch_ms``
    or a strptime format. ``now`` anchors relative and year-less forms (default:
    the current time)."""
    if isinstance(value, bool) or value is None:
        raise ValueError(f"not a date: {value!r}")
    if form in ("epoch", "epoch_ms"):
        try:
            number = float(value)  # type: ignore[arg-type]
        except (TypeError, ValueError):
            raise ValueError(f"not an epoch: {str(value)[:40]!r}") from None
        return _from_epoch(number / 1000 if form == "epoch_ms" else number)
    if isinstance(value, int | float):
        return _from_epoch(value)
    if not isinstance(value, str):
        raise ValueError(f"not a date: {type(value).__name__}")
    text = _SPACES.sub(" ", value).strip()
    if not text:
        raise ValueError("empty date")
    if form:
        try:
            parsed = datetime.strptime(text, form)
        except ValueError:
            raise ValueError(f"{text[:40]!r} does not match {form!r}") from None
        return _checked(_aware(parsed, tz), text)
    if text.isdigit() or (text[0] == "-" and text[1:].isdigit()):
        return _from_epoch(int(text))
    found = _absolute(text, tz) or _relative(text, tz, now or datetime.now(UTC))
    if found is None:
        raise ValueError(f"unrecognised date {text[:40]!r}")
    return _checked(found, text)


def parse_published(
    value: object, tz: tzinfo, form: str | None = None, *, now: datetime | None = None
) -> datetime | None:
    """A fetched item's date: ``None`` when there is none; ValueError when unreadable."""
    if value is None or value == "":
        return None
    return parse_date(value, tz, form, now=now)


def day_or_time(value: str, tz: tzinfo, *, end: bool) -> datetime:
    """A filter bound a person typed (``--since``, ``?until=``): ``2025-02-05`` is that
    day in ``tz`` — its first moment, or with ``end`` its last — or an ISO 8601 time.
    ValueError saying why it is not one."""
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        raise ValueError(f"{value!r} is not a date (2025-02-05) or ISO time") from None
    if len(value) <= 10 and end:
        parsed = parsed.replace(hour=23, minute=59, second=59, microsecond=999999)
    parsed = _aware(parsed, tz)
    if not representable(parsed):
        raise ValueError(f"{value!r} is out of range")
    return parsed


def representable(value: datetime) -> bool:
    """Whether an aware ``value`` has a UTC form (9999-12-31T20:00-05:00 has none)."""
    try:
        value.astimezone(UTC)
    except OverflowError:
        return False
    return True


def _aware(parsed: datetime, tz: tzinfo) -> datetime:
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=tz)


def _absolute(text: str, tz: tzinfo) -> datetime | None:
    try:
        return _aware(datetime.fromisoformat(text), tz)
    except ValueError:
        pass
    try:
        return _aware(parsedate_to_datetime(text), tz)  # RFC 822 / 1123, as feeds and HTTP write them
    except (TypeError, ValueError, IndexError):
        pass
    match = _CHINESE_DATE.match(text)
    if match:
        year, month, day, hour, minute, second = (int(g) if g else 0 for g in match.groups())
        try:
            return datetime(year, month, day, hour, minute, second, tzinfo=tz)
        except ValueError:
            return None
    for pattern in _FORMS:
        try:
            return _aware(datetime.strptime(text, pattern), tz)
        except ValueError:
            continue
    return None


def _relative(text: str, tz: tzinfo, now: datetime) -> datetime | None:
    """``5分钟前``, ``2 hours ago``, ``昨天 14:30``, ``刚刚``, ``08-21 11:00`` against ``now``."""
    local = now.astimezone(tz)
    lowered = text.lower()
    if lowered in _NOW_WORDS:
        return local
    match = _AGO.match(lowered)
    if match:
        count = int(match[1] or match[3])
        unit = _UNITS[(match[2] or match[4]).lower()]
        return local - timedelta(**{unit: count})
    match = _ON_DAY.match(lowered)
    if match:
        day = local - timedelta(days=_DAY_WORDS[match[1].lower()])
        return day.replace(hour=int(match[2]), minute=int(match[3]), second=int(match[4] or 0), microsecond=0)
    match = _NO_YEAR.match(text)
    if match:
        month, mday, hour, minute, second = (int(g) if g else 0 for g in match.groups())
        for year in (local.year, local.year - 1):  # the latest such day not after now
            try:
                found = datetime(year, month, mday, hour, minute, second, tzinfo=tz)
            except ValueError:
                continue
            if found <= local + timedelta(days=1):
                return found
    return None


def _from_epoch(number: float) -> datetime:
    seconds = number / 1000 if abs(number) >= _MS_THRESHOLD else number
    try:
        parsed = datetime.fromtimestamp(seconds, UTC)
    except (OverflowError, OSError, ValueError):
        raise ValueError(f"epoch out of range: {number!r}") from None
    return _checked(parsed, repr(number))


def _checked(parsed: datetime, shown: str) -> datetime:
    try:
        inside = EARLIEST <= parsed < LATEST
    except OverflowError:
        inside = False
    if not inside:
        raise ValueError(f"implausible date {shown[:40]!r}")
    return parsed
