"""Who a reader app is: the user whose app password it signed in with.

``ClientLogin`` takes a user's name and one of their app passwords and hands out an
``Auth`` token (a sign-in kept like a browser session, tied to the app password: revoking
the password ends it); Fever clients send ``md5(name:app password)`` with every request.
The store keeps digests only; failed attempts are limited per client address and name,
as for the login page.
"""

from __future__ import annotations

import secrets
from datetime import timedelta

from newsdesk import accounts
from newsdesk.store import Store
from newsdesk.store.accounts import User
from newsdesk.web.auth import Failures

__all__ = ["APP_SIGN_IN_DAYS", "Signin"]

APP_SIGN_IN_DAYS = 365  # apps sign in again with the stored password when told 401


class Signin:
    def __init__(self, store: Store) -> None:
        self.store = store
        self.failures = Failures()

    def blocked(self, client: str, name: str) -> float:
        return self.failures.blocked(f"ip:{client}", f"name:{name}")

    def client_login(self, client: str, name: str, password: str) -> str | None:
        """A new ``Auth`` token for ``name`` and one of their app passwords, or None."""
        name = name.strip().lower()
        user, token_id = self.store.token_of(accounts.digest(password), "app") if password else (None, 0)
        if user is None or user.name != name:
            self.failures.add(f"ip:{client}", f"name:{name}")
            return None
        auth = f"{user.name}/{secrets.token_hex(20)}"
        lasts = timedelta(days=APP_SIGN_IN_DAYS)
        self.store.open_session(user.name, _digest(auth), secrets.token_hex(20), lasts, token_id)
        return auth

    def of_header(self, authorization: str | None) -> tuple[User, str] | None:
        """The user of ``Authorization: GoogleLogin auth=…`` and the sign-in's ``T`` token, or None."""
        scheme, _, rest = (authorization or "").partition(" ")
        key, _, auth = rest.strip().partition("=")
        if scheme != "GoogleLogin" or key != "auth" or not 0 < len(auth) <= 200:
            return None
        return self.store.session(_digest(auth))

    def of_fever_key(self, client: str, key: str) -> User | None:
        """The user of a Fever ``api_key`` (md5 of ``name:app password``), or None."""
        key = key.strip().lower()
        user = self.store.token_user(accounts.digest(key), "app", fever=True) if len(key) == 32 else None
        if user is None:
            self.failures.add(f"ip:{client}")
        return user


def _digest(auth: str) -> str:
    # Its own prefix: an app's token is never a browser session's cookie, nor the reverse.
    return accounts.digest("greader\0" + auth)
