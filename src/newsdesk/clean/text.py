"""Plain text, summaries and text repair (mojibake, whitespace)."""

from __future__ import annotations

import html as htmllib
import re
import unicodedata

import ftfy
from selectolax.lexbor import LexborHTMLParser

SUMMARY_CHARS = 50
_BLOCK_END = re.compile(r"(</(?:p|h[1-6]|li|dt|dd|tr|blockquote|figcaption|pre|caption)>|<br>|<hr>)")
_SPACE = re.compile(r"\s+")
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
    """Plain text of sanitized HTML: one line per block, whitespace collapsed."""
    if not html:
        return ""
    marked = _BLOCK_END.sub(lambda m: _BREAK + m.group(1), html.replace(_BREAK, " "))
    raw = LexborHTMLParser(marked).text(separator="")
    lines = (_SPACE.sub(" ", line).strip() for line in raw.split(_BREAK))
    return "\n".join(line for line in lines if line)


def summarize(text: str, fallback: str = "") -> str:
    """The seed system's summary: the first 50 characters of the text and "..."."""
    flat = _SPACE.sub(" ", text or fallback).strip()
    return flat[:SUMMARY_CHARS] + "..." if flat else ""
