"""Watch stage: watchlists (saved filters), matched against each new article after
enrichment, for import and fetch alike, and the alerts they queue, delivered through
Apprise.

* :mod:`.lists` — a watchlist read and checked from the settings file, the CLI or the API;
* :mod:`.matcher` — all enabled watchlists compiled once, matched per article;
* :mod:`.schedule` — when an alert is due: now, at the next digest, after quiet hours;
* :mod:`.deliver` — due alerts sent, retried with backoff, logged.
"""

from newsdesk.watch.lists import parse_watchlist
from newsdesk.watch.matcher import Watchers

__all__ = ["Watchers", "parse_watchlist"]
