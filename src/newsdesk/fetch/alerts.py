"""Source alerts: a Slack-compatible JSON POST, and Apprise notifications (the targets
watchlists use: Telegram, e-mail, DingTalk …), when a source's state changes.

It fires when a source has failed ``alerts.after_failures`` runs in a row, when it
drifts (breaks its contract), and when it recovers — once per change, never once
per run. The webhook comes from ``alerts.webhook`` or the environment variable
``NEWSDESK_ALERT_WEBHOOK``; Apprise URLs from ``alerts.notify`` or
``NEWSDESK_ALERT_NOTIFY``; without either, nothing is sent.
"""

from __future__ import annotations

import logging

import httpx

from newsdesk.config import Settings
from newsdesk.models import SourceHealth

__all__ = ["change", "send", "webhook_url"]

log = logging.getLogger("newsdesk.alerts")


def webhook_url(settings: Settings) -> str | None:
    return settings.alerts_webhook or None


def change(health: SourceHealth, after_failures: int) -> str | None:
    """The alert text for ``health``'s new state, if it is news; updates ``health.alerted``."""
    told = health.alerted or "ok"
    if health.state == "failing" and health.failures >= after_failures and told != "failing":
        health.alerted = "failing"
        return f"newsdesk: source {health.name} is failing ({health.failures} runs in a row): {health.last_error}"
    if health.state == "drifted" and told != "drifted":
        health.alerted = "drifted"
        return f"newsdesk: source {health.name} drifted from its contract: {health.last_error}"
    if health.state == "ok" and told != "ok":
        health.alerted = "ok"
        return f"newsdesk: source {health.name} recovered"
    return None


async def send(settings: Settings, text: str, source: str) -> bool:
    """Tell the webhook and the Apprise targets; a failure is logged, never raised.
    True when one of them took it."""
    told = await _notify(settings, text, source)
    url = webhook_url(settings)
    if not url:
        return told
    try:
        async with httpx.AsyncClient(timeout=5) as client:
            response = await client.post(url, json={"text": text, "source": source})
        response.raise_for_status()
    except (httpx.HTTPError, httpx.InvalidURL) as exc:  # its message quotes the URL, and a webhook URL is a credential
        status = exc.response.status_code if isinstance(exc, httpx.HTTPStatusError) else type(exc).__name__
        log.warning("alert webhook %s://%s/… failed for source %s: %s", *_origin(url), source, status)
        return told
    return True


async def _notify(settings: Settings, text: str, source: str) -> bool:
    urls = settings.alerts_notify.split()
    if not urls:
        return False
    import apprise  # here: most runs have nothing to tell, and loading it costs 40 ms

    sender = apprise.Apprise()
    for url in urls:
        if not sender.add(url):
            log.warning("alerts.notify: not an Apprise URL: %s://…", url.split("://", 1)[0])
    if not len(sender):
        return False
    told = bool(await sender.async_notify(body=text, title=f"newsdesk: source {source}"))
    if not told:
        log.warning("source alert for %s: no Apprise target took it", source)
    return told


def _origin(url: str) -> tuple[str, str]:
    """(scheme, host) of ``url``: what a log may say of a webhook."""
    try:
        parts = httpx.URL(url)
    except httpx.InvalidURL:
        return "?", "?"
    return parts.scheme or "?", parts.host or "?"
