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

__all__ = ["conditions", "count_query", "page_query"]


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


def _tagged(where: ArticleFilter, column: sa.ColumnElement[Any]) -> sa.Select[tuple[Any, ...]] | None:
    """``column`` of the ``article_tags`` rows of the one tag (or ticker) of a filter of
    one tag and dates only (a tag page); else None."""
    if bool(where.tag) == bool(where.ticker) or where.source or where.lang:
        return None
    t = article_tags.c
    chosen = sa.select(column).where(t.tag == (where.ticker.upper() if where.ticker else where.tag))
    if where.ticker:
        chosen = chosen.where(t.kind == "ticker")
    if where.since:
        chosen = chosen.where(t.published >= where.since)
    if where.until:
        chosen = chosen.where(t.published <= where.until)
    return chosen


def count_query(where: ArticleFilter) -> sa.Select[Any]:
    """How many articles a filter lists: a tag page counts its range of ``article_tags``
    (an index alone) instead of looking each uuid up in ``articles``."""
    tagged = _tagged(where, sa.func.count())
    if tagged is not None:
        return tagged
    return sa.select(sa.func.count()).select_from(articles).where(*conditions(where))


def _tag_page(where: ArticleFilter, after: tuple[datetime, str] | None) -> sa.Select[tuple[Any, ...]] | None:
    """A tag's (or ticker's) newest uuids as a range of the ``(tag, published, uuid)``
    index, when the filter is one tag and dates only (a tag page); else None."""
    chosen = _tagged(where, article_tags.c.uuid)
    if chosen is None:
        return None
    t = article_tags.c
    if after:
        published, uuid = after
        chosen = chosen.where(sa.or_(t.published < published, sa.and_(t.published == published, t.uuid < uuid)))
    return chosen.order_by(t.published.desc(), t.uuid.desc())


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
    chosen = _tag_page(where, after)
    if chosen is None:
        chosen = sa.select(c.uuid).where(*conditions(where))
        if after:
            published, uuid = after
            chosen = chosen.where(sa.or_(c.published < published, sa.and_(c.published == published, c.uuid < uuid)))
        chosen = chosen.order_by(c.published.desc(), c.uuid.desc())
    chosen = chosen.limit(limit).offset(offset or None)
    columns = [col for col in c if col.name not in skip]
    return sa.select(*columns).where(c.uuid.in_(chosen)).order_by(c.published.desc(), c.uuid.desc())
