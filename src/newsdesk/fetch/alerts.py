"""The alert webhook: a Slack-compatible JSON POST when a source's state changes.

It fires when a source has failed ``alerts.after_failures`` runs in a row, when it
drifts (breaks its contract), and when it recovers — once per change, never once
per run. The URL comes from ``alerts.webhook`` or the environment variable
``NEWSDESK_ALERT_WEBHOOK``; without one, nothing is sent.
"""

from __future__ import annotations

import logging
import os

import httpx

from newsdesk.config import Settings
from newsdesk.models import SourceHealth

__all__ = ["change", "send", "webhook_url"]

log = logging.getLogger("newsdesk.alerts")


def webhook_url(settings: Settings) -> str | None:
    return settings.alerts_webhook or os.environ.get("NEWSDESK_ALERT_WEBHOOK") or None


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
    """POST ``{"text": ...}`` to the webhook; a failure is logged, never raised."""
    url = webhook_url(settings)
    if not url:
        return False
    try:
        async with httpx.AsyncClient(timeout=5) as client:
            response = await client.post(url, json={"text": text, "source": source})
        response.raise_for_status()
    except httpx.HTTPError as exc:
        log.warning("alert webhook failed for source %s: %s", source, exc)
        return False
    return True
