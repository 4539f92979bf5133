"""What list pages, widgets, feeds and the static search index need of an article:
an :class:`Entry` (no body; the body stays in the store), made by :func:`entry`."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from newsdesk.models import Article
from newsdesk.publish.hugo import slug as article_slug
from newsdesk.publish.keys import digest

__all__ = ["Entry", "entry", "page_path"]


@dataclass(slots=True, frozen=True)
class Entry:
    """What list pages, widgets and feeds need of an article (the body stays in the store)."""

    uuid: str
    title: str
    link: str
    source: str
    language: str
    published: datetime
    summary: str
    image: str
    tags: tuple[str, ...]
    cluster: str
    version: str = ""  # changes whenever anything an article page shows changes
    dated: bool = True  # false: ``published`` is when newsdesk first saw it
    kind: int = 1  # the seed system's item kind: 2 is a flash (a line of news, no headline of its own)
    importance: int = 0  # 1 important, 2 top, as its source marked it

    @property
    def path(self) -> str:
        return page_path(self.uuid)


def page_path(uuid: str) -> str:
    """An article's page, a file of its own rather than a folder's index: one folder
    less per article (a 4 KiB block each on disk), and links that work when the site
    is opened from disk. The served app answers at the same address."""
    return f"posts/{uuid}.html"


def entry(article: Article) -> Entry:
    version = digest(article.content_hash, article.updated, article.enriched, article.tickers, article.author)
    return Entry(
        uuid=article_slug(article),
        title=article.title,
        link=article.link,
        source=article.source,
        language=article.language or "",
        published=article.published,
        summary=article.summary,
        image=article.image or "",
        tags=tuple(dict.fromkeys([*(article.tags or [article.source]), *article.sections])),  # sections: lists too
        cluster=article.cluster or article.uuid,
        version=version,
        dated=article.dated,
        kind=article.kind,
        importance=article.importance,
    )
