"""A text-density extractor in the style of GeneralNewsExtractor, for pages in any script.

Every block that holds running text (a paragraph, or a ``div``/``section``/``td``
with text of its own) gives its ancestors a score: more for long text rich in
sentence punctuation, nothing for link lists. The ancestor with the best score,
discounted by its share of link text, is the article's container. Chinese
pages are why this exists: their articles often sit in ``<section>``/``<td>``
runs without ``<p>``, and next to comment threads and "recommended" lists that a
paragraph-counting extractor takes for the article.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from lxml import etree, html

from newsdesk.plaintext import NOT_XML

__all__ = ["Container", "best_container", "clean", "parse", "prune"]

# Dropped before scoring, with their content: never article text.
DROP = (
    "script",
    "style",
    "noscript",
    "iframe",
    "textarea",
    "select",
    "button",
    "nav",
    "footer",
    "svg",
    "template",
    "object",
    "embed",
    "head",
    "aside",
)
INLINE = frozenset(
    {
        "a",
        "span",
        "strong",
        "b",
        "em",
        "i",
        "u",
        "font",
        "br",
        "img",
        "sup",
        "sub",
        "small",
        "mark",
        "code",
        "abbr",
        "cite",
        "q",
        "s",
        "del",
        "ins",
        "label",
        "time",
        "wbr",
    }
)
CONTAINERS = frozenset({"div", "article", "section", "td", "main", "body", "blockquote", "center", "font", "span"})
# Class or id words of page furniture: comment threads, related and recommended lists, share bars.
JUNK = re.compile(
    r"comment|reply|related|recommend|hot-?news|share|social|sidebar|footer|breadcrumb|copyright|advert|"
    r"\bads?\b|banner|rank|tuijian|xiangguan|pinglun|popular|trending|subscribe|newsletter|toolbar|nav",
    re.IGNORECASE,
)
# Classes and ids that usually name the article itself.
GOOD = re.compile(r"article|content|post|entry|story|text|body|main|detail|zoom|editor|news", re.IGNORECASE)
_SPACE = re.compile(r"\s+")
_HIDDEN = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.IGNORECASE)
_URL = re.compile(r"(?:https?://|www\.)[!-~]+")
# Sentence punctuation: CJK marks anywhere, Latin ones only before a space or the end
# (not the dots of a URL, a number or an abbreviation run together).
_PUNCT = re.compile(r"[，。！？；：、“”「」]|[,.;:!?](?=\s|$)")


@dataclass(slots=True)
class _Stats:
    text: int = 0  # characters without white space
    links: int = 0  # of them inside <a>
    punct: int = 0
    score: float = 0.0


@dataclass(slots=True)
class Container:
    """The chosen element and how sure the choice is."""

    node: html.HtmlElement
    score: float
    text_chars: int
    link_density: float


def parse(page: str) -> html.HtmlElement | None:
    """The page as an lxml tree (None: not HTML); :func:`clean` readies it for scoring."""
    page = re.sub(r"^\s*<\?xml[^>]*\?>", "", page)  # lxml refuses a str with an encoding declaration
    # lxml keeps control characters in text it parses, then refuses them when a
    # dropped element's tail is moved to its parent
    page = NOT_XML.sub("", page)
    try:
        return html.fromstring(page)
    except (etree.ParserError, ValueError):
        return None


def clean(tree: html.HtmlElement) -> html.HtmlElement:
    """``tree`` without scripts, styles, comments and hidden elements (changed in place)."""
    for bad in tree.iter(etree.Comment, etree.ProcessingInstruction):
        bad.drop_tree() if bad.getparent() is not None else None
    for element in list(tree.iter(*DROP)):
        if element.getparent() is not None:
            element.drop_tree()
    for element in list(tree.iter()):
        if isinstance(element.tag, str) and element.getparent() is not None and _hidden(element):
            element.drop_tree()
    return tree


def _hidden(element: html.HtmlElement) -> bool:
    style = element.get("style")
    if style and _HIDDEN.search(style):
        return True
    return element.get("hidden") is not None or element.get("aria-hidden") == "true"


def _segments(node: html.HtmlElement) -> list[tuple[str, int]]:
    """The runs of text of ``node`` and its inline descendants (not of nested blocks),
    split at ``<br>``, each with how many of its characters are link text."""
    runs: list[list[object]] = [["", 0]]

    def add(text: str | None, link: bool) -> None:
        if text:
            runs[-1][0] = str(runs[-1][0]) + text
            if link:
                runs[-1][1] = int(runs[-1][1]) + len(_SPACE.sub("", text))  # type: ignore[call-overload]

    def walk(element: html.HtmlElement, link: bool) -> None:
        add(element.text, link)
        for child in element:
            if isinstance(child.tag, str) and child.tag == "br":
                runs.append(["", 0])
            elif isinstance(child.tag, str) and child.tag in INLINE:
                walk(child, link or child.tag == "a")
            add(child.tail, link)

    walk(node, node.tag == "a")
    return [(str(text), int(links)) for text, links in runs if str(text).strip()]  # type: ignore[call-overload]


def _link_chars(node: html.HtmlElement) -> int:
    return sum(len(_SPACE.sub("", a.text_content())) for a in node.iter("a"))


def _paragraph_score(raw: str, links: int) -> float:
    """What one block of running text is worth: length and sentence punctuation,
    nothing for a line that is mostly link text, a URL, or too short to be prose."""
    raw = _URL.sub("", raw)
    text = _SPACE.sub("", raw)
    chars = len(text)
    if chars < 8 or links > chars * 0.5:
        return 0.0
    punct = len(_PUNCT.findall(raw))
    wide = sum(c > "\u2e7f" for c in text)
    unit = 30 if wide > chars / 2 else 80  # CJK carries more per character
    # Capped: one long run-on block (a live feed's entry, a comment) must not
    # outweigh an article of several paragraphs.
    return (1 + min(punct, 4) + min(chars / unit, 4)) * (1 - links / chars)


def best_container(tree: html.HtmlElement) -> Container | None:
    """The element most likely to hold the article (None: no running text at all)."""
    stats: dict[html.HtmlElement, _Stats] = {}
    for node in tree.iter():
        if not isinstance(node.tag, str):
            continue
        if node.tag in INLINE:
            continue
        score = sum(_paragraph_score(text, links) for text, links in _segments(node))
        if score <= 0:
            continue
        for depth, ancestor in enumerate(_ancestors(node)):
            if depth > 3:
                break
            entry = stats.setdefault(ancestor, _Stats())
            entry.score += score / max(depth, 1)  # a block and its parent alike, then less and less
    best: Container | None = None
    eligible = [
        (node, entry) for node, entry in stats.items() if node.tag in CONTAINERS or node.tag in ("p", "pre", "html")
    ]
    # Link density and class names only reorder the leaders: the rest need not be measured.
    eligible = sorted(eligible, key=lambda pair: pair[1].score, reverse=True)[:12]
    sizes = _sizes(tree)
    for node, entry in eligible:
        chars, links = sizes.get(node, (0, 0))
        if not chars:
            continue
        density = min(1.0, links / chars)
        score = entry.score * (1 - density) * _class_weight(node)
        if best is None or score > best.score:
            best = Container(node, score, chars, density)
    return best


def _sizes(tree: html.HtmlElement) -> dict[html.HtmlElement, tuple[int, int]]:
    """Characters (without white space) under each element, and how many are link
    text, in one pass from the leaves up."""
    sizes: dict[html.HtmlElement, tuple[int, int]] = {}
    for node in reversed(list(tree.iter())):
        chars = _chars(node.text) if isinstance(node.tag, str) else 0
        links = 0
        for child in node:
            below = sizes.get(child, (0, 0))
            chars += below[0] + _chars(child.tail)
            links += below[1]
        sizes[node] = (chars, chars if node.tag == "a" else links)
    return sizes


def _chars(text: str | None) -> int:
    return len("".join(text.split())) if text else 0


def _ancestors(node: html.HtmlElement) -> Iterator[html.HtmlElement]:
    """``node`` itself (a block with its own text), then its parents."""
    current: html.HtmlElement | None = node
    while current is not None:
        yield current
        current = current.getparent()


def _class_weight(node: html.HtmlElement) -> float:
    names = f"{node.get('class', '')} {node.get('id', '')}"
    if not names.strip():
        return 1.0
    weight = 1.0
    if JUNK.search(names):
        weight *= 0.4
    if GOOD.search(names):
        weight *= 1.25
    return weight


def prune(node: html.HtmlElement) -> html.HtmlElement:
    """``node`` without the blocks inside it that are page furniture: link lists and
    elements named like comments or related lists."""
    for child in list(node.iter()):
        if child is node or not isinstance(child.tag, str) or child.getparent() is None:
            continue
        if child.tag in INLINE or child.tag in ("p",):
            continue
        text = _SPACE.sub("", child.text_content())
        names = f"{child.get('class', '')} {child.get('id', '')}"
        if (
            names.strip()
            and JUNK.search(names)
            and not GOOD.search(names)
            or len(text) > 0
            and _link_chars(child) > 0.6 * len(text)
            and child.tag not in ("td", "th", "tr", "li")
        ):
            child.drop_tree()
    for child in node.iter("div", "section", "article", "center", "header", "main"):
        # A block holding only text keeps its own line once the sanitizer drops the tag.
        if child is not node and all(isinstance(c.tag, str) and c.tag in INLINE for c in child):
            child.tag = "p"
    return node
