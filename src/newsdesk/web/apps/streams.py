"""The desk as reader apps see it: its feeds (every enabled catalog source, every feed
added by URL, every source with stored articles), each with a number, a title, its URL
and its folder; Google Reader stream ids (``feed/NAME``, ``user/-/label/FOLDER``,
``user/-/state/com.google/reading-list|starred|read``) read into :class:`Stream`; item
ids in both forms."""

from __future__ import annotations

import re
import time
from dataclasses import dataclass
from datetime import datetime

from starlette.responses import PlainTextResponse, Response

from newsdesk.config import Settings
from newsdesk.errors import ConfigError
from newsdesk.pipeline.subscribe import with_subscriptions
from newsdesk.sources.catalog import Source, configured_catalog, display_names, is_enabled
from newsdesk.store import Store
from newsdesk.store.apps import Stream
from newsdesk.web.apps.signin import Signin

__all__ = ["ITEM_PREFIX", "Desk", "Feed", "Fields", "StreamError", "item_id", "long_id", "one", "parse_stream", "text"]

Fields = dict[str, list[str]]  # a request's query and form fields, each with its values

ITEM_PREFIX = "tag:google.com,2005:reader/item/"
STATE = re.compile(r"user/[^/]{1,80}/state/com\.google/(.+)")
LABEL = re.compile(r"user/[^/]{1,80}/label/(.+)")
_LOOK_AGAIN = 30.0  # seconds the list of feeds is kept


class StreamError(ValueError):
    """A stream or item id an app sent that means nothing here (said back as 400)."""


@dataclass(frozen=True, slots=True)
class Feed:
    id: int
    name: str
    title: str
    url: str
    site: str | None
    category: str | None


class Desk:
    """The store, the settings, the sign-ins and the feeds, for the apps' routes."""

    def __init__(self, store: Store, settings: Settings) -> None:
        self.store, self.settings = store, settings
        self.signin = Signin(store)
        self._catalog: dict[str, Source] | None = None
        self._titles: dict[str, str] | None = None
        self._feeds: tuple[float, list[Feed]] | None = None
        self._totals: tuple[float, list[tuple[str, int, datetime]]] | None = None

    def catalog(self) -> dict[str, Source]:
        """The YAML catalog (read once) with the subscriptions as they are now."""
        if self._catalog is None:
            try:
                self._catalog = configured_catalog(self.settings.sources_folder)
            except ConfigError:
                self._catalog = {}
        return with_subscriptions(self._catalog, self.store, self.settings)

    def feeds(self) -> list[Feed]:
        """Every feed of the desk by title, looked up again every half minute (and after a change)."""
        if self._feeds and time.monotonic() - self._feeds[0] < _LOOK_AGAIN:
            return self._feeds[1]
        catalog = self.catalog()
        health = self.store.health()
        names = {n for n, s in catalog.items() if is_enabled(s, health.get(n))}
        names |= {name for name, _, _ in self.totals()}  # PostgreSQL counts every article for them: once
        numbered = self.store.feeds(names)
        if self._titles is None:  # the catalog's and names.yaml's, read once
            self._titles = display_names(self.settings.sources_folder)
        titles = self._titles
        sites = {s.name: s.site for s in self.store.subscriptions()}
        found = [
            Feed(
                numbered[name].id,
                name,
                (catalog[name].display_name if name in catalog else titles.get(name, name)),
                catalog[name].url if name in catalog else "",
                sites.get(name),
                numbered[name].category,
            )
            for name in names
        ]
        found.sort(key=lambda f: (f.title.lower(), f.name))
        self._feeds = (time.monotonic(), found)
        return found

    def totals(self) -> list[tuple[str, int, datetime]]:
        """Each source's article count and newest time: SQLite keeps them in a table; on
        PostgreSQL they are a count over every article, made again every half minute."""
        if self.store.dialect != "postgresql":
            return self.store.source_counts()
        if self._totals is None or time.monotonic() - self._totals[0] >= _LOOK_AGAIN:
            self._totals = (time.monotonic(), self.store.source_counts())
        return self._totals[1]

    def changed(self) -> None:
        """Feeds or folders changed: the next look reads them again."""
        self._feeds = None

    def feed(self, name: str) -> Feed | None:
        return next((f for f in self.feeds() if f.name == name), None)

    def stream(self, stream_id: str) -> Stream:
        return parse_stream(stream_id, self.feeds())


def parse_stream(stream_id: str, feeds: list[Feed]) -> Stream:
    """The articles a Google Reader stream id names; StreamError when it names none."""
    stream_id = stream_id.strip()
    if stream_id.startswith("feed/"):
        wanted = stream_id[5:]
        found = [f.name for f in feeds if wanted in (f.name, f.url)]
        if not found:
            raise StreamError(f"no feed {wanted[:200]!r}")
        return Stream(sources=tuple(found))
    state = STATE.fullmatch(stream_id)
    if state:
        kind = state[1]
        if kind == "reading-list":
            return Stream()
        if kind in ("starred", "read"):
            return Stream(state=kind)
        if kind == "kept-unread":
            return Stream(state="unread")
        raise StreamError(f"no stream {stream_id[:200]!r}")
    label = LABEL.fullmatch(stream_id)
    if label:
        return Stream(sources=tuple(f.name for f in feeds if f.category == label[1]))
    raise StreamError(f"no stream {stream_id[:200]!r}")


def one(fields: Fields, key: str) -> str:
    """The first value of a field, or ""."""
    return (fields.get(key) or [""])[0]


def text(body: str, status: int = 200, headers: dict[str, str] | None = None) -> Response:
    """A Google Reader answer in plain text ("OK", a token, an error's reason)."""
    return PlainTextResponse(body, status_code=status, headers=headers)


def long_id(number: int) -> str:
    return f"{ITEM_PREFIX}{number:016x}"


def item_id(text: str) -> int:
    """An article's number from an item id: the long form (16 hex digits after the
    prefix) or the short form (decimal, signed 64-bit as Google Reader wrote it)."""
    text = text.strip()
    try:
        if text.startswith(ITEM_PREFIX):
            digits = text[len(ITEM_PREFIX) :]
            if len(digits) != 16:
                raise ValueError
            number = int(digits, 16)
        else:
            if not re.fullmatch(r"-?\d{1,20}", text):
                raise ValueError
            number = int(text) % (1 << 64)  # a negative short id is the same 64 bits
    except ValueError:
        raise StreamError(f"not an item id: {text[:80]!r}") from None
    return number
