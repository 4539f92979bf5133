"""Watch stage: watchlists (saved filters), matched against each new article after
enrichment, for import and fetch alike, and the alerts they queue, delivered through
Apprise.

* :mod:`.lists` — a watchlist read and checked from the settings file, the CLI or the API;
* :mod:`.matcher` — all enabled watchlists compiled once, matched per article;
* :mod:`.schedule` — when an alert is due: now, at the next digest, after quiet hours;
* :mod:`.deliver` — due alerts sent, retried with backoff, logged;
* :mod:`.briefs` — the morning and close briefs: a period's top stories with a sentence each.
"""

from typing import Any, Protocol

from newsdesk.config import Settings
from newsdesk.watch.lists import parse_watchlist
from newsdesk.watch.matcher import Watchers

__all__ = ["Watchers", "load_watchers", "parse_watchlist"]


class _Defined(Protocol):
    def watchlist_definitions(self) -> dict[str, dict[str, Any]]: ...


def load_watchers(store: _Defined, settings: Settings, *, enabled_only: bool = True) -> Watchers:
    """The (enabled) watchlists of the settings file and of the database (the database's
    win on a name both define)."""
    defined = {
        name: parse_watchlist(name, data, origin=settings.source_file or "settings")
        for name, data in settings.watchlists
    }
    defined.update({name: parse_watchlist(name, data) for name, data in store.watchlist_definitions().items()})
    return Watchers(defined.values(), enabled_only=enabled_only)
