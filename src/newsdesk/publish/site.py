"""The built-in static site: ``newsdesk build DIR``.

Pages, in the spirit of the seed's Mainroad theme: a paginated home list, one
page per article (``posts/<uuid>/``), tag, source and language lists (each
paginated), a 404 page, ``sitemap.xml``, a search page that works without a server
(:mod:`.static_search`), and RSS / Atom / JSON Feed for the site,
each tag and each source. Every page carries the seed's three sidebar widgets:
search, recent, tag list. Templates are Jinja2 with autoescaping; a theme folder
given by the user overrides any of them (and ``style.css``).

A file is written only when its bytes change, so a build after new articles
rewrites just the pages that differ and leaves the rest (and their mtimes) alone;
its output is identical to a full build into an empty folder.
"""

from __future__ import annotations

import hashlib
import re
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from jinja2 import ChoiceLoader, Environment, FileSystemLoader, PackageLoader, select_autoescape

from newsdesk.config import Settings
from newsdesk.models import Article
from newsdesk.publish import feeds, static_search
from newsdesk.publish.hugo import slug as article_slug

__all__ = ["BuildReport", "Entry", "build_site", "entry", "environment", "page_context", "pager", "slugify"]

RECENT = 10
TAG_LIST = 40
FEED_ITEMS = 20
_UNSAFE = re.compile(r"[^\w-]+")


@dataclass(slots=True, frozen=True)
class Entry:
    """What list pages, widgets and feeds need of an article (the body stays in the store)."""

    uuid: str
    title: str
    link: str
    source: str
    language: str
    published: datetime
    summary: str
    image: str
    tags: tuple[str, ...]
    cluster: str

    @property
    def path(self) -> str:
        return f"posts/{self.uuid}/"


@dataclass
class BuildReport:
    pages: int = 0
    written: int = 0
    unchanged: int = 0
    files: list[str] = field(default_factory=list, repr=False)

    def counts(self) -> dict[str, int]:
        return {"pages": self.pages, "written": self.written, "unchanged": self.unchanged}


def slugify(value: str) -> str:
    """A file-system and URL safe name for a tag, source or language.

    Letters (any script), digits, ``_`` and ``-`` stay; anything else becomes
    ``-``; nothing survives ``..`` or ``/``. An empty result is replaced by a hash.
    """
    text = _UNSAFE.sub("-", value).strip("-")[:80]
    return text or "t-" + hashlib.md5(value.encode("utf-8")).hexdigest()[:10]


def environment(theme: Path | None) -> Environment:
    loaders = [FileSystemLoader(str(theme))] if theme else []
    loaders.append(PackageLoader("newsdesk.publish", "templates"))
    env = Environment(loader=ChoiceLoader(loaders), autoescape=select_autoescape(default=True), keep_trailing_newline=True)
    env.filters["slug"] = slugify
    return env


class _Writer:
    def __init__(self, folder: Path, report: BuildReport, on_page: Callable[[str], None] | None) -> None:
        self.folder, self.report, self.on_page = folder, report, on_page

    def write(self, relative: str, text: str) -> None:
        target = self.folder / relative
        data = text.encode("utf-8")
        self.report.pages += 1
        self.report.files.append(relative)
        if target.exists() and target.read_bytes() == data:
            self.report.unchanged += 1
        else:
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
            self.report.written += 1
        if self.on_page:
            self.on_page(relative)


