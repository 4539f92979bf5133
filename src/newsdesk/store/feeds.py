"""The desk's feeds as reader apps see them: a number for every source (catalog or
subscription), its category (folder), the categories' numbers, and the feeds added by
URL (subscriptions) that join the YAML catalog. Numbers are handed out on first sight
and never reused, so an app's ids stay valid."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite

from newsdesk.errors import ConfigError
from newsdesk.store.schema import categories, feeds, subscriptions

__all__ = ["Feed", "FeedStore", "Subscription"]


@dataclass(frozen=True, slots=True)
class Subscription:
    name: str
    url: str
    title: str
    site: str | None = None
    added_by: str | None = None
    created: datetime | None = None


@dataclass(frozen=True, slots=True)
class Feed:
    """A source's number and category (``None``: in no folder)."""

    id: int
    name: str
    category: str | None


class FeedStore:
    """The store's methods for feeds, categories and subscriptions (:class:`newsdesk.store.Store` has them)."""

    engine: sa.Engine

    def _connect(self) -> sa.Connection:
        raise NotImplementedError

    def feeds(self, names: Iterable[str]) -> dict[str, Feed]:
        """The feed of each source in ``names`` (numbered now if new), by name."""
        wanted = sorted(set(names))
        with self.engine.begin() as conn:
            _numbered(conn, feeds, wanted)
            if not wanted:
                return {}
            rows = conn.execute(sa.select(feeds.c.id, feeds.c.name, feeds.c.category).where(feeds.c.name.in_(wanted)))
            return {name: Feed(number, name, category) for number, name, category in rows}

    def feed_names(self, ids: Iterable[int]) -> dict[int, str]:
        """Source names of these feed numbers (unknown numbers are left out)."""
        wanted = list(set(ids))[:10_000]
        query = sa.select(feeds.c.id, feeds.c.name).where(feeds.c.id.in_(wanted))
        with self._connect() as conn:
            return {number: name for number, name in conn.execute(query)} if wanted else {}

    def categories(self) -> dict[str, int]:
        """Every category in use with its number, by name."""
        with self.engine.begin() as conn:
            used = sorted(set(conn.execute(sa.select(feeds.c.category).where(feeds.c.category.is_not(None))).scalars()))
            _numbered(conn, categories, used)
            rows = conn.execute(sa.select(categories.c.name, categories.c.id).where(categories.c.name.in_(used)))
            return {name: number for name, number in rows} if used else {}

    def set_category(self, name: str, category: str | None) -> None:
        """Put the source ``name`` in ``category`` (None: in none)."""
        category = check_category(category) if category else None
        with self.engine.begin() as conn:
            _numbered(conn, feeds, [name])
            conn.execute(feeds.update().where(feeds.c.name == name).values(category=category))

    def rename_category(self, old: str, new: str | None) -> int:
        """Move every feed of ``old`` to ``new`` (None: out of any folder); how many."""
        new = check_category(new) if new else None
        with self.engine.begin() as conn:
            return conn.execute(feeds.update().where(feeds.c.category == old).values(category=new)).rowcount

    def subscriptions(self) -> list[Subscription]:
        """The feeds added by URL, by name."""
        with self._connect() as conn:
            rows = conn.execute(sa.select(subscriptions).order_by(subscriptions.c.name)).mappings()
            return [Subscription(**row) for row in rows]

    def add_subscriptions(self, added: list[tuple[Subscription, str | None]]) -> None:
        """Add subscriptions with their categories in one transaction: all or none.
        ConfigError when a name or a URL is taken."""
        s = subscriptions.c
        with self.engine.begin() as conn:
            for subscription, category in added:
                taken = sa.or_(s.name == subscription.name, s.url == subscription.url)
                if conn.execute(sa.select(s.name).where(taken)).first():
                    raise ConfigError(f"already subscribed: {subscription.url[:200]}", where=subscription.name)
                row = {**_fields(subscription), "created": subscription.created or datetime.now(UTC)}
                conn.execute(subscriptions.insert(), row)
                _numbered(conn, feeds, [subscription.name])
                category = check_category(category) if category else None
                conn.execute(feeds.update().where(feeds.c.name == subscription.name).values(category=category))

    def remove_subscription(self, name: str) -> bool:
        """Forget the subscription ``name`` (its articles stay); False when there is none."""
        with self.engine.begin() as conn:
            return conn.execute(subscriptions.delete().where(subscriptions.c.name == name)).rowcount > 0


def check_category(name: str) -> str:
    """A category's name, trimmed: 1 to 100 characters without control characters or ``/``."""
    name = " ".join(name.split())
    if not 0 < len(name) <= 100 or "/" in name or any(ord(ch) < 32 for ch in name):
        raise ConfigError(f"{name[:100]!r} is not a category name (1 to 100 characters, no /)")
    return name


def _fields(subscription: Subscription) -> dict[str, object]:
    return {k: getattr(subscription, k) for k in ("name", "url", "title", "site", "added_by")}


def _numbered(conn: sa.Connection, table: sa.Table, names: list[str]) -> None:
    """Give ``names`` a row (and so a number) in ``table`` when they have none."""
    known = set(conn.execute(sa.select(table.c.name).where(table.c.name.in_(names))).scalars()) if names else set()
    names = [n for n in names if n not in known]
    if not names:
        return
    insert = (postgresql.insert if conn.dialect.name == "postgresql" else sqlite.insert)(table)
    conn.execute(insert.on_conflict_do_nothing(index_elements=["name"]), [{"name": n} for n in names])
