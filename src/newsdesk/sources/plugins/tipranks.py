"""TipRanks article pages: the body is not in the DOM but in the server-rendered state,
``window.__STATE__=JSON.parse("<a JSON string literal>")``.

The literal is decoded twice (string → JSON text → object), never evaluated; the
article is the object holding HTML ``content`` and a ``date``. Page furniture after
the article — "See more", the extra-content box, "Trending Articles" — is cut.
"""

from __future__ import annotations

import json
import re
from typing import Any

__all__ = ["article_body"]

_STATE = re.compile(r"window\.__STATE__\s*=\s*JSON\.parse\(")
_CUTS = (
    "<p>See more",
    "<p></p><p>For detailed",
    '<div class="tipranks-extra-content">',
    '<div id="trending" class="trending-posts">',
    "\n<figure",
)
_PROMO = re.compile(r"<ul>(?:(?!</ul>).)*?invest with confidence\.\s*</li></ul>", re.S)


def article_body(text: str, url: str) -> str | None:
    start = _STATE.search(text)
    if start is None:
        return None
    literal, _ = json.JSONDecoder().raw_decode(text, start.end())  # the string literal argument
    state = json.loads(literal) if isinstance(literal, str) else literal
    article = _find_article(state)
    if article is None:
        return None
    body = re.sub(r"\n{2,}", "\n", article["content"])
    body = body.replace("<html><head></head><body>", "").replace("</body></html>", "")
    body = _PROMO.sub("", body)
    for marker in _CUTS:
        body = body.split(marker, 1)[0]
    return body.strip() or None


def _find_article(node: Any, depth: int = 0) -> dict[str, Any] | None:
    if depth > 30:
        return None
    if isinstance(node, dict):
        if isinstance(node.get("content"), str) and "<" in node["content"] and "date" in node:
            return node
        children: list[Any] = list(node.values())
    elif isinstance(node, list):
        children = node
    else:
        return None
    for child in children:
        found = _find_article(child, depth + 1)
        if found is not None:
            return found
    return None
