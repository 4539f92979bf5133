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

__all__ = ["Also", "Hit", "MAX_LIMIT", "count", "parse", "search"]

MAX_LIMIT = 1000
GROUP_READ = 3  # matches read per story wanted when grouping (stories hold several)
MAX_ALSO = 20  # other articles listed under a grouped result


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
    story: str = ""  # the story (cluster) the article belongs to
    language: str = ""
    also: list[Also] | None = None  # grouped searches: the story's other articles

    def as_json(self) -> dict[str, object]:
        data = asdict(self)
        data["published"] = self.published.isoformat()
        data["score"] = round(self.score, 6)
        if self.also is None:
            del data["also"]
        return data


@dataclass(slots=True)
class Also:
    """Another article of a result's story: listed under the result in grouped searches."""

    uuid: str
    title: str
    source: str
    language: str
    link: str


def search(
    store: Store,
    query: str | Query,
    *,
    limit: int = 10,
    where: ArticleFilter | None = None,
    newest: bool = False,
    offset: int = 0,
    expand: bool = True,
    group: bool = False,
) -> list[Hit]:
    """The best ``limit`` articles for ``query`` (``newest``: the newest matches), after
    skipping ``offset``; raises QueryError for a query that cannot be searched (the
    message says why). ``expand``: a company named in one language is searched in its
    others too (:mod:`.expand`). ``group``: one result per story, the best of its
    matches, with the story's other articles (whether they match or not) in ``also``;
    ``limit`` and ``offset`` then count stories."""
    parsed = parse(query, expand=expand) if isinstance(query, str) else query
    limit = max(1, min(limit, MAX_LIMIT))
    offset = max(0, offset)
    wanted, skipped = (min((offset + limit) * GROUP_READ, MAX_LIMIT), 0) if group else (limit, offset)
    ranked = store.search(
        _expression(store, parsed),
        where or ArticleFilter(),
        wanted,
        newest=newest,
        offset=skipped,
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
                story=article.cluster or uuid,
                language=article.language or "",
            )
        )
    return _grouped(store, hits)[offset : offset + limit] if group else hits


def _grouped(store: Store, hits: list[Hit]) -> list[Hit]:
    """The best hit of each story, in order, with the story's other articles."""
    firsts: dict[str, Hit] = {}
    for hit in hits:
        firsts.setdefault(hit.story, hit)
    stories = store.clusters_of(firsts)  # one read, without bodies
    for story, hit in firsts.items():
        members = stories.get(story, [])[::-1][: MAX_ALSO + 1]  # oldest first
        hit.also = [Also(a.uuid, a.title, a.source, a.language or "", a.link) for a in members if a.uuid != hit.uuid]
        hit.also = hit.also[:MAX_ALSO]
    return list(firsts.values())


def count(
    store: Store,
    query: str | Query,
    *,
    where: ArticleFilter | None = None,
    limit: int | None = None,
    expand: bool = True,
) -> int:
    """How many articles match ``query``, up to ``limit`` when given (QueryError and
    ``expand`` as for :func:`search`)."""
    parsed = parse(query, expand=expand) if isinstance(query, str) else query
    return store.search_count(_expression(store, parsed), where or ArticleFilter(), limit)


def _expression(store: Store, parsed: Query) -> str:
    return parsed.fts5() if store.dialect == "sqlite" else parsed.tsquery()