def build_site(
    articles: Callable[[], Iterable[Article]],
    folder: Path,
    settings: Settings,
    *,
    per_page: int = 10,
    theme: Path | None = None,
    on_page: Callable[[str], None] | None = None,
) -> BuildReport:
    """Render every page of the site into ``folder``.

    ``articles`` is called twice (e.g. ``store.iter_articles``): a first pass keeps
    only what lists need, the second renders the article pages one at a time, so
    memory does not hold every body at once.
    """
    env = environment(theme)
    report = BuildReport()
    writer = _Writer(folder, report, on_page)
    entries = [entry(article) for article in articles()]
    entries.sort(key=lambda e: (e.published, e.uuid), reverse=True)
    groups = _groups(entries)
    tag_list = sorted(((tag, len(m)) for tag, m in groups["tags"].items()), key=lambda kv: (-kv[1], kv[0]))[:TAG_LIST]
    context = page_context(settings, entries[:RECENT], tag_list)
    article_page = env.get_template("article.html")
    for article in articles():
        writer.write(f"posts/{article_slug(article)}/index.html", article_page.render(
            context, article=article, also=[e for e in groups["clusters"].get(article.cluster or "", []) if e.uuid != article.uuid],
            root="../../"))  # fmt: skip
    _lists(env, writer, context, "", settings.site_title, entries, per_page)
    for kind, prefix in (("tags", "tags"), ("sources", "sources"), ("languages", "lang")):
        for name, members in sorted(groups[kind].items()):
            base = f"{prefix}/{slugify(name)}/"
            _lists(env, writer, context, base, name, members, per_page)
            if kind != "languages":
                _feeds(writer, context, base, f"{settings.site_title} · {name}", members)
    _feeds(writer, context, "", settings.site_title, entries)
    writer.write("404.html", env.get_template("404.html").render(context, root="/"))
    writer.write("style.css", env.get_template("style.css").render())
    writer.write("search/index.html", env.get_template("search.html").render(
        context, query="", hits=[], error=None, static_search=True, root="../"))  # fmt: skip
    writer.write("search.js", env.loader.get_source(env, "search.js")[0])  # type: ignore[union-attr]
    tz = settings.tz
    for relative, text in static_search.index_files(entries, lambda e: e.published.astimezone(tz).strftime("%Y-%m-%d %H:%M")).items():
        writer.write(relative, text)
    writer.write("sitemap.xml", feeds.sitemap(context["site"]["base_url"], [e.path for e in entries], report.files))
    return report


def page_context(settings: Settings, recent: list[Entry], tag_list: list[tuple[str, int]]) -> dict[str, object]:
    """What every page's layout needs: the site, the recent widget, the tag list widget."""
    site = {"title": settings.site_title, "base_url": settings.site_base_url.rstrip("/") + "/"}
    return {"site": site, "recent": recent, "tag_list": tag_list, "tz": settings.tz}


def pager(base: str, number: int, pages: int) -> dict[str, object]:
    """Links of page ``number`` of ``pages`` of the list at ``base`` (relative paths)."""
    return {
        "number": number, "pages": pages,
        "previous": (base if number == 2 else f"{base}page/{number - 1}/") if number > 1 else None,
        "next": f"{base}page/{number + 1}/" if number < pages else None,
    }  # fmt: skip


def entry(article: Article) -> Entry:
    return Entry(
        uuid=article_slug(article), title=article.title, link=article.link, source=article.source,
        language=article.language or "", published=article.published, summary=article.summary,
        image=article.image or "", tags=tuple(article.tags or [article.source]), cluster=article.cluster or article.uuid,
    )  # fmt: skip


def _groups(entries: list[Entry]) -> dict[str, dict[str, list[Entry]]]:
    groups: dict[str, dict[str, list[Entry]]] = {k: defaultdict(list) for k in ("tags", "sources", "languages", "clusters")}
    for entry in entries:
        for tag in entry.tags:
            groups["tags"][tag].append(entry)
        groups["sources"][entry.source].append(entry)
        if entry.language:
            groups["languages"][entry.language].append(entry)
        groups["clusters"][entry.cluster].append(entry)
    return groups


def _lists(env: Environment, writer: _Writer, context: dict, base: str, title: str, members: list[Entry], per_page: int) -> None:
    template = env.get_template("list.html")
    pages = max(1, -(-len(members) // per_page))
    for number in range(1, pages + 1):
        path = base if number == 1 else f"{base}page/{number}/"
        root = "../" * path.count("/")
        chunk = members[(number - 1) * per_page : number * per_page]
        links = pager(base, number, pages)
        writer.write(f"{path}index.html", template.render(context, title=title, entries=chunk, pager=links, root=root, feed=base))


def _feeds(writer: _Writer, context: dict, base: str, title: str, members: list[Entry]) -> None:
    site = context["site"]["base_url"]
    items = members[:FEED_ITEMS]
    writer.write(f"{base}index.xml", feeds.rss(site, base, title, items))
    writer.write(f"{base}atom.xml", feeds.atom(site, base, title, items))
    writer.write(f"{base}feed.json", feeds.json_feed(site, base, title, items))
