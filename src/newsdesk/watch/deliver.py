"""Sending queued alerts through Apprise (Telegram, Slack, Discord, DingTalk, Feishu,
WeCom, e-mail, ntfy, JSON webhooks …), with retries and a log in the store.

Alerts are claimed before they are sent (another sender skips them, or takes them
over at once when the claiming process is gone); the ones of a watchlist that came due
together go as one message listing the stories; each message's alerts are marked sent
as soon as its target answered. A failure is retried with a growing pause
(30 s, 1, 2, 4 minutes), then given up with its reason kept. A whole ``notify`` target
``${NAME}`` is read from ``secrets`` (the environment) when sending, so URLs with tokens
need not be stored — only names that start with the configured prefix
(``NEWSDESK_NOTIFY_``): whoever can define a watchlist cannot send the database
password anywhere. Resolved values never appear in a message, log or error.
Headlines and outlets go as plain text (Apprise escapes them for each target's
markup), with mentions (``@everyone``, ``<!channel>``) made inert.
"""

from __future__ import annotations

import logging
import re
import threading
from collections.abc import Mapping
from concurrent.futures import Future, ThreadPoolExecutor, as_completed
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import apprise

from newsdesk import owners, telemetry
from newsdesk.config import Settings
from newsdesk.models import Article, Watchlist
from newsdesk.store import Store
from newsdesk.watch import briefs

__all__ = ["NOTIFY_PREFIX", "Delivery", "MAX_ATTEMPTS", "Story", "deliver_due", "inert", "message", "resolve"]

MAX_ATTEMPTS = 5
SENDERS = 16  # messages sent at once (each waits on its target's answer)
PER_MESSAGE = 20  # stories of one watchlist in one message at the most
CLAIM = 1000  # alerts taken at once: a burst becomes few messages per watchlist
_FIRST_PAUSE = 30.0
_HOUR = timedelta(hours=1)
_SECRET = re.compile(r"\$\{([A-Z_][A-Z0-9_]*)\}")
NOTIFY_PREFIX = "NEWSDESK_NOTIFY_"
_MENTION = re.compile(r"([@＠])(?=\w)|(<)(?=[!@#])")


@dataclass(slots=True)
class Delivery:
    sent: int = 0
    retrying: int = 0
    failed: int = 0
    held: int = 0  # over the watchlist's sends an hour: they wait

    def count(self, outcome: str, number: int = 1) -> None:
        """``number`` alerts more with this outcome (a field's name), here and in the metrics."""
        setattr(self, outcome, getattr(self, outcome) + number)
        telemetry.ALERTS.labels(outcome).inc(number)

    def as_json(self) -> dict[str, int]:
        return {"sent": self.sent, "retrying": self.retrying, "failed": self.failed, "held": self.held}


@dataclass(slots=True)
class Story:
    """One story of a message: the article that alerted, its source's display name, and
    the other outlets that carried it so far (display names)."""

    article: Article
    source: str
    also: tuple[str, ...] = ()


def inert(text: str) -> str:
    """``text`` with mentions that chat targets act on (``@everyone``, ``@here``, ``<@123>``,
    ``<!channel>``) broken by a zero-width space: a headline must not ping a channel."""
    return _MENTION.sub(lambda m: (m[1] or m[2]) + "\u200b", text)


def resolve(target: str, secrets: Mapping[str, str], prefix: str = NOTIFY_PREFIX) -> tuple[str | None, str | None]:
    """(URL, None) for a ``notify`` target, or (None, why not): a whole ``${NAME}`` is read
    from ``secrets`` when NAME starts with ``prefix``; ``${`` anywhere else is refused."""
    found = _SECRET.fullmatch(target.strip())
    if found is None:
        return (None, "a ${NAME} must be the whole target") if "${" in target else (target, None)
    name = found[1]
    if not name.startswith(prefix):
        return None, f"${{{name}}}: only names starting with {prefix} are read"
    if not secrets.get(name):
        return None, f"${{{name}}} is not set in the environment"
    return secrets[name], None


