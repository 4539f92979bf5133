"""Article listings for the web app and the API: filters, newest first, keyset cursors.

Every condition can use an index: the tag and ticker filters look the articles up in
``article_tags`` by tag; the language filter is a range over ``(language, published)``
(``zh`` is ``zh`` and everything from ``zh-`` to ``zh.``), and a page of a language
walks that index newest first for each stored value of it. A page picks its uuids first
and reads only those rows, without the bodies: skipping to page 900 never reads the
bodies of the 9,000 articles before it."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from typing import Any

import sqlalchemy as sa

from newsdesk.models import ArticleFilter, canonical_language, in_language
from newsdesk.store.schema import article_tags, articles

__all__ = [
    "conditions",
    "count_query",
    "distinct",
    "language_forms",
    "languages",
    "page_query",
    "small_tag",
    "times_query",
]


def conditions(where: ArticleFilter) -> list[sa.ColumnElement[bool]]:
    """SQLAlchemy conditions on ``articles`` for an :class:`ArticleFilter`."""
    found: list[sa.ColumnElement[bool]] = []
    c = articles.c
    if where.source:
        found.append(c.source == where.source)
    if where.lang:
        found.append(sa.or_(*language_forms(where.lang)))
    if where.since:
        found.append(c.published >= where.since)
    if where.until:
        found.append(c.published <= where.until)
    if where.importance:
        # "> 0" as the partial index ix_articles_important says it: SQLite uses a partial
        # index only when the query repeats its condition.
        found.append(c.importance > 0)
        if where.importance > 1:
            found.append(c.importance >= where.importance)
    for value, kind in ((where.ticker, "ticker"), (where.tag, None), (where.section, "section")):
        if value:
            tagged = sa.select(article_tags.c.uuid).where(
                article_tags.c.tag == (value.upper() if kind == "ticker" else value)
            )
            if kind:
                tagged = tagged.where(article_tags.c.kind == kind)
            found.append(c.uuid.in_(tagged))
    return found


SMALL_TAG = 5000  # a tag of fewer articles leads a list filtered by it and by a source or language


def small_tag(conn: sa.Connection, where: ArticleFilter) -> bool:
    """Whether the one tag (or ticker) of a filter that also names a source or a
    language holds fewer than :data:`SMALL_TAG` articles (counted up to there, in its
    index). Then the list walks the tag's articles in date order and checks the
    others on each (NVDA in English: 1,500 articles, not 400,000); a larger tag is
    a condition on the walk of the source's or language's articles instead."""
    chosen = _tag_rows(where, sa.literal(1))
    if chosen is None or not (where.source or where.lang):
        return False
    found = conn.execute(sa.select(sa.func.count()).select_from(chosen.limit(SMALL_TAG).subquery())).scalar_one()
    return int(found) < SMALL_TAG


def _tag_rows(where: ArticleFilter, column: sa.ColumnElement[Any]) -> sa.Select[tuple[Any, ...]] | None:
    if bool(where.tag) == bool(where.ticker):
        return None
    t = article_tags.c
    chosen = sa.select(column).where(t.tag == (where.ticker.upper() if where.ticker else where.tag))
    return chosen.where(t.kind == "ticker") if where.ticker else chosen


def _tagged(
    where: ArticleFilter, column: sa.ColumnElement[Any], small: bool = False
) -> sa.Select[tuple[Any, ...]] | None:
    """``column`` of the ``article_tags`` rows of the one tag (or ticker) of a filter
    of one tag and dates only (a tag page), or also a source or language when the
    tag is ``small`` (:func:`small_tag`: those are checked on each of its articles);
    else None."""
    chosen = _tag_rows(where, column)
    if chosen is None or ((where.source or where.lang) and not small):
        return None
    t = article_tags.c
    if where.since:
        chosen = chosen.where(t.published >= where.since)
    if where.until:
        chosen = chosen.where(t.published <= where.until)
    if where.source or where.lang or where.importance:  # checked on each of the tag's articles
        others = conditions(ArticleFilter(source=where.source, lang=where.lang, importance=where.importance))
        chosen = chosen.select_from(article_tags.join(articles, articles.c.uuid == t.uuid)).where(*others)
    return chosen


def times_query(where: ArticleFilter) -> sa.Select[Any]:
    """The publication times of the articles a filter selects: a tag's (a ticker
    page's articles per day) from the tag's own index, not its articles' rows."""
    tagged = _tagged(where, article_tags.c.published)
    return tagged if tagged is not None else sa.select(articles.c.published).where(*conditions(where))


def count_query(where: ArticleFilter, small: bool = False) -> sa.Select[Any]:
    """How many articles a filter lists: a tag page counts its range of ``article_tags``
    (an index alone) instead of looking each uuid up in ``articles``; ``small``: see
    :func:`small_tag`."""
    tagged = _tagged(where, sa.func.count(), small)
    if tagged is not None:
        return tagged
    if not where.lang or where.ticker or where.tag:
        return sa.select(sa.func.count()).select_from(articles).where(*conditions(where))
    # A language's own form and its regional ones are two disjoint ranges, counted
    # apart: under one OR SQLite collects and dedupes every rowid (62 ms against 30 for
    # 701,000 English articles). Not with a tag: each half then tests every article
    # of the language for the tag (3x slower at 1M).
    others = conditions(replace(where, lang=None))
    counts = [
        sa.select(sa.func.count()).select_from(articles).where(form, *others).scalar_subquery()
        for form in language_forms(where.lang)
    ]
    return sa.select(counts[0] + counts[1])


