"""Enrich stage: what newsdesk learns about a cleaned article.

* ``language`` — the record's, unless missing or contradicted by the text;
* ``tickers`` — from the raw markup, the title and the text (:mod:`.tickers`);
* ``tags`` — the tickers, up to five topic keywords (:mod:`.tags`; none that only
  repeats a ticker or its company's name, none that names an agency), the agencies
  credited (:mod:`newsdesk.agencies`), the source;
* ``minhash`` — the near-duplicate signature the store clusters by (:mod:`newsdesk.minhash`);
* ``mentions`` — the entities, figures and names that link it to reports of the same
  event in another language (:mod:`.mentions`);
* ``tokens`` — the search tokens the store indexes (made here, in the import
  workers, rather than in the process that writes the database).

Bump :data:`VERSION` when any of these changes: ``newsdesk reindex`` then
rebuilds every article enriched with an older version.
"""

from __future__ import annotations

from functools import cache

from newsdesk import agencies, minhash
from newsdesk.enrich import language, mentions, sections, tags, tickers
from newsdesk.models import Article, canonical_language, tag_kinds
from newsdesk.tokens import article_tokens

__all__ = ["VERSION", "enrich", "tag_kinds", "warm"]

# 2: agency tags, one spelling per ticker, jieba's user dictionary; 3: mentions; 4: languages, foreign listings;
# 5: Latin names against CJK text, events paired within a sentence, headline names
VERSION = 5


def enrich(article: Article) -> Article:
    """Fill ``language``, ``tickers``, ``tags`` and ``minhash`` of ``article`` (in place)."""
    found = language.resolve(article.language, article.title, article.text)
    article.language = canonical_language(found) if found else None
    article.tickers = tickers.extract(article.raw_html, article.title, article.text)
    article.sections = sections.sections(article.title, article.text, article.tickers)
    topics = [t for t in tags.topics(article.title, article.text, article.language) if not _repeats(t, article.tickers)]
    credited = agencies.mentioned(article.title, article.text)
    article.tags = list(
        dict.fromkeys([*article.tickers, *topics, *credited, agencies.canonical(article.source) or article.source])
    )
    article.minhash = minhash.signature(article.title, article.text)
    article.mentions = mentions.mentions(article.title, article.text)
    article.headline = mentions.headline(article.title, article.text)
    article.tokens = article_tokens(article.title, article.text)
    article.enriched = VERSION
    return article


def _repeats(topic: str, symbols: list[str]) -> bool:
    """Whether ``topic`` says nothing beyond a ticker: the symbol in any case, its
    company's name (英伟达 beside NVDA), or an agency's name."""
    if topic.upper() in symbols or agencies.canonical(topic):
        return True
    chinese, _ = tickers.aliases()
    named = chinese.get(topic, None) or (None, _english_names().get(topic.lower()))
    return named[1] in symbols


@cache
def _english_names() -> dict[str, str]:
    return {name.lower(): symbol for name, symbol in tickers.aliases()[1].items()}


def warm() -> None:
    """Load every model and table now. Called before forking import workers, so
    that they share these pages with the parent instead of loading their own."""
    language.detect("The quarter was strong and revenue grew faster than expected.")
    tags.topics("Apple results beat estimates", "The quarter was strong.", "en")
    tags.topics("苹果公司发布财报", "季度业绩强劲。", "zh-CN")
    tickers.from_text("苹果公司 Apple (AAPL)", title="Apple")
    minhash.signature("warm", "warm up the minhash permutations")
    mentions.mentions("Fed holds rates", "美联储维持利率不变")
