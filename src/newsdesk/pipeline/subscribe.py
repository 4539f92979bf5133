"""Feeds added by URL: subscribing (the feed found at the URL or linked from its page),
OPML import (all of a file or nothing) and export, and the catalog the fetchers run —
the YAML catalog with the subscriptions beside it."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from newsdesk.config import Settings
from newsdesk.errors import AuthError, ConfigError
from newsdesk.fetch.client import Fetcher
from newsdesk.fetch.discover import discover
from newsdesk.fetch.documents import limits_from
from newsdesk.sources.catalog import Source, configured_catalog
from newsdesk.sources.opml import Outline, parse_opml, write_opml
from newsdesk.sources.subscribed import feed_source, name_for, subscription_url
from newsdesk.store import Store
from newsdesk.store.feeds import Subscription, check_category

__all__ = [
    "catalog_of", "export_opml", "import_opml", "subscribe", "subscribed_sources", "unsubscribe", "with_subscriptions",
]  # fmt: skip


def subscribed_sources(store: Store, settings: Settings) -> list[Source]:
    """The subscriptions as sources."""
    private = settings.sources_subscribe_private
    return [feed_source(s.name, s.url, s.title, private=private) for s in store.subscriptions()]


def with_subscriptions(catalog: dict[str, Source], store: Store, settings: Settings) -> dict[str, Source]:
    """``catalog`` with the subscriptions as they are now (a catalog source wins a name)."""
    return {**{s.name: s for s in subscribed_sources(store, settings)}, **catalog}


def catalog_of(settings: Settings, store: Store, folders: Iterable[Path] = ()) -> dict[str, Source]:
    """The YAML catalog (built in, ``sources.folder``, ``folders``) and the subscriptions;
    a catalog source wins over a subscription of the same name."""
    return with_subscriptions(configured_catalog(settings.sources_folder, folders), store, settings)


async def subscribe(
    store: Store, settings: Settings, url: str, *, category: str | None = None, user: str | None = None
) -> Subscription:
    """Subscribe to the feed at ``url`` (or the one its page links); ConfigError when it
    is already a source, FetchError / ParseError when there is no feed to be had."""
    url = subscription_url(url)
    category = check_category(category) if category else None
    catalog = catalog_of(settings, store)
    _check_new(url, catalog)
    guard = not settings.sources_subscribe_private
    async with Fetcher(limits_from(settings)) as fetcher:
        found = await discover(url, fetcher, guard=guard)
    feed_url = subscription_url(found.url)
    _check_new(feed_url, catalog)
    subscription = Subscription(name_for(feed_url, catalog), feed_url, found.title, found.site, user)
    store.add_subscriptions([(subscription, category)])
    return subscription


def unsubscribe(store: Store, name: str, user: str, *, admin: bool) -> None:
    """Remove the feed ``name`` added by URL: an admin's or its adder's to remove.
    ConfigError when no feed of that name was added by URL, AuthError when ``user`` may not."""
    mine = next((s for s in store.subscriptions() if s.name == name), None)
    if mine is None:
        raise ConfigError(f"no feed {name[:80]!r} was added by URL (a catalog source: an admin disables it)")
    if not admin and mine.added_by != user:
        raise AuthError("only an admin or whoever added a feed removes it")
    store.remove_subscription(name)


def import_opml(
    store: Store, settings: Settings, data: str | bytes, where: str, user: str | None = None
) -> dict[str, int]:
    """Subscribe to every feed of an OPML document that is not a source yet, with its
    category, in one transaction (a bad entry: nothing is imported); how many were added
    and how many were sources already."""
    outlines = parse_opml(data, where)
    catalog = catalog_of(settings, store)
    known = _urls(catalog.values())
    taken = set(catalog)
    added: list[tuple[Subscription, str | None]] = []
    for number, outline in enumerate(outlines, 1):
        try:
            url = subscription_url(outline.url)
            category = check_category(outline.category) if outline.category else None
        except ConfigError as exc:
            raise ConfigError(f"feed {number}: {exc.message}", where=where) from None
        if url in known:
            continue
        known.add(url)
        name = name_for(url, taken)
        taken.add(name)
        added.append((Subscription(name, url, outline.title or url[:200], outline.site, user), category))
    store.add_subscriptions(added)
    return {"added": len(added), "known": len(outlines) - len(added)}


def export_opml(store: Store, settings: Settings) -> str:
    """Every feed source (the catalog's RSS sources, the subscriptions) with its category."""
    catalog = catalog_of(settings, store)
    sites = {s.name: s.site for s in store.subscriptions()}
    feeds = [s for s in catalog.values() if s.kind == "rss" and not s.plugin]
    folders = store.feeds(s.name for s in feeds)
    outlines = [
        Outline(url, source.display_name, sites.get(source.name), folders[source.name].category)
        for source in sorted(feeds, key=lambda s: s.name)
        for url in (source.url, *source.more_urls)
    ]
    return write_opml(f"{settings.site_title} — feeds", outlines)


def _urls(sources: Iterable[Source]) -> set[str]:
    return {url for s in sources for url in (s.url, *s.more_urls)}


def _check_new(url: str, catalog: dict[str, Source]) -> None:
    for source in catalog.values():
        if url in (source.url, *source.more_urls):
            raise ConfigError(f"already a source: {url[:200]}", where=source.name)
