"""Highlighted snippets: a window of the article's text around the first match.

Matching runs on a normalized copy of the text that keeps every character at its
position (per-character case folding, Traditional → Simplified only where the
conversion keeps the length), so a match found there marks the original text.
The result is HTML-escaped with matches in ``<mark>…</mark>``: safe to insert in
a page as it is.
"""

from __future__ import annotations

import html
import re
from functools import lru_cache

from newsdesk.tokens import CJK, WORD, simplified, stem

__all__ = ["snippet"]

WIDTH = 160
_LEAD = 40
_SCAN_CHARS = 20_000  # a match further in is not worth the time: the snippet starts the text
_FIRST_CHARS = 2_000  # scanned first: most first matches are in the opening lines
_MARGIN = 64  # characters kept clear of the end of a partial scan (a word or phrase cut there)


def _aligned(text: str) -> str:
    folded = text.casefold()
    if len(folded) != len(text):  # some character folds to several ("ß" → "ss"): fold one by one
        folded = "".join(c if len(f := c.casefold()) != 1 else f for c in text)
    if CJK.search(folded):
        converted = simplified(folded)
        if len(converted) == len(folded):
            return converted
    return folded


def _word_spans(normalized: str, stems: frozenset[str]) -> list[tuple[int, int]]:
    """The words of ``normalized`` that stem to one of ``stems``. Only words that
    begin as a stem does are stemmed (stemming every word of a long text took a
    millisecond): an English stem is the start of its word but for its last letter
    (possibly → possibl, cry → cri), and for die, lie and tie (dying, lying, tying)."""
    spans = []
    for found in _heads(stems).finditer(normalized):
        start = found.start()
        if start and WORD.match(normalized, start - 1):  # inside a word
            continue
        word = WORD.match(normalized, start)
        if word and stem(word[0]) in stems:
            spans.append(word.span())
    return spans


@lru_cache(maxsize=256)
def _heads(stems: frozenset[str]) -> re.Pattern[str]:
    heads = {s[:-1] or s for s in stems} | {s[:-2] + "y" for s in stems if s.endswith("ie")}
    return re.compile("|".join(re.escape(head) for head in sorted(heads, key=len, reverse=True)))


def _matches(normalized: str, terms: set[str]) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    for term in terms:
        if CJK.match(term):
            spans.extend((m.start(), m.end()) for m in re.finditer(re.escape(term), normalized))
    stems = frozenset(term for term in terms if not CJK.match(term))
    if stems:
        spans.extend(_word_spans(normalized, stems))
    spans.sort()
    merged: list[tuple[int, int]] = []
    for start, end in spans:
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def _spans(text: str, terms: set[str], width: int) -> list[tuple[int, int]]:
    """The matches of ``terms`` at least up to the end of the snippet's window: the
    opening characters first, the whole text when the window does not fit in them
    (a match cut at their end lies beyond the window, and is not used)."""
    if len(text) > _FIRST_CHARS:
        spans = _matches(_aligned(text[:_FIRST_CHARS]), terms)
        if spans and max(0, spans[0][0] - _LEAD) + width <= _FIRST_CHARS - _MARGIN:
            return spans
    return _matches(_aligned(text), terms)


def snippet(text: str, terms: set[str], width: int = WIDTH) -> str:
    """Up to ``width`` characters of ``text`` around the first match of ``terms``."""
    text = " ".join(text[:_SCAN_CHARS].split())
    spans = _spans(text, terms, width)
    start = max(0, spans[0][0] - _LEAD) if spans else 0
    end = min(len(text), start + width)
    parts = ["…"] if start else []
    position = start
    for span_start, span_end in spans:
        if span_end <= start or span_start >= end:
            continue
        span_start, span_end = max(span_start, start), min(span_end, end)
        parts += [html.escape(text[position:span_start]), f"<mark>{html.escape(text[span_start:span_end])}</mark>"]
        position = span_end
    parts.append(html.escape(text[position:end]))
    if end < len(text):
        parts.append("…")
    return "".join(parts)
