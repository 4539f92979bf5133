"""The built-in static site: ``newsdesk build DIR``.

Pages, in the spirit of the seed's Mainroad theme: a paginated home list, one
page per article (``posts/<uuid>/``), tag, source and language lists (each
paginated), a 404 page, ``sitemap.xml``, a search page that works without a server
(:mod:`.static_search`), and RSS / Atom / JSON Feed for the site,
each tag and each source. Every page carries the seed's three sidebar widgets:
search, recent, tag list. Recent and tag list change with every new article, so
they live in one shared file (``widgets.html``, loaded by ``site.js``; the served
site renders them inline) instead of in 100,000 pages. Templates are Jinja2 with
autoescaping; a theme folder given by the user overrides any of them (and ``style.css``).

Builds are incremental (:mod:`.output`): a page is rendered only when what it
is made from changed since the last build into the same folder, and the result
is the same as a full build into an empty folder.
"""

from __future__ import annotations

import functools
import json
import os
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from importlib import resources
from pathlib import Path
from typing import Any, Protocol

from jinja2 import Environment

import newsdesk
from newsdesk import agencies
from newsdesk.config import Settings
from newsdesk.models import Article
from newsdesk.publish import feeds, static_search
from newsdesk.publish.entry import Entry, entry
from newsdesk.publish.output import BuildReport, Output, digest, files_digest, save_json
from newsdesk.publish.templating import environment, excerpt, slugify
from newsdesk.sources.catalog import display_names

__all__ = [
    "BuildReport",
    "Entry",
    "build_site",
    "entry",
    "environment",
    "list_pages",
    "page_context",
    "pager",
    "slugify",
]

RECENT = 10
TAG_LIST = 40
FEED_ITEMS = 20
BODY_BATCH = 500
_STATIC = ("style.css", "search.js", "site.js")


class Articles(Protocol):
    """What a build reads (a :class:`newsdesk.store.Store`)."""

    def iter_articles(self, *, bodies: bool = True) -> Iterable[Article]: ...
    def get_many(self, uuids: Iterable[str]) -> Mapping[str, Article]: ...


def build_site(
    store: Articles,
    folder: Path,
    settings: Settings,
    *,
    per_page: int = 10,
    theme: Path | None = None,
    on_page: Callable[[str], None] | None = None,
    full: bool = False,
    watchlists: Mapping[str, Sequence[Article]] | None = None,
) -> BuildReport:
    """Build the site into ``folder``, rendering only what changed since the last
    build there (everything when ``full``). Lists need no article bodies; bodies are
    read in batches, only for the article pages that are rendered. ``watchlists``:
    the public ones' stories, newest alert first (``watch/NAME/`` and its feeds)."""
    env = environment(theme, settings.tz, display_names(settings.sources_folder))
    entries = sorted(
        (entry(a) for a in store.iter_articles(bodies=False)), key=lambda e: (e.published, e.uuid), reverse=True
    )
    prints = {
        e.uuid: digest(
            e.title, e.link, e.source, e.language, e.published, e.summary, e.image, e.tags, e.cluster, e.dated, e.kind
        )
        for e in entries
    }
    groups = _groups(entries)
    tag_list = _tag_list(groups["tags"])
    context = page_context(settings, entries[:RECENT], tag_list)
    out = Output(folder, _site_key(theme, settings, per_page), full=full, on_page=on_page)
    _article_pages(store, env, out, context, entries, groups["clusters"], prints)
    items = feeds.Items(context["site"]["base_url"])  # type: ignore[index]
    _lists(env, out, context, "", settings.site_title, entries, per_page, prints)
    _feeds(out, items, "", settings.site_title, entries, prints)
    for kind, prefix in (("tags", "tags"), ("sources", "sources"), ("languages", "lang")):
        for name, members in sorted(groups[kind].items()):
            base = f"{prefix}/{slugify(name)}/"
            title = env.filters["source_name"](name) if kind == "sources" else name
            _lists(env, out, context, base, title, members, per_page, prints)
            _feeds(out, items, base, f"{settings.site_title} · {title}", members, prints)
    for name, stories in sorted((watchlists or {}).items()):
        members = [e for e in map(entry, stories) if e.uuid in prints]
        _lists(env, out, context, f"watch/{name}/", f"关注 Watchlist · {name}", members, per_page, prints)
        _feeds(out, items, f"watch/{name}/", f"{settings.site_title} · {name}", members, prints)
    out.page(
        "widgets.html",
        digest([prints[e.uuid] for e in entries[:RECENT]], tag_list),
        lambda: env.get_template("widgets.html").render(context, root=""),
    )
    out.page("404.html", "", lambda: env.get_template("404.html").render(context, root="/"))
    out.page(
        "search/index.html",
        "",
        lambda: env.get_template("search.html").render(
            context, query="", hits=[], error=None, static_search=True, root="../"
        ),
    )
    for name in _STATIC:
        out.page(name, "", lambda name=name: env.loader.get_source(env, name)[0])  # type: ignore[union-attr,misc]
    _search_index(out, entries, prints, settings)
    _sitemaps(out, context["site"]["base_url"])  # type: ignore[index]
    return out.finish(workers=settings.output_workers or os.cpu_count() or 1, after_fork=getattr(store, "forked", None))


