"""The article body of a page with no selector: candidates from two extractors, one gate.

Candidates are trafilatura (precision mode: the best single extractor on English
pages) and the text-density container of :mod:`.density` (the best on Chinese
pages, where trafilatura drops ``<section>`` text or takes a comment thread).
The gate compares them on what a body looks like — sentence punctuation, link
text, length — and on how far they agree: trafilatura's finer trimming wins
when it lies inside the density container and keeps most of its prose.
"""

from __future__ import annotations

import copy
import operator
import re
from collections import Counter
from dataclasses import dataclass

from lxml import html as lxml_html

from newsdesk.extract import density
from newsdesk.plaintext import to_text

__all__ = ["Body", "main_content", "quality"]

MIN_CHARS = 25  # less prose than this is no article body
_SPACE = re.compile(r"\s+")
_SENTENCE_END = re.compile(r"[。！？!?.](?=\s|$|[”\"'’」])|[。！？]")


@dataclass(slots=True)
class Body:
    """An extracted body: HTML, its plain text, which extractor found it, and its
    quality (0–1: how much it reads like prose)."""

    html: str
    text: str
    method: str
    quality: float


def main_content(page: str, url: str = "") -> Body | None:
    """The page's article body, or None when nothing on it reads as one."""
    raw = density.parse(page)
    if raw is None:
        return None
    precise = _trafilatura_body(copy.deepcopy(raw), url)  # a copy: both extractors change the tree they read
    tree = density.clean(raw)
    container = density.best_container(tree)
    dense = _density_body(container) if container else None
    chosen = _gate(precise, dense)
    if chosen is None or len(_SPACE.sub("", chosen.text)) < MIN_CHARS:
        return None
    return chosen


def _trafilatura_body(page: lxml_html.HtmlElement, url: str) -> Body | None:
    import trafilatura  # heavy: loaded when the first page needs it

    found = trafilatura.extract(
        page,
        url=url or None,
        output_format="html",
        include_comments=False,
        include_tables=True,
        include_images=False,
        favor_precision=True,
    )
    if not found:
        return None
    inner = re.sub(r"^\s*<html>\s*<body>|</body>\s*</html>\s*$", "", found).strip()
    text = to_text(inner)
    return Body(inner, text, "trafilatura", quality(text)) if text else None


def _density_body(container: density.Container) -> Body | None:
    node = density.prune(container.node)
    markup = lxml_html.tostring(node, encoding="unicode", method="html")
    text = to_text(markup)
    return Body(markup, text, "density", quality(text)) if text else None


def quality(text: str) -> float:
    """How much ``text`` reads like prose (0–1): long lines that end sentences, rather
    than menus, captions and lists of names."""
    lines = [line for line in text.splitlines() if line.strip()]
    if not lines:
        return 0.0
    chars = sum(len(line) for line in lines)
    sentences = sum(1 for line in lines if _SENTENCE_END.search(line))
    prose = sum(len(line) for line in lines if _SENTENCE_END.search(line) and len(line) >= 20)
    return min(1.0, 0.7 * prose / chars + 0.3 * sentences / len(lines))


def _bigrams(text: str) -> Counter[str]:
    flat = _SPACE.sub("", text)
    return Counter(map(operator.add, flat, flat[1:]))


def overlap(part: str | Counter[str], whole: str | Counter[str]) -> float:
    """Share of ``part``'s character bigrams that ``whole`` holds too."""
    a = _bigrams(part) if isinstance(part, str) else part
    b = _bigrams(whole) if isinstance(whole, str) else whole
    total = a.total()
    return (a & b).total() / total if total else 0.0


def _gate(precise: Body | None, dense: Body | None) -> Body | None:
    """Choose between the two candidates (either may be missing)."""
    if precise is None or dense is None:
        return precise or dense
    ours, theirs = _bigrams(precise.text), _bigrams(dense.text)
    inside = overlap(ours, theirs)  # trafilatura's text found in the container
    kept = overlap(theirs, ours)  # the container's text trafilatura kept
    if inside >= 0.8:
        # The same article: trafilatura trims captions and bylines well, unless it lost
        # much of the container's prose (text in <section>s, <br>-separated runs).
        return precise if kept >= 0.6 or precise.quality >= dense.quality * 1.2 else dense
    if kept >= 0.9 and len(dense.text) >= 0.6 * len(precise.text):
        # trafilatura took the whole container and more beside it: a disclaimer, a
        # teaser of the next story. The container is the article.
        return dense
    # They disagree on where the article is: the one that reads more like prose,
    # weighted by how much of it there is.
    return precise if _weight(precise) > _weight(dense) else dense


def _weight(body: Body) -> float:
    return float(body.quality * len(_SPACE.sub("", body.text)) ** 0.5)
