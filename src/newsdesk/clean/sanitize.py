"""Allow-list sanitizer for untrusted third-party HTML (nh3, i.e. ammonia).

Only the tags and attributes listed here survive. Links and images must be
http(s); relative ones are resolved against the article's link. Script-like
elements and the sites' ``<ad>`` elements are dropped with their content;
everything else that is not allowed is unwrapped (its text kept).
"""

from __future__ import annotations

import re

import nh3

from newsdesk import markup
from newsdesk.errors import CleanError
from newsdesk.urls import SAFE_SCHEMES, safe_url

TAGS = {
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "p",
    "br",
    "hr",
    "pre",
    "code",
    "ul",
    "ol",
    "li",
    "dl",
    "dt",
    "dd",
    "strong",
    "b",
    "em",
    "i",
    "u",
    "s",
    "del",
    "sub",
    "sup",
    "mark",
    "small",
    "a",
    "img",
    "figure",
    "figcaption",
    "blockquote",
    "q",
    "cite",
    "table",
    "caption",
    "thead",
    "tbody",
    "tfoot",
    "tr",
    "th",
    "td",
}
ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "title", "width", "height"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan", "scope"},
    "ol": {"start"},
}
# Dropped together with everything inside them.
CONTENT_TAGS = {
    "script",
    "style",
    "ad",
    "iframe",
    "object",
    "embed",
    "noscript",
    "template",
    "svg",
    "math",
    "head",
    "title",
    "select",
    "textarea",
    "button",
    "form",
}
URL_ATTRIBUTES = {("a", "href"), ("img", "src")}
VOID = {"br", "hr", "img"}
MAX_DEPTH = 100
BOUNDS = markup.Bounds(depth=512, elements=200_000)

_EMPTY = re.compile(
    r"<(p|figure|figcaption|blockquote|li|h[1-6]|strong|b|em|i|u|span)>(?:\s|&nbsp;|<br>)*</\1>"
    r"|<a [^>]*>\s*</a>"
    r"|<img(?![^>]*\ssrc=)[^>]*>"  # an image whose URL was refused
)
_TAG = re.compile(r"<(/?)([a-z][a-z0-9]*)[^>]*>")
_NO_ALT = re.compile(r"<img((?![^>]*\salt=)[^>]*>)")  # an image without alt text gets an empty one


def sanitize(html: str, base_url: str = "") -> str:
    """Return the allow-listed form of ``html``.

    Raises CleanError when ``html`` is over :data:`BOUNDS` (checked before parsing:
    a tree builder's cost grows with depth × elements) or the result nests deeper
    than MAX_DEPTH (no article needs it, and the Markdown converter would recurse on it).
    """
    why = markup.check(html, BOUNDS)
    if why:
        raise CleanError(f"HTML {why}", reason="body too complex")
    cleaned = nh3.clean(
        html,
        tags=TAGS,
        clean_content_tags=CONTENT_TAGS,
        attributes=ATTRIBUTES,
        attribute_filter=lambda tag, attr, value: _filter(tag, attr, value, base_url),
        url_schemes=set(SAFE_SCHEMES),
        link_rel="nofollow noopener",
        strip_comments=True,
    )
    depth = nesting_depth(cleaned)  # before _drop_empty, which takes a pass per level of empty nesting
    if depth > MAX_DEPTH:
        raise CleanError(f"HTML nests {depth} levels deep (limit {MAX_DEPTH})", reason="body too complex")
    return _NO_ALT.sub(r'<img alt=""\1', _drop_empty(cleaned)).strip()


def _filter(tag: str, attr: str, value: str, base_url: str) -> str | None:
    if (tag, attr) in URL_ATTRIBUTES:
        return safe_url(value, base_url)
    if attr in ("width", "height"):  # pixels only: "100%" or "auto" are the page's layout, not ours
        return value.strip() if value.strip().isdigit() else None
    return value


def _drop_empty(html: str) -> str:
    # Repeat: removing an empty <p> can leave its <figure> empty.
    while True:
        shorter = _EMPTY.sub("", html)
        if shorter == html:
            return html
        html = shorter


def nesting_depth(html: str) -> int:
    """Deepest element nesting of serialized, well-formed HTML (nh3 output)."""
    depth = deepest = 0
    for match in _TAG.finditer(html):
        if match.group(2) in VOID:
            continue
        if match.group(1):
            depth -= 1
        else:
            depth += 1
            deepest = max(deepest, depth)
    return deepest
