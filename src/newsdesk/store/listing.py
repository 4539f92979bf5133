"""Article listings for the web app and the API: filters, newest first, keyset cursors.

Every condition can use an index: the tag and ticker filters look the articles up in
``article_tags`` by tag; the language filter is a range over ``(language, published)``
(``zh`` is ``zh`` and everything from ``zh-`` to ``zh.``). A page picks its uuids first
and reads only those rows, without the bodies: skipping to page 900 never reads the
bodies of the 9,000 articles before it."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa

from newsdesk.models import ArticleFilter, canonical_language
from newsdesk.store.schema import article_tags, articles

__all__ = ["conditions", "page_query"]


def conditions(where: ArticleFilter) -> list[sa.ColumnElement[bool]]:
    """SQLAlchemy conditions on ``articles`` for an :class:`ArticleFilter`."""
    found: list[sa.ColumnElement[bool]] = []
    c = articles.c
    if where.source:
        found.append(c.source == where.source)
    if where.lang:
        lang = canonical_language(where.lang)
        found.append(sa.or_(c.language == lang, sa.and_(c.language >= lang + "-", c.language < lang + ".")))
    if where.since:
        found.append(c.published >= where.since)
    if where.until:
        found.append(c.published <= where.until)
    for value, kind in ((where.ticker, "ticker"), (where.tag, None)):
        if value:
            tagged = sa.select(article_tags.c.uuid).where(article_tags.c.tag == (value.upper() if kind else value))
            if kind:
                tagged = tagged.where(article_tags.c.kind == kind)
            found.append(c.uuid.in_(tagged))
    return found


def page_query(
    where: ArticleFilter,
    limit: int,
    after: tuple[datetime, str] | None = None,
    *,
    offset: int = 0,
    skip: tuple[str, ...] = (),
) -> sa.Select[tuple[Any, ...]]:
    """Newest first; ``after`` is the (published, uuid) of the last row already seen;
    the columns named in ``skip`` are left out."""
    c = articles.c
    chosen = sa.select(c.uuid).where(*conditions(where))
    if after:
        published, uuid = after
        chosen = chosen.where(sa.or_(c.published < published, sa.and_(c.published == published, c.uuid < uuid)))
    chosen = chosen.order_by(c.published.desc(), c.uuid.desc()).limit(limit).offset(offset or None)
    columns = [col for col in c if col.name not in skip]
    return sa.select(*columns).where(c.uuid.in_(chosen)).order_by(c.published.desc(), c.uuid.desc())
