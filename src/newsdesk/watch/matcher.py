"""All enabled watchlists, compiled once (their queries parsed, indexed by the tokens
a match must contain, their tickers by symbol), matched against one article at a time."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import datetime

from newsdesk.models import Article, Watchlist, in_language
from newsdesk.search import parse
from newsdesk.search.match import Document, QueryIndex
from newsdesk.tokens import article_tokens
from newsdesk.watch.schedule import due_at

__all__ = ["Watchers", "passes"]


class Watchers:
    def __init__(self, watchlists: Iterable[Watchlist], *, enabled_only: bool = True) -> None:
        self.watchlists = {w.name: w for w in watchlists if w.enabled or not enabled_only}
        self._queries = QueryIndex((w.name, parse(w.query)) for w in self.watchlists.values() if w.query)
        self._tickers: dict[str, set[str]] = defaultdict(set)
        self._sections: dict[str, set[str]] = defaultdict(set)  # of watchlists with no tickers and no query
        for watchlist in self.watchlists.values():
            for ticker in watchlist.tickers:
                self._tickers[ticker].add(watchlist.name)
            for section in () if watchlist.tickers or watchlist.query else watchlist.sections:
                self._sections[section].add(watchlist.name)
        self._releases = {  # calendar watchlists that match every release passing their filters
            w.name for w in self.watchlists.values() if (w.calendar or w.stars) and not (w.tickers or w.query)
        }

    def __bool__(self) -> bool:
        return bool(self.watchlists)

    def breaking(self) -> dict[str, tuple[int, int]]:
        """The watchlists in breaking mode: name → (outlets, minutes)."""
        return {w.name: (w.outlets, w.minutes) for w in self.watchlists.values() if w.mode == "breaking"}

    def due(self, name: str, now: datetime) -> datetime:
        """When an alert of watchlist ``name`` arising at ``now`` is to be sent."""
        return due_at(self.watchlists[name], now)

    def match(self, article: Article) -> list[str]:
        """Names of the watchlists ``article`` matches, sorted."""
        if not self.watchlists:
            return []
        found: set[str] = set()
        for ticker in article.tickers:
            found |= self._tickers.get(ticker, set())
        for section in article.sections:
            found |= self._sections.get(section, set())
        if article.event:
            found |= self._releases
        if len(self._queries):
            title, body = article.tokens or article_tokens(article.title, article.text)
            found |= {str(name) for name in self._queries.matching(Document(title, body))}
        return sorted(name for name in found if passes(self.watchlists[name], article))


def passes(watchlist: Watchlist, article: Article) -> bool:
    return (
        (not watchlist.sources or article.source in watchlist.sources)
        and (not watchlist.kinds or article.kind in watchlist.kinds)
        and (not watchlist.languages or any(in_language(article.language, lang) for lang in watchlist.languages))
        and (not watchlist.important_only or article.importance > 0)
        and (not watchlist.sections or not set(watchlist.sections).isdisjoint(article.sections))
        and (not (watchlist.calendar or watchlist.stars) or _release_passes(watchlist, article.event))
    )


def _release_passes(watchlist: Watchlist, event: tuple[str, int] | None) -> bool:
    """Whether a calendar release of (country, stars) ``event`` is one ``watchlist`` wants."""
    return (
        event is not None and (not watchlist.calendar or event[0] in watchlist.calendar) and event[1] >= watchlist.stars
    )
