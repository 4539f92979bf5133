"""Search stage: Chinese-aware full-text search over the store.

    >>> from newsdesk.search import search
    >>> hits = search(store, '美联储 "rate cut" -crypto', limit=10, where=ArticleFilter(lang="zh"))

The query language is described in :mod:`newsdesk.search.query`; tokens in
:mod:`newsdesk.tokens`. The CLI and the web app both call :func:`search`.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import datetime
from functools import partial
from typing import TYPE_CHECKING

from newsdesk.models import ArticleFilter
from newsdesk.search.match import title_scores
from newsdesk.search.query import Query, parse
from newsdesk.search.snippet import snippet

if TYPE_CHECKING:  # the store imports the tokenizer from this package
    from newsdesk.store import Store

__all__ = ["Hit", "MAX_LIMIT", "count", "parse", "search"]

MAX_LIMIT = 1000


@dataclass(slots=True)
class Hit:
    """One search result; ``as_json`` is the stable ``--json`` / API shape."""

    uuid: str
    link: str
    title: str
    source: str
    published: datetime
    score: float
    snippet: str  # HTML-escaped text with matches in <mark>…</mark>

    def as_json(self) -> dict[str, object]:
        data = asdict(self)
        data["published"] = self.published.isoformat()
        data["score"] = round(self.score, 6)
        return data


def search(
    store: Store,
    query: str | Query,
    *,
    limit: int = 10,
    where: ArticleFilter | None = None,
    newest: bool = False,
    offset: int = 0,
) -> list[Hit]:
    """The best ``limit`` articles for ``query`` (``newest``: the newest matches), after
    skipping ``offset``; raises QueryError for a query that cannot be searched (the
    message says why)."""
    parsed = parse(query) if isinstance(query, str) else query
    limit = max(1, min(limit, MAX_LIMIT))
    ranked = store.search(
        _expression(store, parsed),
        where or ArticleFilter(),
        limit,
        newest=newest,
        offset=max(0, offset),
        rank=partial(title_scores, parsed),
    )
    found = store.get_many((uuid for uuid, _ in ranked), markup=False)
    hits = []
    for uuid, score in ranked:
        article = found.get(uuid)
        if article is None:  # deleted between the two reads
            continue
        hits.append(
            Hit(
                uuid=uuid,
                link=article.link,
                title=article.title,
                source=article.source,
                published=article.published,
                score=score,
                snippet=snippet(article.text or article.title, parsed.highlight),
            )
        )
    return hits


def count(store: Store, query: str | Query, *, where: ArticleFilter | None = None, limit: int | None = None) -> int:
    """How many articles match ``query``, up to ``limit`` when given (QueryError as
    for :func:`search`)."""
    parsed = parse(query) if isinstance(query, str) else query
    return store.search_count(_expression(store, parsed), where or ArticleFilter(), limit)


def _expression(store: Store, parsed: Query) -> str:
    return parsed.fts5() if store.dialect == "sqlite" else parsed.tsquery()
