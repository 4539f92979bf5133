"""Matching parsed queries against one article in memory, with the semantics of the
search index: the same tokens (:func:`newsdesk.tokens.article_tokens`), a phrase
within the title or within the body, a single CJK character as a prefix, OR inside an
AND, exclusions. Watchlists use it at ingest; a query matches an article here exactly
when ``search`` would find that article.

Many queries against one article: :class:`Document` indexes the article once, and
:class:`QueryIndex` keeps each query under the tokens one of which a match must
contain, so an article is checked only against the queries it could match.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Hashable, Iterable, Sequence

from newsdesk.search.query import Item, Phrase, Query

__all__ = ["Document", "QueryIndex", "matches", "title_scores"]

_PREFIX = "\x00"  # marks an anchor that is a first character (a one-character CJK query)


class Document:
    """An article's title and body tokens, by position (space-separated, as indexed)."""

    __slots__ = ("_fields", "anchors")

    def __init__(self, title_tokens: str, body_tokens: str) -> None:
        self._fields: list[dict[str, set[int]]] = []
        for text in (title_tokens, body_tokens):
            positions: dict[str, set[int]] = defaultdict(set)
            for place, token in enumerate(text.split()):
                positions[token].add(place)
            self._fields.append(positions)
        vocabulary = {token for field in self._fields for token in field}
        self.anchors = vocabulary | {_PREFIX + token[0] for token in vocabulary}

    def has(self, phrase: Phrase) -> bool:
        first, rest = phrase.tokens[0], phrase.tokens[1:]
        for positions in self._fields:
            if phrase.prefix:
                if any(token.startswith(first) for token in positions):
                    return True
                continue
            for start in positions.get(first, ()):
                if all(start + offset in positions.get(token, ()) for offset, token in enumerate(rest, 1)):
                    return True
        return False


def _item(document: Document, item: Item) -> bool:
    return all(document.has(phrase) for phrase in item)


def matches(query: Query, document: Document) -> bool:
    """Whether ``search`` would find ``document`` for ``query``."""
    return all(any(_item(document, item) for item in group) for group in query.groups) and not any(
        _item(document, item) for item in query.excluded
    )


ADDED = 0.8


def title_scores(query: Query, titles: Sequence[str]) -> list[float]:
    """A ranking score for each title (its tokens, space-separated, as indexed): the
    weights of the query's groups it holds, a group weighing ``ln(1 + (n - m + 0.5) /
    (m + 0.5))`` when ``m`` of the ``n`` titles hold it (BM25's IDF, counted among
    these titles: the rarer group counts more). A title holding a group only through a
    name expansion added (another language's name of a company) gets :data:`ADDED` of
    its weight: the reader's own words first."""
    padded = [f" {title} " for title in titles]
    scores = [0.0] * len(titles)
    for number, group in enumerate(query.groups):
        own = query.own[number] if number < len(query.own) else len(group)
        needles = [([_needle(phrase) for phrase in item], n >= own) for n, item in enumerate(group)]
        held = {}
        for n, text in enumerate(padded):
            ways = [added for item, added in needles if all(x in text for x in item)]
            if ways:
                held[n] = 1.0 if not all(ways) else ADDED
        weight = math.log(1 + (len(titles) - len(held) + 0.5) / (len(held) + 0.5))
        for n, share in held.items():
            scores[n] += weight * share
    return scores


def _needle(phrase: Phrase) -> str:
    """A phrase as it stands among space-padded tokens (a single CJK character: as a
    token's start)."""
    return " " + " ".join(phrase.tokens) + ("" if phrase.prefix else " ")


def _anchors(query: Query) -> set[str]:
    """Tokens one of which every match contains: the first token of each way to meet
    the query's first group."""
    found = set()
    for item in query.groups[0]:
        phrase = item[0]
        found.add(_PREFIX + phrase.tokens[0] if phrase.prefix else phrase.tokens[0])
    return found


class QueryIndex:
    """Queries by key, looked up by the tokens of an article."""

    def __init__(self, queries: Iterable[tuple[Hashable, Query]] = ()) -> None:
        self._queries: dict[Hashable, Query] = {}
        self._by_anchor: dict[str, set[Hashable]] = defaultdict(set)
        for key, query in queries:
            self.add(key, query)

    def add(self, key: Hashable, query: Query) -> None:
        self._queries[key] = query
        for anchor in _anchors(query):
            self._by_anchor[anchor].add(key)

    def __len__(self) -> int:
        return len(self._queries)

    def matching(self, document: Document) -> set[Hashable]:
        """The keys of the queries ``document`` matches."""
        candidates: set[Hashable] = set()
        anchors = document.anchors
        if len(self._by_anchor) < len(anchors):
            for anchor, keys in self._by_anchor.items():
                if anchor in anchors:
                    candidates |= keys
        else:
            for anchor in anchors:
                candidates |= self._by_anchor.get(anchor, set())
        return {key for key in candidates if matches(self._queries[key], document)}