def message(stories: list[Story], watchlist: Watchlist) -> tuple[str, str]:
    """Title and body of one message: for each story its headline, source, time in the
    watchlist's zone, tickers, link and the other outlets that reported it. Several
    stories that came due together make one message that lists them."""
    lines = []
    for story in stories:
        article = story.article
        when = article.published.astimezone(ZoneInfo(watchlist.zone)).strftime("%Y-%m-%d %H:%M %Z")
        held = [t for t in article.tickers if t in watchlist.tickers]  # the ones the watchlist follows first
        shown = held + [t for t in article.tickers if t not in held]
        tickers = f" · {' '.join(shown)}" if shown else ""
        also = f"\nalso reported by {inert(', '.join(story.also))}" if story.also else ""
        lines.append(f"{inert(story.source)} · {when}{tickers}\n{article.link}{also}")
    if len(stories) == 1:
        return f"[{watchlist.name}] {inert(stories[0].article.title)}", lines[0]
    listed = "\n\n".join(
        f"{n}. {inert(story.article.title)}\n{line}"
        for n, (story, line) in enumerate(zip(stories, lines, strict=True), 1)
    )
    return f"[{watchlist.name}] {len(stories)} new stories", listed


def deliver_due(
    store: Store,
    watchlists: Mapping[str, Watchlist],
    secrets: Mapping[str, str],
    names: Mapping[str, str] | None = None,
    *,
    only: str | None = None,
    prefix: str = NOTIFY_PREFIX,
    settings: Settings | None = None,
) -> Delivery:
    """Send every alert due now (of watchlist ``only``, or of all); the alerts of one
    watchlist that came due together go as one message (at most :data:`PER_MESSAGE`
    stories), :data:`SENDERS` messages at a time; a brief (:func:`briefs.queue`) goes as
    a message of its own, made when it is sent (``settings``: the briefs' times). ``secrets``:
    the names starting with ``prefix`` are read for ``${NAME}`` targets. Returns what happened."""
    done = Delivery()
    secrets = {name: value for name, value in secrets.items() if name.startswith(prefix)}
    owner = owners.owner()
    with ThreadPoolExecutor(SENDERS, thread_name_prefix="alerts") as pool:
        while claimed := store.claim_alerts(limit=CLAIM, watchlist=only, owner=owner):
            articles = {a.uuid: a for a in store.arrivals([alert["uuid"] for alert in claimed])}
            results: list[tuple[int, bool, str | None, datetime | None]] = []
            sends: dict[Future[str | None], list[dict[str, Any]]] = {}
            groups: dict[str, list[dict[str, Any]]] = {}
            for alert in claimed:
                if alert["cluster"].startswith(briefs.KEY) and alert["watchlist"] in watchlists:
                    brief = briefs.message(store, watchlists[alert["watchlist"]], alert["cluster"], settings)
                    sends[pool.submit(_send, watchlists[alert["watchlist"]], brief, secrets, prefix)] = [alert]
                elif alert["uuid"] not in articles:
                    results.append(_outcome(alert, "the article is gone", done, retry=False))
                elif alert["watchlist"] not in watchlists:  # removed, or newer than the sender's copy: try again later
                    results.append(_outcome(alert, f"no watchlist {alert['watchlist']!r}", done))
                else:
                    groups.setdefault(alert["watchlist"], []).append(alert)
            if results:  # alerts that will not be sent this time: recorded now
                store.finish_alerts(results)
            _hold_over_limit(store, watchlists, groups, done)
            stories = _stories(store, articles, [a for group in groups.values() for a in group], names or {})
            for name, alerts in groups.items():
                for start in range(0, len(alerts), PER_MESSAGE):
                    part = alerts[start : start + PER_MESSAGE]
                    said = message([stories[a["id"]] for a in part], watchlists[name])
                    sends[pool.submit(_send, watchlists[name], said, secrets, prefix)] = part
            # Each message's alerts are marked as its target answers: a crash later in the
            # claim re-sends only what had not gone, whatever a slow target does.
            for sending in as_completed(sends):
                error = sending.result()
                store.finish_alerts([_outcome(alert, error, done) for alert in sends[sending]])
    return done


