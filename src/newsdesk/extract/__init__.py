"""Extract stage: what a fetched detail page holds — its article body, title and date.

* :func:`main_content` — the body when a source names no selector: candidates of
  trafilatura and a text-density extractor, chosen by a quality gate (:mod:`.body`);
* :func:`page_title`, :func:`page_date` — the page's own headline and publication
  time, for items whose list gave none (:mod:`.page`).
"""

from __future__ import annotations

from newsdesk.extract.body import Body, main_content, quality
from newsdesk.extract.page import page_date, page_title

__all__ = ["Body", "main_content", "page_date", "page_title", "quality"]
