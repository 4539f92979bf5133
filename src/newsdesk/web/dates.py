"""Date parameters of the API: RFC 3339 text with an offset, read here (pydantic would
also take a number, ``until=0.5``, as seconds since 1970); 422 for what is not such a
date, 400 for one beyond what a UTC datetime holds (9999-12-31 at -05:00)."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Annotated

from fastapi import HTTPException, Query

from newsdesk.sources.dates import representable

__all__ = ["When", "aware", "in_range"]

When = Annotated[str | None, Query(max_length=64, json_schema_extra={"format": "date-time"})]
_LEAP_SECOND = re.compile(r"(T\d\d:\d\d:)60")


def aware(text: str | None) -> datetime | None:
    """A date parameter; 422 unless RFC 3339 with an offset, 400 beyond what Python holds."""
    if text is None:
        return None
    try:
        value = datetime.fromisoformat(_LEAP_SECOND.sub(r"\g<1>59", text.strip().upper()))
    except ValueError:
        value = None
    if value is None or not value.tzinfo or "T" not in text.upper():
        raise HTTPException(422, f"not a date and time with its zone (2025-02-05T00:00:00+08:00): {text[:64]!r}")
    return in_range(value)


def in_range(value: datetime) -> datetime:
    """``value`` unless it falls outside what a UTC datetime can hold (9999-12-31 at -05:00)."""
    if not representable(value):
        raise HTTPException(400, f"date out of range: {value.isoformat()}")
    return value
