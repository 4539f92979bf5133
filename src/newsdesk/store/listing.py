"""Article listings for the web app and the API: filters, newest first, keyset cursors."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa

from newsdesk.models import ArticleFilter
from newsdesk.store.schema import article_tags, articles

__all__ = ["conditions", "page_query"]


def conditions(where: ArticleFilter) -> list[sa.ColumnElement[bool]]:
    """SQLAlchemy conditions on ``articles`` for an :class:`ArticleFilter`."""
    found: list[sa.ColumnElement[bool]] = []
    c = articles.c
    if where.source:
        found.append(c.source == where.source)
    if where.lang:
        found.append(sa.or_(c.language == where.lang, c.language.like(where.lang_pattern)))
    if where.since:
        found.append(c.published >= where.since)
    if where.until:
        found.append(c.published <= where.until)
    for value, kind in ((where.ticker, "ticker"), (where.tag, None)):
        if value:
            tagged = sa.select(article_tags.c.uuid).where(
                article_tags.c.uuid == c.uuid, article_tags.c.tag == (value.upper() if kind else value)
            )
            if kind:
                tagged = tagged.where(article_tags.c.kind == kind)
            found.append(sa.exists(tagged))
    return found


def page_query(where: ArticleFilter, limit: int, after: tuple[datetime, str] | None = None) -> sa.Select[tuple]:
    """Newest first; ``after`` is the (published, uuid) of the last row already seen."""
    query = articles.select().where(*conditions(where))
    if after:
        published, uuid = after
        query = query.where(
            sa.or_(articles.c.published < published, sa.and_(articles.c.published == published, articles.c.uuid < uuid))
        )
    return query.order_by(articles.c.published.desc(), articles.c.uuid.desc()).limit(limit)
