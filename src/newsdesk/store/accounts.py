"""The store's accounts: users and their tokens (app passwords, API tokens).

The store keeps what :mod:`newsdesk.accounts` makes — a password's argon2id hash, a
token's SHA-256 digest — and never a secret itself. Removing a user removes their
tokens in the same transaction.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import sqlalchemy as sa

from newsdesk.errors import ConfigError
from newsdesk.store.schema import article_states, read_counts, sessions, user_prefs, user_tokens, users

__all__ = ["AccountStore", "Token", "User"]

_TOUCH = timedelta(minutes=5)  # a token's last use is written at most this often


@dataclass(frozen=True, slots=True)
class User:
    name: str
    admin: bool
    created: datetime
    password: str = ""  # the hash; empty where it is not needed


@dataclass(frozen=True, slots=True)
class Token:
    id: int
    user: str
    kind: str
    label: str
    created: datetime
    last_used: datetime | None

    def as_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "kind": self.kind,
            "label": self.label,
            "created": self.created.isoformat(),
            "last_used": self.last_used.isoformat() if self.last_used else None,
        }


class AccountStore:
    """The store's methods for accounts (:class:`newsdesk.store.Store` has them)."""

    engine: sa.Engine

    def _connect(self) -> sa.Connection:
        raise NotImplementedError

    def add_user(self, name: str, password_hash: str, *, admin: bool = False) -> None:
        """A new user; ConfigError when the name is taken."""
        with self.engine.begin() as conn:
            if conn.execute(sa.select(users.c.name).where(users.c.name == name)).first():
                raise ConfigError(f"user {name!r} exists (newsdesk user passwd to change the password)")
            row = {"name": name, "password": password_hash, "admin": admin, "created": datetime.now(UTC)}
            conn.execute(users.insert(), row)

    def user(self, name: str) -> User | None:
        """The user ``name`` with the password's hash, or None."""
        with self._connect() as conn:
            row = conn.execute(sa.select(users).where(users.c.name == name)).mappings().first()
        return User(**row) if row else None

    def users(self) -> list[User]:
        """Every user, by name, without the hashes."""
        c = users.c
        with self._connect() as conn:
            rows = conn.execute(sa.select(c.name, c.admin, c.created).order_by(c.name)).mappings()
            return [User(**row) for row in rows]

    def set_password(self, name: str, password_hash: str) -> bool:
        """Replace ``name``'s password; False when there is no such user."""
        with self.engine.begin() as conn:
            changed = conn.execute(users.update().where(users.c.name == name).values(password=password_hash))
            conn.execute(sessions.delete().where(sessions.c.user == name))  # signed in with the old one: out
            return changed.rowcount > 0

    def remove_user(self, name: str) -> bool:
        """Remove ``name`` with their tokens, sessions and article states; False when there is no such user."""
        with self.engine.begin() as conn:
            conn.execute(user_tokens.delete().where(user_tokens.c.user == name))
            conn.execute(sessions.delete().where(sessions.c.user == name))
            conn.execute(article_states.delete().where(article_states.c.user == name))
            conn.execute(read_counts.delete().where(read_counts.c.user == name))
            conn.execute(user_prefs.delete().where(user_prefs.c.user == name))
            return conn.execute(users.delete().where(users.c.name == name)).rowcount > 0

    def add_token(self, name: str, kind: str, label: str, digest: str, fever: str | None = None) -> int:
        """Keep a new token's digest (and an app password's Fever key digest) for ``name``; its id."""
        with self.engine.begin() as conn:
            if not conn.execute(sa.select(users.c.name).where(users.c.name == name)).first():
                raise ConfigError(f"no user {name!r} (newsdesk user list)")
            row = {"user": name, "kind": kind, "label": label[:100], "digest": digest, "created": datetime.now(UTC)}
            row["fever"] = fever
            made = conn.execute(user_tokens.insert().returning(user_tokens.c.id), row).scalar_one()
            return int(made)

    def tokens(self, name: str, kind: str | None = None) -> list[Token]:
        """``name``'s tokens (of ``kind``), oldest first, without their digests."""
        c = user_tokens.c
        query = sa.select(c.id, c.user, c.kind, c.label, c.created, c.last_used).where(c.user == name)
        if kind:
            query = query.where(c.kind == kind)
        with self._connect() as conn:
            return [Token(**row) for row in conn.execute(query.order_by(c.id)).mappings()]

    def remove_token(self, name: str, token_id: int) -> bool:
        """Revoke one of ``name``'s tokens, with the app sign-ins made with it; False when
        ``name`` has no such token."""
        c = user_tokens.c
        with self.engine.begin() as conn:
            conn.execute(sessions.delete().where(sessions.c.user == name, sessions.c.token_id == token_id))
            return conn.execute(user_tokens.delete().where(c.user == name, c.id == token_id)).rowcount > 0

    def token_user(self, digest: str, kind: str, *, fever: bool = False) -> User | None:
        """The user a token of ``kind`` with this digest (with ``fever``: this Fever key
        digest) belongs to (its last use noted, at most every few minutes), or None."""
        user, _ = self.token_of(digest, kind, fever=fever)
        return user

    def token_of(self, digest: str, kind: str, *, fever: bool = False) -> tuple[User | None, int]:
        """:meth:`token_user` and the token's id (0 when there is no such token)."""
        c, u = user_tokens.c, users.c
        query = (
            sa.select(c.id, c.last_used, u.name, u.admin, u.created)
            .join(users, u.name == c.user)
            .where(c.fever == digest if fever else c.digest == digest, c.kind == kind)
        )
        with self._connect() as conn:
            row = conn.execute(query).mappings().first()
        if row is None:
            return None, 0
        now = datetime.now(UTC)
        if row["last_used"] is None or now - row["last_used"] > _TOUCH:
            with self.engine.begin() as conn:
                conn.execute(user_tokens.update().where(c.id == row["id"]).values(last_used=now))
        return User(row["name"], row["admin"], row["created"]), int(row["id"])

    def open_session(self, name: str, digest: str, csrf: str, lasts: timedelta, token_id: int | None = None) -> None:
        """Keep a new session of ``name`` (its cookie's or app token's digest, its form
        token; for an app, the app password it signed in with) for ``lasts``; sessions
        that have ended go at the same time."""
        now = datetime.now(UTC)
        with self.engine.begin() as conn:
            conn.execute(sessions.delete().where(sessions.c.expires < now))
            row = {"digest": digest, "user": name, "csrf": csrf, "created": now, "expires": now + lasts}
            row["token_id"] = token_id
            conn.execute(sessions.insert(), row)

    def session(self, digest: str) -> tuple[User, str] | None:
        """The user of a session that has not ended, and its form token; or None."""
        s, u = sessions.c, users.c
        query = (
            sa.select(u.name, u.admin, u.created, s.csrf)
            .join(users, u.name == s.user)
            .where(s.digest == digest, s.expires > datetime.now(UTC))
        )
        with self._connect() as conn:
            row = conn.execute(query).mappings().first()
        return (User(row["name"], row["admin"], row["created"]), row["csrf"]) if row else None

    def close_session(self, digest: str) -> None:
        with self.engine.begin() as conn:
            conn.execute(sessions.delete().where(sessions.c.digest == digest))
