"""Clean stage: untrusted HTML in, sanitized HTML, Markdown and plain text out.

Order matters: sanitize first, so that nothing downstream (Markdown, text,
templates) ever sees markup outside the allow-list.
"""

from __future__ import annotations

from datetime import UTC, datetime

from newsdesk.clean.lead import bracket_title, dateline_date, without_dateline
from newsdesk.clean.markdown import to_markdown
from newsdesk.clean.sanitize import sanitize
from newsdesk.clean.text import clean_title, headline, repair, summarize
from newsdesk.models import Article, Record
from newsdesk.plaintext import to_text

__all__ = ["clean_record", "clean_title", "headline", "repair", "sanitize", "summarize", "to_markdown", "to_text"]


def clean_record(record: Record, now: datetime) -> Article:
    """Turn a validated record into a cleaned Article.

    A flash whose body opens with a 【headline】 gets it as title (when it has none, or
    that one) and the body without it; a title-less record without one gets its text's
    first sentence, without the dateline it opens with. An undated record whose text
    opens with a dateline is dated that day (``dateline``); another sorts by ``now``
    (its first sighting) and is marked ``dated=False``, so that nobody shows that time
    as its publication. Raises CleanError for a body the sanitizer refuses.
    """
    title, body = clean_title(record.title), record.description
    lead = bracket_title(body)
    headline_of_lead = clean_title(lead[0]) if lead else ""
    if lead is not None and (not title or title == headline_of_lead):
        title, body = headline_of_lead, lead[1]
    html = repair(sanitize(body, base_url=record.link))
    text = to_text(html)
    title = title or without_dateline(headline(text))
    published = record.published or dateline_date(text, now, record.zone or UTC, record.context)
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
        published=published or now,
        dated=published is not None,
        dateline=record.published is None and published is not None,
        external_id=record.external_id,
        image=record.image,
        author=clean_title(record.author) if record.author else None,
        language=record.language,
        kind=record.kind,
        kind_raw=record.kind_raw,
        importance=record.importance,
        content_hash=record.content_hash,
        event=record.event,
    )
