"""Plain text of sanitized HTML, the one form search indexes and extraction compares.

One line per block and per table row, cells apart, whitespace collapsed,
zero-width characters gone. Shared by the extract and clean stages.
"""

from __future__ import annotations

import re

from selectolax.lexbor import LexborHTMLParser

__all__ = ["NOT_XML", "to_text"]

# What XML 1.0 forbids even escaped (most control characters), and what UTF-8 cannot
# encode (lone surrogates): lxml refuses them in text, feeds must leave them out.
NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")

_BLOCK_END = re.compile(r"(</(?:p|h[1-6]|li|dt|dd|blockquote|figcaption|pre|caption|figure|ul|ol|dl)>|<br>|<hr>)")
_SPACE = re.compile(r"\s+")
# Marks go inside cells: text between table tags is moved out of the table by the parser.
_ROW_END = re.compile(r"(</t[dh]>\s*</tr>)")
_CELL_END = re.compile(r"(</t[dh]>)")
# Zero-width spaces, joiners and marks, soft hyphens, BOMs: invisible, but they split words for search.
_ZERO_WIDTH = re.compile("[\u00ad\u200b-\u200f\u2060-\u2064\ufeff]")
_BREAK = "\u2029"


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
