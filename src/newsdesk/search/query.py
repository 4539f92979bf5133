"""The query language, parsed once and compiled for FTS5 or a PostgreSQL tsquery.

``美联储 加息`` — both (AND); ``"rate cut"`` — a phrase; ``-crypto`` — exclude;
``gold OR silver`` — either (OR binds tighter than AND: ``a b OR c`` is
``a AND (b OR c)``). Anything else is text: quotes left open run to the end,
stray operators and punctuation are ignored, and syntax characters of the
database never reach it (queries are built from tokens, not pasted).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from newsdesk.errors import QueryError
from newsdesk.search.expand import alternatives
from newsdesk.tokens import cjk_query_tokens, query_runs, stem

__all__ = ["MAX_QUERY_CHARS", "Phrase", "Query", "parse"]

MAX_QUERY_CHARS = 1000
MAX_TERMS = 32
_LEX = re.compile(r'(-?)"([^"]*)"?|(\S+)')


@dataclass(frozen=True, slots=True)
class Phrase:
    """Adjacent tokens; ``prefix`` marks a single CJK character (matches ``字*``)."""

    tokens: tuple[str, ...]
    prefix: bool = False


Item = tuple[Phrase, ...]  # phrases that must all match: one word or quoted phrase of the query


@dataclass(slots=True)
class Query:
    text: str
    groups: list[list[Item]] = field(default_factory=list)  # AND of (OR of items)
    excluded: list[Item] = field(default_factory=list)
    highlight: set[str] = field(default_factory=set)  # CJK runs and word stems, normalized
    own: list[int] = field(default_factory=list)  # items of each group the reader wrote (the rest: other names)

    def fts5(self) -> str:
        """The FTS5 MATCH expression."""
        text = " AND ".join(_join(group, " OR ", _fts_item) for group in self.groups)
        if self.excluded:
            text = f"({text}) NOT {_join(self.excluded, ' OR ', _fts_item)}"
        return text

    def tsquery(self) -> str:
        """The PostgreSQL ``tsquery`` literal (cast with ``CAST(:q AS tsquery)``)."""
        parts = [_join(group, " | ", _ts_item) for group in self.groups]
        parts += [f"!{_join(self.excluded, ' | ', _ts_item)}"] if self.excluded else []
        return " & ".join(parts)


def parse(text: str, *, expand: bool = False) -> Query:
    """Parse a user's query; :class:`QueryError` when it cannot be searched. ``expand``:
    a word naming a company also searches its names in other languages and its ticker
    (:mod:`.expand`), as far as the term limit allows."""
    if len(text) > MAX_QUERY_CHARS:
        raise QueryError(f"the query is {len(text)} characters long; the limit is {MAX_QUERY_CHARS}")
    query = Query(text)
    pending_or = False
    names: list[tuple[list[Item], str]] = []  # (the group of a word that may name a company, the word)
    for match in _LEX.finditer(text):
        negated, quoted, bare = match.groups()
        if bare is not None and bare in ("OR", "|"):
            pending_or = bool(query.groups)
            continue
        if bare is not None and bare.startswith("-") and len(bare) > 1:
            negated, bare = "-", bare[1:]
        item = _item(quoted if bare is None else bare, quoted=bare is None, query=query)
        if not item:
            continue
        if negated:
            query.excluded.append(item)
        elif pending_or:
            query.groups[-1].append(item)
        else:
            query.groups.append([item])
        if expand and not negated and bare is not None:
            names.append((query.groups[-1], bare))
        pending_or = False
    if _weight(query) > MAX_TERMS:
        raise QueryError(f"the query has more than {MAX_TERMS} terms (each OR item counts, a single CJK character 4)")
    query.own = [len(group) for group in query.groups]
    for group, word in names:
        for name in alternatives(word):
            other = _item(name, quoted=True, query=query)
            if other and _weight(query) + _weight(Query("", [[other]])) <= MAX_TERMS:
                group.append(other)
    if not query.groups:
        raise QueryError("the query has no words to search for" + (" (only exclusions)" if query.excluded else ""))
    return query


def _weight(query: Query) -> int:
    """What a query costs against MAX_TERMS: every item, OR'ed or not; a single CJK
    character (a prefix match over every word it starts) as four."""
    items = [item for group in query.groups for item in group] + query.excluded
    return sum(1 + sum(3 for phrase in item if phrase.prefix) for item in items)


def _item(text: str, *, quoted: bool, query: Query) -> Item:
    runs = query_runs(text)
    for cjk, run in runs:
        query.highlight.add(run if cjk else stem(run))
    if quoted:
        tokens = [t for cjk, run in runs for t in (cjk_query_tokens(run) if cjk else [stem(run)])]
        return (Phrase(tuple(tokens)),) if tokens else ()
    return tuple(_phrase(cjk, run) for cjk, run in runs)


def _phrase(cjk: bool, run: str) -> Phrase:
    if not cjk:
        return Phrase((stem(run),))
    return Phrase(tuple(cjk_query_tokens(run)), prefix=len(run) == 1)


def _join(items: list[Item], operator: str, render: object) -> str:
    parts = [render(item) for item in items]  # type: ignore[operator]
    return parts[0] if len(parts) == 1 else "(" + operator.join(parts) + ")"


def _fts_item(item: Item) -> str:
    # Tokens hold word characters only, so double quotes are the whole escaping.
    parts = [f'"{" ".join(p.tokens)}"' + ("*" if p.prefix else "") for p in item]
    return parts[0] if len(parts) == 1 else "(" + " AND ".join(parts) + ")"


def _ts_item(item: Item) -> str:
    parts = [" <-> ".join(_ts_token(t, p.prefix) for t in p.tokens) for p in item]
    parts = [f"({p})" if "<->" in p else p for p in parts]
    return parts[0] if len(parts) == 1 else "(" + " & ".join(parts) + ")"


def _ts_token(token: str, prefix: bool) -> str:
    escaped = token.replace("\\", "\\\\").replace("'", "\\'")
    return f"'{escaped}'" + (":*" if prefix else "")