def page_context(
    settings: Settings, recent: list[Entry], tag_list: list[tuple[str, int]], *, inline: bool = False
) -> dict[str, object]:
    """What every page's layout needs: the site, the recent and tag list widgets
    (rendered into the page when ``inline``, else loaded from ``widgets.html``)."""
    site = {"title": settings.site_title, "base_url": settings.site_base_url.rstrip("/") + "/"}
    return {"site": site, "recent": recent, "tag_list": tag_list, "tz": settings.tz, "widgets_inline": inline}


def list_pages(count: int, per_page: int) -> list[tuple[int, int, int]]:
    """The pages of a list of ``count`` articles, newest first: ``(number, start, stop)``.

    Page 0 is the list's front page: the newest articles, ``per_page`` to
    ``2 × per_page - 1`` of them. Older ones fill archive pages numbered from the
    oldest (``page/1/`` holds the first ``per_page`` articles ever), so a full archive
    page never changes: a new article rewrites the front page and at most two archive
    pages of each list it is in, not every page of the list.
    """
    sealed = max(count // per_page - 1, 0)
    pages = [(0, 0, count - sealed * per_page)]
    for number in range(sealed, 0, -1):
        stop = count - (number - 1) * per_page
        pages.append((number, stop - per_page, stop))
    return pages


def pager(base: str, number: int, sealed: int) -> dict[str, object]:
    """Links of page ``number`` (0: the front page) of the list at ``base`` with
    ``sealed`` archive pages: ``previous`` is newer, ``next`` older (relative paths),
    ``pages`` the numbered links around this one, ``(number, path)`` with ``(0, None)``
    for a gap. They reach one page up, two down and to page 1 (the front page's "Latest"
    link covers the rest), so that a new archive page changes the links of the page
    before it only."""
    newer = None if number == 0 else base if number == sealed else f"{base}page/{number + 1}/"
    older = f"{base}page/{sealed}/" if number == 0 and sealed else f"{base}page/{number - 1}/" if number > 1 else None
    top = sealed if number == 0 else number
    shown = [n for n in range(min(top + 1, sealed), max(top - 3, 0), -1) if n >= 1]
    pages: list[tuple[int, str | None]] = [(n, f"{base}page/{n}/") for n in shown]
    if shown and shown[-1] > 1:
        pages += [(0, None)] * (shown[-1] > 2) + [(1, f"{base}page/1/")]
    return {"number": number, "previous": newer, "next": older, "pages": pages, "front": base}


def _site_key(theme: Path | None, settings: Settings, per_page: int) -> str:
    """Everything every page depends on: templates (built-in and theme), settings, version."""
    files = [
        (f"builtin/{p.name}", p.read_bytes())
        for p in resources.files("newsdesk.publish").joinpath("templates").iterdir()
        if p.is_file()
    ]
    if theme:
        files += [(f"theme/{p.relative_to(theme)}", p.read_bytes()) for p in theme.rglob("*") if p.is_file()]
    names = sorted(display_names(settings.sources_folder).items())  # pages show sources by these
    site = (settings.site_title, settings.site_base_url, str(settings.tz), per_page, newsdesk.__version__, names)
    return digest(files_digest(files), site)


def _tag_list(tags: dict[str, list[Entry]]) -> list[tuple[str, int]]:
    """The tag widget: the most used topics and tickers (no source or agency names)."""
    counts = [
        (tag, len(members))
        for tag, members in tags.items()
        if not agencies.canonical(tag) and any(e.source != tag for e in members)
    ]
    return sorted(counts, key=lambda kv: (-kv[1], kv[0]))[:TAG_LIST]


def _groups(entries: list[Entry]) -> dict[str, dict[str, list[Entry]]]:
    groups: dict[str, dict[str, list[Entry]]] = {
        k: defaultdict(list) for k in ("tags", "sources", "languages", "clusters")
    }
    for e in entries:
        for tag in e.tags:
            groups["tags"][tag].append(e)
        groups["sources"][e.source].append(e)
        if e.language:
            groups["languages"][e.language].append(e)
        groups["clusters"][e.cluster].append(e)
    return groups


def _article_pages(
    store: Articles,
    env: Environment,
    out: Output,
    context: dict[str, Any],
    entries: list[Entry],
    clusters: Mapping[str, list[Entry]],
    prints: Mapping[str, str],
) -> None:
    todo: list[tuple[Entry, list[Entry], str]] = []
    for e in entries:
        also = [m for m in clusters.get(e.cluster, []) if m.uuid != e.uuid]
        key = digest(prints[e.uuid], e.version, [prints[m.uuid] for m in also])
        if not out.current(e.path + "index.html", key):
            todo.append((e, also, key))
    template = env.get_template("article.html")

    def render(batch: list[tuple[Entry, list[Entry], str]]) -> list[str]:
        bodies = store.get_many(e.uuid for e, _, _ in batch)
        return [template.render(context, article=bodies[e.uuid], also=also, root="../../") for e, also, _ in batch]

    for start in range(0, len(todo), BODY_BATCH):
        batch = todo[start : start + BODY_BATCH]
        out.pages([(e.path + "index.html", key) for e, _, key in batch], functools.partial(render, batch))


def _lists(
    env: Environment,
    out: Output,
    context: dict[str, Any],
    base: str,
    title: str,
    members: Sequence[Entry],
    per_page: int,
    prints: Mapping[str, str],
) -> None:
    template = env.get_template("list.html")
    pages = list_pages(len(members), per_page)
    sealed = len(pages) - 1

    def render(path: str, chunk: Sequence[Entry], number: int) -> str:
        links = pager(base, number, sealed)
        root = "../" * path.count("/")
        return template.render(context, title=title, entries=chunk, pager=links, root=root, feed=base)

    for number, start, stop in pages:
        path = f"{base}page/{number}/" if number else base
        chunk = members[start:stop]
        key = digest(title, pager(base, number, sealed), [prints[e.uuid] for e in chunk])
        out.page(f"{path}index.html", key, functools.partial(render, path, chunk, number))


def _feeds(
    out: Output, items: feeds.Items, base: str, title: str, members: Sequence[Entry], prints: Mapping[str, str]
) -> None:
    latest = members[:FEED_ITEMS]
    key = digest(title, [prints[e.uuid] for e in latest])
    out.page(f"{base}index.xml", key, lambda: feeds.rss(items, base, title, latest))
    out.page(f"{base}atom.xml", key, lambda: feeds.atom(items, base, title, latest))
    out.page(f"{base}feed.json", key, lambda: feeds.json_feed(items, base, title, latest))


def _sitemaps(out: Output, site: str) -> None:
    pages = sorted(f.removesuffix("index.html") for f in out.keys if f.endswith("index.html"))
    key = digest(site, pages)
    names = (
        [f"sitemap-{n}.xml" for n in range(1, -(-len(pages) // feeds.SITEMAP_URLS) + 1)]
        if len(pages) > feeds.SITEMAP_URLS
        else []
    )
    pending = [name for name in ["sitemap.xml", *names] if not out.current(name, key)]
    if pending:
        out.pages([(name, key) for name in pending], lambda: [feeds.sitemaps(site, pages)[name] for name in pending])


def _search_index(out: Output, entries: list[Entry], prints: Mapping[str, str], settings: Settings) -> None:
    """The static search files: made again (all of them) when any article changed,
    as one job of the render (it runs beside the pages in a forked build)."""
    key = digest([prints[e.uuid] for e in entries])
    pending = [name for name in static_search.file_names() if not out.current(name, key)]
    if not pending:
        return
    tz, folder = settings.tz, out.folder
    shown = display_names(settings.sources_folder)

    def label(name: str) -> str:
        return shown.get(name, name)

    def render() -> list[str]:
        cached = _token_cache(folder)
        made: dict[str, list[str]] = {}

        def tokens(e: Entry) -> list[str]:
            found = cached.get(prints[e.uuid])
            if not isinstance(found, list):
                found = sorted(static_search.static_tokens(f"{e.title} {e.summary}"))
            made[prints[e.uuid]] = found
            return found

        files = static_search.index_files(
            entries,
            lambda e: e.published.astimezone(tz).strftime("%Y-%m-%d %H:%M"),
            tokens,
            label=label,
            summary=lambda e: "" if e.title.startswith(excerpt(e.summary).rstrip("…")) else excerpt(e.summary),
        )
        if made != cached:
            folder.mkdir(parents=True, exist_ok=True)
            save_json(folder / TOKEN_CACHE, made)
        return [files[name] for name in pending]

    out.pages([(name, key) for name in pending], render)


TOKEN_CACHE = ".newsdesk-tokens.json"  # an article's static search tokens by its fingerprint


def _token_cache(folder: Path) -> dict[str, object]:
    try:
        cached = json.loads((folder / TOKEN_CACHE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return cached if isinstance(cached, dict) else {}
