"""Publication dates as third parties write them, turned into aware datetimes.

Accepted: ``YYYY-MM-DD HH:MM[:SS]`` and other ISO 8601 forms (naive ones are read
in the given zone), and epoch seconds or milliseconds (int, float or digit string).
"""

from __future__ import annotations

from datetime import UTC, datetime, tzinfo

# Dates outside this window are garbage in a news feed (0000-00-00, 9999-12-31, 1970 zero epochs).
EARLIEST = datetime(1990, 1, 1, tzinfo=UTC)
LATEST = datetime(2100, 1, 1, tzinfo=UTC)
_MS_THRESHOLD = 100_000_000_000  # an epoch above this is in milliseconds (year 5138 in seconds)


def parse_date(value: object, tz: tzinfo) -> datetime:
    """Return an aware datetime for ``value`` or raise ValueError saying why."""
    if isinstance(value, bool):
        raise ValueError(f"not a date: {value!r}")
    if isinstance(value, int | float):
        return _from_epoch(value)
    if not isinstance(value, str):
        raise ValueError(f"not a date: {type(value).__name__}")
    text = value.strip()
    if not text:
        raise ValueError("empty date")
    if text.isdigit() or (text[0] == "-" and text[1:].isdigit()):
        return _from_epoch(int(text))
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        raise ValueError(f"unrecognised date {text[:40]!r}") from None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=tz)
    return _checked(parsed, text)


def _from_epoch(number: float) -> datetime:
    seconds = number / 1000 if abs(number) >= _MS_THRESHOLD else number
    try:
        parsed = datetime.fromtimestamp(seconds, UTC)
    except (OverflowError, OSError, ValueError):
        raise ValueError(f"epoch out of range: {number!r}") from None
    return _checked(parsed, repr(number))


def _checked(parsed: datetime, shown: str) -> datetime:
    if not EARLIEST <= parsed < LATEST:
        raise ValueError(f"implausible date {shown[:40]!r}")
    return parsed
