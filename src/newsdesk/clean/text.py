"""Plain text, summaries and text repair (mojibake, whitespace)."""

from __future__ import annotations

import html as htmllib
import re
import unicodedata

import ftfy
from selectolax.lexbor import LexborHTMLParser

SUMMARY_CHARS = 50
_BLOCK_END = re.compile(r"(</(?:p|h[1-6]|li|dt|dd|blockquote|figcaption|pre|caption|figure|ul|ol|dl)>|<br>|<hr>)")
_SPACE = re.compile(r"\s+")
# Marks go inside cells: text between table tags is moved out of the table by the parser.
_ROW_END = re.compile(r"(</t[dh]>\s*</tr>)")
_CELL_END = re.compile(r"(</t[dh]>)")
# Zero-width spaces, joiners and marks, soft hyphens, BOMs: invisible, but they split words for search.
_ZERO_WIDTH = re.compile("[\u00ad\u200b-\u200f\u2060-\u2064\ufeff]")
_BREAK = "\u2029"
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


def clean_title(title: str) -> str:
    """Titles arrive with entities, tags (fx168 wraps some in <p>), stray
    whitespace and mojibake."""
    return _SPACE.sub(" ", repair(htmllib.unescape(_TAG.sub(" ", title)))).strip()


def to_text(html: str) -> str:
    """Plain text of sanitized HTML: one line per block and per table row, cells
    apart, whitespace collapsed, zero-width characters gone. It is what search indexes."""
    if not html:
        return ""
    html = _ZERO_WIDTH.sub("", html.replace(_BREAK, " "))
    html = _ROW_END.sub(lambda m: _BREAK + m.group(1), html)
    html = _CELL_END.sub(lambda m: " " + m.group(1), html)
    marked = _BLOCK_END.sub(lambda m: _BREAK + m.group(1), html)
    raw = LexborHTMLParser(marked).text(separator="")
    lines = (_SPACE.sub(" ", line).strip() for line in raw.split(_BREAK))
    return "\n".join(line for line in lines if line)


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
