"""Publication dates as third parties write them, turned into aware datetimes.

Accepted: ``YYYY-MM-DD HH:MM[:SS]`` and other ISO 8601 forms (naive ones are read
in the given zone), and epoch seconds or milliseconds (int, float or digit string).
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, tzinfo
from email.utils import parsedate_to_datetime

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


# Forms sites print that ISO 8601 parsing does not take (tried in order, naive).
_FORMS = ("%Y/%m/%d %H:%M:%S", "%Y/%m/%d %H:%M", "%Y/%m/%d", "%Y年%m月%d日 %H:%M:%S", "%Y年%m月%d日 %H:%M",
          "%Y年%m月%d日", "%d %b %Y %H:%M", "%b %d, %Y %I:%M %p", "%B %d, %Y")  # fmt: skip
_SPACES = re.compile(r"\s+")


def parse_published(value: object, tz: tzinfo, form: str | None = None) -> datetime | None:
    """A fetched item's date: ``None`` when there is none; ValueError when unreadable.

    ``form`` is the source's ``published_format``: ``epoch`` (seconds), ``epoch_ms``
    or a strptime format; without it ISO 8601, epochs, RFC 822 (feeds) and common
    site forms are tried. Naive times are in ``tz`` (the source's zone).
    """
    if value is None or value == "":
        return None
    if form in ("epoch", "epoch_ms"):
        try:
            number = float(value)  # type: ignore[arg-type]
        except (TypeError, ValueError):
            raise ValueError(f"not an epoch: {str(value)[:40]!r}") from None
        return _from_epoch(number / 1000 if form == "epoch_ms" else number)
    text = _SPACES.sub(" ", str(value)).strip()
    for pattern in ([form] if form else []):
        try:
            parsed = datetime.strptime(text, pattern)
        except ValueError:
            raise ValueError(f"{text[:40]!r} does not match {pattern!r}") from None
        return _checked(parsed if parsed.tzinfo else parsed.replace(tzinfo=tz), text)
    try:
        return parse_date(value if not isinstance(value, str) else text, tz)
    except ValueError:
        pass
    try:
        parsed = parsedate_to_datetime(text)
        return _checked(parsed if parsed.tzinfo else parsed.replace(tzinfo=tz), text)
    except (TypeError, ValueError, IndexError):
        pass
    for pattern in _FORMS:
        try:
            return _checked(datetime.strptime(text, pattern).replace(tzinfo=tz), text)
        except ValueError:
            continue
    raise ValueError(f"unrecognised date {text[:40]!r}")
