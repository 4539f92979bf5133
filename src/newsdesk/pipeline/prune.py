"""Retention, as the settings and the catalog say: ``retention.days`` for all articles,
``retention.flash_days`` for flash items, a source's own ``retention_days`` over both.
``newsdesk prune`` and the daemons (daily) run :func:`prune`."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta

from newsdesk.config import Settings
from newsdesk.sources.catalog import Source
from newsdesk.store import Store
from newsdesk.store.retention import Cutoffs

__all__ = ["DAILY", "cutoffs", "keeps_everything", "prune"]

DAILY = 24 * 3600.0  # seconds between the daemons' prunes


def cutoffs(settings: Settings, sources: Iterable[Source], now: datetime) -> Cutoffs:
    """The publication times before which articles go."""

    def before(days: int) -> datetime | None:
        return now - timedelta(days=days) if days > 0 else None

    own = {s.name: before(s.retention_days) for s in sources if s.retention_days is not None}
    return Cutoffs(before(settings.retention_days), before(settings.retention_flash_days), own)


def keeps_everything(settings: Settings, sources: Iterable[Source]) -> bool:
    """Whether no retention rule is set (the daemons then never prune)."""
    return not cutoffs(settings, sources, datetime.now(UTC)).conditions()


def prune(
    store: Store, settings: Settings, sources: Iterable[Source], *, dry_run: bool = False, now: datetime | None = None
) -> Counter[str]:
    """Remove (or with ``dry_run`` count) the articles past their keep time; by source."""
    rules = cutoffs(settings, sources, now or datetime.now(UTC))
    if dry_run:
        return store.expired(rules)
    gone = store.prune(rules)
    store.settle(sum(gone.values()))  # a large prune gets the VACUUM autovacuum would give it later
    return gone
