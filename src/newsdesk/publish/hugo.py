"""Hugo export in the seed system's exact page format (Mainroad front matter).

``export_hugo`` writes ``DIR/content/posts/<slug>.md`` per article plus a minimal
``config.toml`` and layouts, so ``hugo -s DIR`` builds the tree as it is.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable
from pathlib import Path

from newsdesk.config import Settings
from newsdesk.models import Article

# Tag presets: "seed" writes the source as the only tag (as the seed system did);
# "real" writes the article's tags: tickers, topic keywords, source.
PRESETS = ("seed", "real")
_SLUG = re.compile(r"[0-9a-f]{32}")
# YAML double-quoted scalars treat these as line breaks or forbid them raw: escape them.
_YAML_UNSAFE = re.compile("[\u007f-\u009f\u2028\u2029\ufeff\ud800-\udfff]")
# Hugo runs shortcodes ({{< name >}}, {{% name %}}) found in content: an article's text must
# not (one {{< ref "x" >}} broke the whole build; {{< gist >}} put a script in the page).
_COMMENTED = re.compile(r"\{\{([<%])(?=/\*)")
_BALANCED = re.compile(r"\{\{([<%])((?:(?!\*/)[^\n]){0,500}?)([>%])\}\}")
_OPENING = re.compile(r"\{\{([<%])(?!/\*)")


def slug(article: Article) -> str:
    """A stable, unique, safe file name: the article's uuid (md5 of its link)."""
    if not _SLUG.fullmatch(article.uuid):
        raise ValueError(f"uuid {article.uuid!r} is not an md5 hex digest")
    return article.uuid


def quote(value: str) -> str:
    """A YAML double-quoted scalar (JSON string syntax is a subset of it)."""
    text = json.dumps(value, ensure_ascii=False)
    return _YAML_UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def _items(values: Iterable[str]) -> str:
    return "".join(f"  - {quote(v)}\n" for v in values)


def render_page(article: Article, settings: Settings, tags: str = "seed") -> str:
    """The page text of one article, byte for byte as the seed system wrote it
    (with ``tags="real"``, the article's own tags instead of the source)."""
    language = article.language or ""
    tag_list = article.tags if tags == "real" and article.tags else [article.source]
    lines = [
        "---\n",
        f"title: {quote(article.title)}\n",
        f"date: {quote(article.published.astimezone(settings.tz).strftime('%Y-%m-%d %H:%M:%S'))}\n",
        f"summary: {quote(article.summary)}\n",
        f"categories:\n{_items([article.source])}",
        f"lang:\n{_items([language])}",
        f"translations:\n{_items([language])}",
        f"tags:\n{_items(tag_list)}",
        'menu: ""\n',
        f"thumbnail: {quote(article.image or '')}\n",
        'lead: ""\n',
        "comments: false\n",
        "authorbox: false\n",
        "pager: true\n",
        "toc: false\n",
        "mathjax: false\n",
        'sidebar: "right"\n',
        f"widgets:\n{_items(['search', 'recent', 'taglist'])}",
        "---\n\n",
    ]
    if article.markdown:
        lines.append(inert_shortcodes(article.markdown) + "\n\n")
    lines.append(f"[{article.source}]({_link(article.link)})\n")
    return "".join(lines)


def inert_shortcodes(markdown: str) -> str:
    """``markdown`` with Hugo's shortcode delimiters made literal text: a balanced one as
    Hugo's own escape (``{{</* name */>}}`` shows ``{{< name >}}``, in code too), any other
    opening as character references (``&#123;&#123;<``). Text without them is unchanged."""
    if "{{" not in markdown:
        return markdown
    text = _COMMENTED.sub(r"&#123;&#123;\1", markdown)
    text = _BALANCED.sub(lambda m: "{{" + m[1] + "/*" + m[2] + "*/" + m[3] + "}}", text)
    return _OPENING.sub(r"&#123;&#123;\1", text)


def _link(url: str) -> str:
    # A ")" or whitespace would end the Markdown link early.
    return url.replace(" ", "%20").replace("(", "%28").replace(")", "%29")


def export_hugo(
    articles: Iterable[Article],
    folder: Path,
    settings: Settings,
    *,
    tags: str = "seed",
    on_page: Callable[[Article], None] | None = None,
) -> int:
    """Write one page per article and a buildable site skeleton; return the page count."""
    posts = folder / "content" / "posts"
    posts.mkdir(parents=True, exist_ok=True)
    _write_skeleton(folder, settings)
    count = 0
    for article in articles:
        page = render_page(article, settings, tags).encode("utf-8")
        target = posts / f"{slug(article)}.md"
        # Unchanged pages keep their mtime, so Hugo's and rsync's change detection stay useful.
        if not target.exists() or target.read_bytes() != page:
            target.write_bytes(page)
        count += 1
        if on_page:
            on_page(article)
    return count


CONFIG = """baseURL = {base_url}
title = {title}
languageCode = "zh-cn"
timeZone = {timezone}
paginate = 10
disableKinds = ["RSS"]

[taxonomies]
category = "categories"
tag = "tags"
"""

LAYOUTS = {
    "_default/baseof.html": (
        '<!DOCTYPE html>\n<html lang="{{ .Site.LanguageCode }}"><head><meta charset="utf-8">'
        '<title>{{ .Title }}</title></head>\n<body>{{ block "main" . }}{{ end }}</body></html>\n'
    ),
    "_default/single.html": (
        '{{ define "main" }}<article><h1>{{ .Title }}</h1>'
        '<time>{{ .Date.Format "2006-01-02 15:04:05" }}</time>{{ .Content }}</article>{{ end }}\n'
    ),
    "_default/list.html": (
        '{{ define "main" }}<h1>{{ .Title }}</h1><ul>{{ range .Paginator.Pages }}'
        '<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}</ul>{{ end }}\n'
    ),
}


def _write_skeleton(folder: Path, settings: Settings) -> None:
    config = CONFIG.format(
        base_url=quote(settings.site_base_url),
        title=quote(settings.site_title),
        timezone=quote(settings.site_timezone),
    )
    (folder / "config.toml").write_text(config, encoding="utf-8")
    for name, text in LAYOUTS.items():
        path = folder / "layouts" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