def language_forms(
    lang: str, column: sa.ColumnElement[Any] = articles.c.language
) -> tuple[sa.ColumnElement[bool], sa.ColumnElement[bool]]:
    """The language itself and its regional forms (``zh``: ``zh``, then ``zh-CN``,
    ``zh-TW`` …) as conditions on ``column``, a column of stored language values."""
    lang = canonical_language(lang)
    return column == lang, sa.and_(column >= lang + "-", column < lang + ".")


def _tag_page(
    where: ArticleFilter, after: tuple[datetime, str] | None, newest: bool, small: bool
) -> sa.Select[tuple[Any, ...]] | None:
    """A tag's (or ticker's) uuids, newest (or oldest) first, as a range of the ``(tag,
    published, uuid)`` index, when the tag leads the list (:func:`_tagged`); else None."""
    chosen = _tagged(where, article_tags.c.uuid, small)
    if chosen is None:
        return None
    t = article_tags.c
    if after:
        published, uuid = after
        chosen = chosen.where(sa.or_(t.published < published, sa.and_(t.published == published, t.uuid < uuid)))
    return chosen.order_by(*_order(t.published, t.uuid, newest))


def _order(published: Any, uuid: Any, newest: bool) -> tuple[Any, Any]:
    return (published.desc(), uuid.desc()) if newest else (published.asc(), uuid.asc())


def languages(conn: sa.Connection, lang: str) -> list[str]:
    """The stored languages a filter of ``lang`` takes (``zh``: ``zh-CN``, ``zh-HK`` …)."""
    lang = canonical_language(lang)
    values = distinct(conn, "articles", "language", lang, lang + ".")  # "-" sorts before "."
    return [value for value in values if in_language(value, lang)]


def distinct(conn: sa.Connection, table: str, column: str, low: str, high: str, limit: int = 1000) -> list[str]:
    """The values of ``column`` from ``low`` up to (not including) ``high``, at most
    ``limit``, found by skipping through an index that starts with the column, a seek
    a value: not a read of every row of the range (a tag's holds a row per article)."""
    found = sa.text(
        f"WITH RECURSIVE v(value, n) AS ("
        f" SELECT min({column}), 1 FROM {table} WHERE {column} >= :low AND {column} < :high"
        f" UNION ALL SELECT (SELECT min(t.{column}) FROM {table} t WHERE t.{column} > v.value"
        f" AND t.{column} < :high), v.n + 1 FROM v WHERE v.value IS NOT NULL AND v.n < :limit"
        f") SELECT value FROM v WHERE value IS NOT NULL"
    )
    return list(conn.execute(found, {"low": low, "high": high, "limit": limit}).scalars())


def page_query(
    where: ArticleFilter,
    limit: int,
    after: tuple[datetime, str] | None = None,
    *,
    offset: int = 0,
    skip: tuple[str, ...] = (),
    languages: list[str] | None = None,
    total: int | None = None,
    small: bool = False,
) -> sa.Select[tuple[Any, ...]]:
    """Newest first; ``after`` is the (published, uuid) of the last row already seen;
    the columns named in ``skip`` are left out. ``languages``: the stored languages of
    a language filter (:func:`languages`), each read newest first down its own range
    of the ``(language, published)`` index and merged, instead of every article of
    the language sorted (80 ms for English at 100,000 articles). ``total``: the
    list's size; a page in its older half is then read from the oldest end (the
    rows still come newest first), so the oldest page of a long list skips few rows
    instead of nearly all of them. ``small``: see :func:`small_tag`."""
    c = articles.c
    newest = total is None or after is not None or 2 * offset + limit <= total
    if not newest:
        limit = max(0, min(limit, total - offset))  # type: ignore[operator]  # total is given
        offset = max(0, total - offset - limit)  # type: ignore[operator]
    chosen = _tag_page(where, after, newest, small)
    if chosen is None and where.lang and languages is not None:
        chosen = _merged(where, languages, after, offset + limit, newest)
    elif chosen is None:
        chosen = _newest(sa.select(c.uuid).where(*conditions(where)), after, newest)
    chosen = chosen.limit(limit).offset(offset or None)
    columns = [col for col in c if col.name not in skip]
    return sa.select(*columns).where(c.uuid.in_(chosen)).order_by(c.published.desc(), c.uuid.desc())


def _newest(chosen: sa.Select[Any], after: tuple[datetime, str] | None, newest: bool = True) -> sa.Select[Any]:
    c = articles.c
    if after:
        published, uuid = after
        chosen = chosen.where(sa.or_(c.published < published, sa.and_(c.published == published, c.uuid < uuid)))
    return chosen.order_by(*_order(c.published, c.uuid, newest))


def _merged(
    where: ArticleFilter, values: list[str], after: tuple[datetime, str] | None, wanted: int, newest: bool
) -> sa.Select[tuple[Any, ...]]:
    """The newest (or oldest) ``wanted`` uuids of each language value, merged in that order."""
    c = articles.c
    others = conditions(replace(where, lang=None))
    if len(values) == 1:  # one stored form: its own range of the index, nothing to merge
        return _newest(sa.select(c.uuid).where(c.language == values[0], *others), after, newest)
    branches = [
        _newest(sa.select(c.uuid, c.published).where(c.language == value, *others), after, newest)
        .limit(wanted)
        .subquery()
        for value in values or [canonical_language(where.lang or "")]
    ]
    merged = sa.union_all(*[sa.select(b.c.uuid, b.c.published) for b in branches]).subquery()
    return sa.select(merged.c.uuid).order_by(*_order(merged.c.published, merged.c.uuid, newest))
