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

from newsdesk.tokens import CJK, WORD, simplified, stem

__all__ = ["snippet"]

WIDTH = 160
_LEAD = 40
_SCAN_CHARS = 20_000  # a match further in is not worth the time: the snippet starts the text


def _aligned(text: str) -> str:
    folded = text.casefold()
    if len(folded) != len(text):  # some character folds to several ("ß" → "ss"): fold one by one
        folded = "".join(c if len(f := c.casefold()) != 1 else f for c in text)
    if CJK.search(folded):
        converted = simplified(folded)
        if len(converted) == len(folded):
            return converted
    return folded


def _matches(normalized: str, terms: set[str]) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    for term in terms:
        if CJK.match(term):
            spans.extend((m.start(), m.end()) for m in re.finditer(re.escape(term), normalized))
    spans.extend((m.start(), m.end()) for m in WORD.finditer(normalized) if stem(m[0]) in terms)
    spans.sort()
    merged: list[tuple[int, int]] = []
    for start, end in spans:
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def snippet(text: str, terms: set[str], width: int = WIDTH) -> str:
    """Up to ``width`` characters of ``text`` around the first match of ``terms``."""
    text = " ".join(text[:_SCAN_CHARS].split())
    spans = _matches(_aligned(text), terms)
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
