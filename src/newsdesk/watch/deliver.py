"""Sending queued alerts through Apprise (Telegram, Slack, Discord, DingTalk, Feishu,
WeCom, e-mail, ntfy, JSON webhooks …), with retries and a log in the store.

Alerts are claimed before they are sent (another sender skips them); the ones of a
watchlist that came due together go as one message listing the stories; each alert is
marked sent after its target answered. A failure is retried with a growing pause
(30 s, 1, 2, 4 minutes), then given up with its reason kept. ``${NAME}`` in a watchlist's ``notify`` is read from
``secrets`` (the environment) when sending, so URLs with tokens need not be stored.
"""

from __future__ import annotations

import logging
import re
import threading
from collections.abc import Mapping
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import apprise

from newsdesk.models import Article, Watchlist
from newsdesk.store import Store

__all__ = ["Delivery", "MAX_ATTEMPTS", "deliver_due", "message"]

MAX_ATTEMPTS = 5
SENDERS = 16  # messages sent at once (each waits on its target's answer)
PER_MESSAGE = 20  # stories of one watchlist in one message at the most
CLAIM = 1000  # alerts taken at once: a burst becomes few messages per watchlist
_FIRST_PAUSE = 30.0
_SECRET = re.compile(r"\$\{([A-Z_][A-Z0-9_]*)\}")


@dataclass(slots=True)
class Delivery:
    sent: int = 0
    retrying: int = 0
    failed: int = 0

    def as_json(self) -> dict[str, int]:
        return {"sent": self.sent, "retrying": self.retrying, "failed": self.failed}


def message(stories: list[tuple[Article, str]], watchlist: Watchlist) -> tuple[str, str]:
    """Title and body of one message: for each story (article, source display name) its
    headline, source, time in the watchlist's zone, tickers and link. Several stories
    that came due together make one message that lists them."""
    lines = []
    for article, source_name in stories:
        when = article.published.astimezone(ZoneInfo(watchlist.zone)).strftime("%Y-%m-%d %H:%M %Z")
        tickers = f" · {' '.join(article.tickers)}" if article.tickers else ""
        lines.append(f"{source_name} · {when}{tickers}\n{article.link}")
    if len(stories) == 1:
        return f"[{watchlist.name}] {stories[0][0].title}", lines[0]
    listed = "\n\n".join(f"{n}. {article.title}\n{line}" for n, ((article, _), line) in enumerate(zip(stories, lines, strict=True), 1))
    return f"[{watchlist.name}] {len(stories)} new stories", listed


def deliver_due(
    store: Store, watchlists: Mapping[str, Watchlist], secrets: Mapping[str, str], names: Mapping[str, str] | None = None
) -> Delivery:
    """Send every alert due now; the alerts of one watchlist that came due together go
    as one message (at most :data:`PER_MESSAGE` stories), :data:`SENDERS` messages at a
    time. Returns what happened."""
    done = Delivery()
    names = names or {}
    with ThreadPoolExecutor(SENDERS, thread_name_prefix="alerts") as pool:
        while claimed := store.claim_alerts(limit=CLAIM):
            articles = {a.uuid: a for a in store.arrivals([alert["uuid"] for alert in claimed])}
            results: list[tuple[int, bool, str | None, datetime | None]] = []
            groups: dict[str, list[dict[str, Any]]] = {}
            for alert in claimed:
                if alert["uuid"] not in articles:
                    results.append(_outcome(alert, "the article is gone", done, retry=False))
                elif alert["watchlist"] not in watchlists:  # removed, or newer than the sender's copy: try again later
                    results.append(_outcome(alert, f"no watchlist {alert['watchlist']!r}", done))
                else:
                    groups.setdefault(alert["watchlist"], []).append(alert)
            sends: list[tuple[list[dict[str, Any]], Future[str | None]]] = []
            for name, alerts in groups.items():
                for start in range(0, len(alerts), PER_MESSAGE):
                    part = alerts[start : start + PER_MESSAGE]
                    stories = [(articles[a["uuid"]], names.get(articles[a["uuid"]].source, articles[a["uuid"]].source)) for a in part]
                    sends.append((part, pool.submit(_send, watchlists[name], stories, secrets)))
            for part, sending in sends:
                error = sending.result()
                results += [_outcome(alert, error, done) for alert in part]
            store.finish_alerts(results)
    return done


def _outcome(alert: dict[str, Any], error: str | None, done: Delivery, *, retry: bool = True) -> tuple[int, bool, str | None, datetime | None]:
    """One send's record: sent, to be retried after a growing pause, or given up."""
    if error is None:
        done.sent += 1
        return alert["id"], True, None, None
    if retry and alert["attempts"] + 1 < MAX_ATTEMPTS:
        done.retrying += 1
        return alert["id"], False, error, datetime.now(UTC) + timedelta(seconds=_FIRST_PAUSE * 2 ** alert["attempts"])
    done.failed += 1
    return alert["id"], False, error, None


_LOCAL = threading.local()


def _senders(urls: tuple[str, ...]) -> apprise.Apprise | None:
    """One Apprise object per thread and set of targets, kept: parsing the URLs and
    loading the plugins again for every message cost twice the send itself."""
    cached: dict[tuple[str, ...], apprise.Apprise | None] = _LOCAL.__dict__.setdefault("senders", {})
    if urls not in cached:
        if len(cached) > 1000:
            cached.clear()
        sender = apprise.Apprise()
        cached[urls] = sender if all(sender.add(url) for url in urls) else None
    return cached[urls]


def _send(watchlist: Watchlist, stories: list[tuple[Article, str]], secrets: Mapping[str, str]) -> str | None:
    """None when every target took it; else why not (secrets masked)."""
    urls, missing = [], []
    for url in watchlist.notify:
        resolved = _SECRET.sub(lambda m: secrets.get(m[1], "\x00" + m[1]), url)
        (missing if "\x00" in resolved else urls).append(resolved if "\x00" not in resolved else url)
    if missing:
        return f"not set in the environment: {', '.join(missing)}"
    if not urls:
        return "the watchlist has no notify targets"
    sender = _senders(tuple(urls))
    if sender is None:
        return "not an Apprise URL: " + ", ".join(u.split("://", 1)[0] + "://…" for u in urls)
    title, body = message(stories, watchlist)
    with apprise.LogCapture(level=logging.WARNING) as captured:
        if sender.notify(body=body, title=title):
            return None
        said = captured.getvalue().strip().splitlines()
    reason = said[-1] if said else "the target refused it"
    for url in urls:  # never log a token
        reason = reason.replace(url, url.split("://", 1)[0] + "://…")
    return reason[:500]
