"""Titles, headlines, summaries and text repair (mojibake, whitespace); plain text is :mod:`newsdesk.plaintext`."""

from __future__ import annotations

import html as htmllib
import re
import unicodedata

import ftfy

SUMMARY_CHARS = 50
_SPACE = re.compile(r"\s+")
# UTF-8 misread as Latin-1 or cp1252 always leaves one of these; text without
# them cannot carry that mojibake, so ftfy (slow) runs only where it can help.
_MOJIBAKE_HINT = re.compile("[\u00c0-\u00ff]")
_FTFY = ftfy.TextFixerConfig(
    unescape_html=False,
    fix_character_width=False,  # keeps CJK full-width punctuation (，（）) as written
    uncurl_quotes=False,
    fix_latin_ligatures=False,
    fix_line_breaks=False,
    explain=False,
)


def repair(text: str) -> str:
    """Fix mojibake and normalize to NFC; leaves correct text as it is."""
    if _MOJIBAKE_HINT.search(text):
        return ftfy.fix_text(text, _FTFY)
    return unicodedata.normalize("NFC", text)


_TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9]*(?:\s[^<>]*)?/?>")


_CDATA = re.compile(r"<!\[CDATA\[|\]\]>")


def clean_title(title: str) -> str:
    """Titles arrive with entities, tags (fx168 wraps some in <p>), a feed's
    ``<![CDATA[…]]>`` wrapper kept as text, stray whitespace and mojibake."""
    unwrapped = _CDATA.sub("", title)
    return _SPACE.sub(" ", repair(htmllib.unescape(_TAG.sub(" ", unwrapped)))).strip()


_SENTENCE = re.compile(r"^(.+?[。！？!?]|.+?[.;；](?=\s))")
_WORD_BREAK = re.compile(r"[\s，,、：:；;]")
HEADLINE_CHARS = 80


def headline(text: str) -> str:
    """A title for an item that came without one (a flash): its first sentence,
    or its start cut at a word or clause boundary, never mid-word."""
    flat = _SPACE.sub(" ", text).strip()
    match = _SENTENCE.match(flat)
    first = match.group(1) if match else flat
    if len(first) <= HEADLINE_CHARS:
        return first.rstrip("。.;；")
    cut = first[:HEADLINE_CHARS]
    breaks = [m.start() for m in _WORD_BREAK.finditer(cut)]
    if breaks and breaks[-1] >= HEADLINE_CHARS // 2:
        cut = cut[: breaks[-1]]
    elif " " in flat[:HEADLINE_CHARS] and not any(c > "\u2e7f" for c in cut):
        cut = cut.rsplit(" ", 1)[0]
    return cut.rstrip(" ，,、：:；;") + "…"


def summarize(text: str, fallback: str = "") -> str:
    """The seed system's summary: the first 50 characters of the text and "..."."""
    flat = _SPACE.sub(" ", text or fallback).strip()
    return flat[:SUMMARY_CHARS] + "..." if flat else ""
