"""JSON Lines export: one article per line, for scripts and other tools."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from typing import IO

from newsdesk.config import Settings
from newsdesk.models import Article

FIELDS = (
    "uuid",
    "link",
    "title",
    "source",
    "language",
    "kind",
    "published",
    "summary",
    "text",
    "html",
    "markdown",
    "image",
    "author",
    "tags",
    "tickers",
    "cluster",
    "first_seen",
    "importance",
    "dateline",  # the date is the day the text's dateline names (no source gave one)
    "sections",  # newsdesk.enrich.sections: one to three, best first
)
# ``story``: the story an article belongs to (newsdesk.stories; today its near-duplicate cluster).


def article_json(article: Article, settings: Settings) -> dict[str, object]:
    """The stable JSON form of an article; ``published`` is ISO 8601 with offset, or
    null when no source gave one (``first_seen`` tells when newsdesk first saw it)."""
    row: dict[str, object] = {name: getattr(article, name) for name in FIELDS}
    row["published"] = article.published.astimezone(settings.tz).isoformat() if article.dated else None
    seen = article.first_seen or (None if article.dated else article.published)
    row["first_seen"] = seen.astimezone(settings.tz).isoformat() if seen else None
    row["story"] = article.cluster or article.uuid
    return row


def export_jsonl(
    articles: Iterable[Article],
    out: IO[str],
    settings: Settings,
    *,
    on_article: Callable[[Article], None] | None = None,
) -> int:
    count = 0
    for article in articles:
        out.write(json.dumps(article_json(article, settings), ensure_ascii=False) + "\n")
        count += 1
        if on_article:
            on_article(article)
    return count
