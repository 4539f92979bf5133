"""The API's keyset cursors: the last article's publication time and uuid, in URL-safe
base64 (a bad one is a 400)."""

from __future__ import annotations

import base64
import re
from datetime import datetime

from fastapi import HTTPException

from newsdesk.models import Article
from newsdesk.web.dates import in_range

__all__ = ["decode", "encode"]

_UUID = re.compile(r"[0-9a-f]{32}")


def encode(article: Article) -> str:
    raw = f"{article.published.isoformat()}|{article.uuid}".encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode(cursor: str | None) -> tuple[datetime, str] | None:
    if not cursor:
        return None
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        published, uuid = raw.split("|")
        when = datetime.fromisoformat(published)
        if when.tzinfo is None or not _UUID.fullmatch(uuid):
            raise ValueError(raw)
    except ValueError:
        raise HTTPException(400, "bad cursor") from None
    return in_range(when), uuid
