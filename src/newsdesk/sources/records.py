"""Validation of one seed-system record: ``{id, title, description, image, link,
pub_date, source, kind, language, author, importance}`` into a :class:`Record`, and the
record a fetched item makes (:func:`seed_record`)."""

from __future__ import annotations

import hashlib
import json
import re
from datetime import datetime, tzinfo
from typing import Any

from newsdesk.errors import RecordError
from newsdesk.models import Record
from newsdesk.sources.catalog import Source
from newsdesk.sources.dates import parse_date
from newsdesk.urls import safe_url

# The seed system's downstream loader turned any kind that is not an int into 1 (article).
DEFAULT_KIND = 1
MAX_LINK = 2048
MAX_TITLE = 1000
MAX_ID = 200
_TAGS = re.compile(r"<[^>]*>|&nbsp;|\s+")
BAD_BYTES = "\U0010fffd"  # stands for undecodable input bytes, see sources.files
# C0 control characters but tab, newline and carriage return: no text needs them, PostgreSQL
# refuses NUL in text (one NUL failed a whole batch) and ESC sequences drive terminals.
CONTROLS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


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


def text_of(value: Any) -> str | None:
    """A field's value as text (None stays None)."""
    if value is None:
        return None
    return value if isinstance(value, str) else str(value)


def seed_record(source: Source, item: dict[str, Any], published: datetime | None) -> dict[str, Any]:
    """The seed-system record of a fetched ``item`` of ``source`` (its fields named as the
    source's ``fields`` say), for :func:`parse_record`."""
    return {
        "id": item.get("id"),
        "title": text_of(item.get("title")),
        "description": text_of(item.get("summary")) or "",
        "image": text_of(item.get("image")),
        "link": str(item["link"]),
        "source": source.name,
        "pub_date": published.isoformat() if published else None,
        "kind": source.item_kind,
        "importance": _mapped_importance(source, item.get("importance")),
        "language": source.language,
        "author": text_of(item.get("author")),
    }


def _mapped_importance(source: Source, value: Any) -> Any:
    """An item's importance as its source's ``importance`` mapping says (its raw value
    as text: ``"A"``, ``"2"``), else as it came (a number, made 0–2 by the record)."""
    if not source.importance or value is None:
        return value
    raw = str(int(value)) if isinstance(value, bool) else str(value).strip()
    return source.importance.get(raw, 0)


def importance_of(value: Any) -> int:
    """A record's ``importance``: 0 normal, 1 important, 2 top; a number or a numeric
    string is clamped to that range, ``true`` is 1, anything else 0."""
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, str) and value.strip().lstrip("-").isdigit() and len(value.strip()) < 6:
        value = int(value.strip())
    if isinstance(value, int | float) and value == value:  # not NaN
        return max(0, min(2, int(value)))
    return 0


def _text(record: dict[str, Any], key: str, *, limit: int | None = None) -> str | None:
    return field_text(record.get(key), limit=limit)


def field_text(value: Any, *, limit: int | None = None) -> str | None:
    """An untrusted field's value as text: numbers written out, other non-text values
    dropped, undecodable bytes as U+FFFD, control characters gone, overlong values cut at
    ``limit``."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        value = str(value)
    if not isinstance(value, str):
        return None
    text = CONTROLS.sub("", value.replace(BAD_BYTES, "\ufffd")).strip()
    return text[:limit] if limit is not None else text


def _identifier(record: dict[str, Any]) -> str | None:
    """The record's own id; one longer than a column holds (feed guids that are whole
    URLs with tracking) is kept as its digest rather than rejected."""
    value = _text(record, "id")
    if value and len(value) > MAX_ID:
        return "md5:" + hashlib.md5(value.encode("utf-8", "surrogatepass")).hexdigest()
    return value or None


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
    """Validate one input record; raise RecordError naming ``origin`` and the reason.

    A record is rejected only when it has no usable link, has neither a title nor a
    body, or its body is over the size limit; everything else is kept as well as it
    can be (a date that does not parse leaves the article undated)."""
    if not isinstance(record, dict):
        raise RecordError(f"record is a {type(record).__name__}, not an object", where=origin, reason="not an object")
    link = _text(record, "link")
    if not link:
        raise RecordError("no link", where=origin, reason="no link")
    if len(link) > MAX_LINK or safe_url(link) is None:
        raise RecordError(f"link is not an http(s) URL: {link[:80]!r}", where=origin, reason="no link")
    title = _text(record, "title", limit=MAX_TITLE) or ""
    description = _text(record, "description") or ""
    if not title and not _TAGS.sub("", description):
        raise RecordError("neither a title nor a body", where=origin, reason="no title or body")
    size = len(description.encode("utf-8", "surrogatepass"))
    if size > max_description_bytes:
        raise RecordError(
            f"description is {size / 1e6:.1f} MB (limit {max_description_bytes / 1e6:.1f} MB)",
            where=origin,
            reason="body too large",
        )
    published = None
    if record.get("pub_date") not in (None, ""):
        try:
            published = parse_date(record["pub_date"], tz)
        except ValueError:
            published = None  # undated rather than lost: first_seen stands in
    kind, kind_raw = normalize_kind(record.get("kind"))
    importance = importance_of(record.get("importance"))
    image = _text(record, "image")
    image = image if image and len(image) <= MAX_LINK else None
    return Record(
        uuid=link_uuid(link),
        link=link,
        title=title,
        description=description,
        source=_text(record, "source", limit=200) or default_source,
        published=published,
        external_id=_identifier(record),
        image=safe_url(image, link) if image else None,
        author=_text(record, "author", limit=500) or None,
        language=_text(record, "language", limit=20) or None,
        kind=kind,
        kind_raw=kind_raw,
        importance=importance,
        content_hash=_fingerprint(record),
        origin=origin,
        zone=tz,
    )
