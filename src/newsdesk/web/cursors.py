"""The API's cursors, in URL-safe base64 (a bad one is a 400): keyset cursors of article
lists (the last article's publication time and uuid) and offset cursors of ranked lists
(top stories, whose order is one ranking's)."""

from __future__ import annotations

import base64
import binascii
import re
from datetime import datetime

from fastapi import HTTPException

from newsdesk.models import Article
from newsdesk.web.dates import in_range

__all__ = ["UUID", "decode", "decode_offset", "encode", "encode_offset"]

UUID = re.compile(r"[0-9a-f]{32}")


def _pack(raw: str) -> str:
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def _unpack(cursor: str) -> str:
    """The text of a cursor; ValueError when it is not one."""
    try:
        return base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
    except (binascii.Error, UnicodeDecodeError) as exc:
        raise ValueError(cursor) from exc


def encode(article: Article) -> str:
    return _pack(f"{article.published.isoformat()}|{article.uuid}")


def decode(cursor: str | None) -> tuple[datetime, str] | None:
    if not cursor:
        return None
    try:
        raw = _unpack(cursor)
        published, uuid = raw.split("|")
        when = datetime.fromisoformat(published)
        if when.tzinfo is None or not UUID.fullmatch(uuid):
            raise ValueError(raw)
    except ValueError:
        raise HTTPException(400, "bad cursor") from None
    return in_range(when), uuid


def encode_offset(offset: int) -> str:
    return _pack(f"o{offset}")


def decode_offset(cursor: str | None) -> int:
    """The position an offset cursor names (0 without one)."""
    if not cursor:
        return 0
    try:
        raw = _unpack(cursor)
    except ValueError:
        raw = ""
    if not (raw.startswith("o") and raw[1:].isdigit() and len(raw) < 9):
        raise HTTPException(400, "bad cursor")
    return int(raw[1:])
