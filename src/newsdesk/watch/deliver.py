"""Sending queued alerts through Apprise (Telegram, Slack, Discord, DingTalk, Feishu,
WeCom, e-mail, ntfy, JSON webhooks …), with retries and a log in the store.

An alert is claimed before it is sent (another sender skips it), marked sent after;
a failure is retried with a growing pause (30 s, 1, 2, 4 minutes), then given up
with its reason kept. ``${NAME}`` in a watchlist's ``notify`` is read from
``secrets`` (the environment) when sending, so URLs with tokens need not be stored.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import apprise

from newsdesk.models import Article, Watchlist
from newsdesk.store import Store

__all__ = ["Delivery", "MAX_ATTEMPTS", "deliver_due", "message"]

MAX_ATTEMPTS = 5
_FIRST_PAUSE = 30.0
_SECRET = re.compile(r"\$\{([A-Z_][A-Z0-9_]*)\}")


@dataclass(slots=True)
class Delivery:
    sent: int = 0
    retrying: int = 0
    failed: int = 0

    def as_json(self) -> dict[str, int]:
        return {"sent": self.sent, "retrying": self.retrying, "failed": self.failed}


def message(article: Article, watchlist: Watchlist, source_name: str) -> tuple[str, str]:
    """Title and body: the headline; source, time in the watchlist's zone, the tickers; the link."""
    when = article.published.astimezone(ZoneInfo(watchlist.zone)).strftime("%Y-%m-%d %H:%M %Z")
    tickers = f" · {' '.join(article.tickers)}" if article.tickers else ""
    return f"[{watchlist.name}] {article.title}", f"{source_name} · {when}{tickers}\n{article.link}"


def deliver_due(
    store: Store, watchlists: Mapping[str, Watchlist], secrets: Mapping[str, str], names: Mapping[str, str] | None = None
) -> Delivery:
    """Send every alert due now; returns what happened."""
    done = Delivery()
    names = names or {}
    while claimed := store.claim_alerts():
        for alert in claimed:
            watchlist = watchlists.get(alert["watchlist"])
            article = store.get(alert["uuid"])
            if watchlist is None or article is None:
                store.finish_alert(alert["id"], sent=False, error="the watchlist or the article is gone")
                done.failed += 1
                continue
            error = _send(watchlist, article, secrets, names.get(article.source, article.source))
            if error is None:
                store.finish_alert(alert["id"], sent=True)
                done.sent += 1
            elif alert["attempts"] + 1 < MAX_ATTEMPTS:
                pause = timedelta(seconds=_FIRST_PAUSE * 2 ** alert["attempts"])
                store.finish_alert(alert["id"], sent=False, error=error, retry_at=datetime.now(UTC) + pause)
                done.retrying += 1
            else:
                store.finish_alert(alert["id"], sent=False, error=error)
                done.failed += 1
    return done


def _send(watchlist: Watchlist, article: Article, secrets: Mapping[str, str], source_name: str) -> str | None:
    """None when every target took it; else why not (secrets masked)."""
    urls, missing = [], []
    for url in watchlist.notify:
        resolved = _SECRET.sub(lambda m: secrets.get(m[1], "\x00" + m[1]), url)
        (missing if "\x00" in resolved else urls).append(resolved if "\x00" not in resolved else url)
    if missing:
        return f"not set in the environment: {', '.join(missing)}"
    if not urls:
        return "the watchlist has no notify targets"
    sender = apprise.Apprise()
    for url in urls:
        if not sender.add(url):
            return "not an Apprise URL: " + url.split("://", 1)[0] + "://…"
    title, body = message(article, watchlist, source_name)
    with apprise.LogCapture(level=logging.WARNING) as captured:
        if sender.notify(body=body, title=title):
            return None
        said = captured.getvalue().strip().splitlines()
    reason = said[-1] if said else "the target refused it"
    for url in urls:  # never log a token
        reason = reason.replace(url, url.split("://", 1)[0] + "://…")
    return reason[:500]