def _hold_over_limit(
    store: Store, watchlists: Mapping[str, Watchlist], groups: dict[str, list[dict[str, Any]]], done: Delivery
) -> None:
    """Take out of ``groups`` the alerts of watchlists that had their ``per_hour`` sends in
    the last hour: they wait until the oldest of those is an hour old, and then go
    together with whatever else came due by then."""
    now = datetime.now(UTC)
    for name in list(groups):
        limit = watchlists[name].per_hour
        if not limit:
            continue
        recent = store.alert_sends(name, now - _HOUR)
        if len(recent) >= limit:
            held = groups.pop(name)
            store.postpone_alerts([a["id"] for a in held], recent[-limit] + _HOUR)
            done.count("held", len(held))


def _stories(
    store: Store, articles: Mapping[str, Article], alerts: list[dict[str, Any]], names: Mapping[str, str]
) -> dict[int, Story]:
    """Each alert's story: its article, and the other sources of its cluster so far."""
    reports = store.story_reports(sorted({a["cluster"] for a in alerts}))
    stories = {}
    for alert in alerts:
        article = articles[alert["uuid"]]
        others = dict.fromkeys(
            names.get(source, source) for uuid, source, _ in reports.get(alert["cluster"], ()) if uuid != article.uuid
        )
        shown = names.get(article.source, article.source)
        stories[alert["id"]] = Story(article, shown, tuple(o for o in others if o != shown))
    return stories


def _outcome(
    alert: dict[str, Any], error: str | None, done: Delivery, *, retry: bool = True
) -> tuple[int, bool, str | None, datetime | None]:
    """One send's record: sent, to be retried after a growing pause, or given up."""
    if error is None:
        done.count("sent")
        return alert["id"], True, None, None
    if retry and alert["attempts"] + 1 < MAX_ATTEMPTS:
        done.count("retrying")
        return alert["id"], False, error, datetime.now(UTC) + timedelta(seconds=_FIRST_PAUSE * 2 ** alert["attempts"])
    done.count("failed")
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


def _send(watchlist: Watchlist, said: tuple[str, str], secrets: Mapping[str, str], prefix: str) -> str | None:
    """Send ``said`` (title, body): None when every target took it; else why not (targets masked)."""
    urls: list[str] = []
    for target in watchlist.notify:
        url, problem = resolve(target, secrets, prefix)
        if url is None:
            return problem
        urls.append(url)
    if not urls:
        return "the watchlist has no notify targets"
    sender = _senders(tuple(urls))
    if sender is None:
        return "not an Apprise URL: " + ", ".join(u.split("://", 1)[0] + "://…" for u in urls)
    title, body = said
    with apprise.LogCapture(level=logging.WARNING) as captured:  # type: ignore[no-untyped-call]
        # Text, not markup: Apprise escapes it for each target (Telegram's HTML, Discord's Markdown).
        if sender.notify(body=body, title=title, body_format=apprise.NotifyFormat.TEXT):
            return None
        said = captured.getvalue().strip().splitlines()
    return mask(said[-1] if said else "the target refused it", urls)[:500]


def mask(text: str, urls: list[str]) -> str:
    """``text`` without the targets' URLs or any part of them that can hold a secret
    (tokens sit in user, password, path and query)."""
    for url in sorted(urls, key=len, reverse=True):
        text = text.replace(url, url.split("://", 1)[0] + "://…")
        rest = url.split("://", 1)[-1]
        for piece in re.split(r"[/?&=@:#]", rest):
            if len(piece) >= 6:
                text = text.replace(piece, "…")
    return text
