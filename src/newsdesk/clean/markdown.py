"""Markdown from sanitized HTML, in the form the seed pages use: ATX headings,
``**bold**``, blank lines between blocks.

markdownify-rs (markdownify's rules in Rust, 15 times faster: Markdown was the largest
cost of an import) does the conversion; markdownify itself takes the rare document
whose heading holds a block (``<h3><hr><p>…</p></h3>``), where the two disagree.
"""

from __future__ import annotations

import re
from typing import Any

import markdownify_rs
from bs4 import BeautifulSoup
from markdownify import MarkdownConverter

_OPTIONS: dict[str, Any] = {"heading_style": "ATX", "bullets": "-", "strip": ["span"]}
_CONVERTER = MarkdownConverter(**_OPTIONS)
_BLOCK_IN_HEADING = re.compile(
    r"<h[1-6]\b(?:(?!</h[1-6]).)*?<(?:p|div|hr|br|ul|ol|li|table|blockquote|pre|h[1-6])\b", re.S | re.I
)
_BLANK_RUNS = re.compile(r"\n[ \t]*\n(?:[ \t]*\n)+")
_TRAILING = re.compile(r"[ \t]+\n")


def to_markdown(html: str) -> str:
    """Convert sanitized HTML to Markdown; the input must come from ``sanitize``."""
    if not html:
        return ""
    if _BLOCK_IN_HEADING.search(html):
        markdown = _CONVERTER.convert_soup(BeautifulSoup(html, "lxml"))
    else:
        markdown = markdownify_rs.markdownify(html, **_OPTIONS)
    markdown = _TRAILING.sub("\n", markdown)
    return _BLANK_RUNS.sub("\n\n", markdown).strip()
