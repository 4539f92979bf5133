"""Markdown from sanitized HTML (markdownify), in the form the seed pages use:
ATX headings, ``**bold**``, blank lines between blocks."""

from __future__ import annotations

import re

from bs4 import BeautifulSoup
from markdownify import MarkdownConverter

_CONVERTER = MarkdownConverter(heading_style="ATX", bullets="-", strip=["span"])
_BLANK_RUNS = re.compile(r"\n[ \t]*\n(?:[ \t]*\n)+")
_TRAILING = re.compile(r"[ \t]+\n")


def to_markdown(html: str) -> str:
    """Convert sanitized HTML to Markdown; the input must come from ``sanitize``."""
    if not html:
        return ""
    markdown = _CONVERTER.convert_soup(BeautifulSoup(html, "lxml"))
    markdown = _TRAILING.sub("\n", markdown)
    return _BLANK_RUNS.sub("\n\n", markdown).strip()
