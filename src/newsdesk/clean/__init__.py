"""Clean stage: untrusted HTML in, sanitized HTML, Markdown and plain text out.

Order matters: sanitize first, so that nothing downstream (Markdown, text,
templates) ever sees markup outside the allow-list.
"""

from __future__ import annotations

from datetime import datetime

from newsdesk.clean.markdown import to_markdown
from newsdesk.clean.sanitize import sanitize
from newsdesk.clean.text import clean_title, headline, repair, summarize
from newsdesk.models import Article, Record
from newsdesk.plaintext import to_text

__all__ = ["clean_record", "clean_title", "headline", "repair", "sanitize", "summarize", "to_markdown", "to_text"]


def clean_record(record: Record, now: datetime) -> Article:
    """Turn a validated record into a cleaned Article.

    An undated record sorts by ``now`` (its first sighting) and is marked
    ``dated=False``, so that nobody shows that time as its publication. A
    title-less record (a flash) gets its text's first sentence as title.
    Raises CleanError for a body the sanitizer refuses.
    """
    html = repair(sanitize(record.description, base_url=record.link))
    text = to_text(html)
    title = clean_title(record.title) or headline(text)
    return Article(
        uuid=record.uuid,
        link=record.link,
        source=record.source,
        title=title,
        raw_html=record.description,
        html=html,
        markdown=to_markdown(html),
        text=text,
        summary=summarize(text, fallback=title),
        published=record.published or now,
        dated=record.published is not None,
        external_id=record.external_id,
        image=record.image,
        author=clean_title(record.author) if record.author else None,
        language=record.language,
        kind=record.kind,
        kind_raw=record.kind_raw,
        importance=record.importance,
        content_hash=record.content_hash,
    )
