"""Validation of one seed-system record: ``{id, title, description, image, link,
pub_date, source, kind, language, author}`` into a :class:`Record`."""

from __future__ import annotations

import hashlib
import json
from datetime import tzinfo
from typing import Any

from newsdesk.errors import RecordError
from newsdesk.models import Record
from newsdesk.sources.dates import parse_date
from newsdesk.urls import safe_url

# The seed system's downstream loader turned any kind that is not an int into 1 (article).
DEFAULT_KIND = 1
MAX_LINK = 2048
MAX_TITLE = 1000
BAD_BYTES = "\U0010fffd"  # stands for undecodable input bytes, see sources.files


def link_uuid(link: str) -> str:
    """The seed system's identity of an article: md5 of its link."""
    return hashlib.md5(link.encode("utf-8")).hexdigest()


def normalize_kind(value: Any) -> tuple[int, str | None]:
    """Return (kind, raw kind as text or None); non-int kinds become 1, as upstream."""
    if value is None:
        return DEFAULT_KIND, None
    if isinstance(value, int) and not isinstance(value, bool):
        return value, None
    raw = str(value)
    stripped = raw.strip()
    if stripped.isdigit() and len(stripped) < 6:
        return int(stripped), raw
    return DEFAULT_KIND, raw


def _text(record: dict[str, Any], key: str, origin: str, *, limit: int | None = None) -> str | None:
    value = record.get(key)
    if value is None:
        return None
    if isinstance(value, int | float) and not isinstance(value, bool) and key == "id":
        return str(value)
    if not isinstance(value, str):
        raise RecordError(f"field {key!r} is a {type(value).__name__}, not text", where=origin)
    if BAD_BYTES in value:
        raise RecordError(f"invalid UTF-8 in field {key!r}", where=origin)
    if limit is not None and len(value) > limit:
        raise RecordError(f"field {key!r} is {len(value)} characters (limit {limit})", where=origin)
    return value.strip()


def _fingerprint(record: dict[str, Any]) -> str:
    body = json.dumps(record, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.md5(body.encode("utf-8", "surrogatepass")).hexdigest()


def parse_record(
    record: Any,
    origin: str,
    *,
    tz: tzinfo,
    default_source: str = "unknown",
    max_description_bytes: int = 5_000_000,
) -> Record:
    """Validate one input record; raise RecordError naming ``origin`` and the field."""
    if not isinstance(record, dict):
        raise RecordError(f"record is a {type(record).__name__}, not an object", where=origin)
    link = _text(record, "link", origin, limit=MAX_LINK)
    if not link:
        raise RecordError("no link", where=origin)
    if safe_url(link) is None:
        raise RecordError(f"link is not http(s): {link[:80]!r}", where=origin)
    title = _text(record, "title", origin, limit=MAX_TITLE)
    if not title:
        raise RecordError("no title", where=origin)
    description = _text(record, "description", origin) or ""
    size = len(description.encode("utf-8", "surrogatepass"))
    if size > max_description_bytes:
        raise RecordError(
            f"description is {size / 1e6:.1f} MB (limit {max_description_bytes / 1e6:.1f} MB)",
            where=origin,
        )
    published = None
    if record.get("pub_date") not in (None, ""):
        try:
            published = parse_date(record["pub_date"], tz)
        except ValueError as exc:
            raise RecordError(f"bad pub_date: {exc}", where=origin) from None
    kind, kind_raw = normalize_kind(record.get("kind"))
    image = _text(record, "image", origin, limit=MAX_LINK)
    return Record(
        uuid=link_uuid(link),
        link=link,
        title=title,
        description=description,
        source=_text(record, "source", origin, limit=200) or default_source,
        published=published,
        external_id=_text(record, "id", origin, limit=200),
        image=safe_url(image, link) if image else None,
        author=_text(record, "author", origin, limit=500) or None,
        language=_text(record, "language", origin, limit=20) or None,
        kind=kind,
        kind_raw=kind_raw,
        content_hash=_fingerprint(record),
        origin=origin,
    )
