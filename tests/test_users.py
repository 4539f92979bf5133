"""Accounts from the command line: users with argon2id-hashed passwords, app passwords
and API tokens printed once and kept as digests, revoked one by one; bad names and
passwords refused with exit 2. The real command in a subprocess, a real SQLite file."""

from __future__ import annotations

import json
import subprocess
import sys

from newsdesk import accounts
from newsdesk.store import Store
from tests.conftest import newsdesk

PASSWORD = "correct horse battery staple"


def _with_stdin(db: str, text: str, *args: str) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "newsdesk", "--db", db, *args]
    return subprocess.run(command, input=text, capture_output=True, text=True, timeout=120)


def test_users_app_passwords_and_tokens(tmp_path):
    db = f"sqlite:///{tmp_path}/n.db"
    assert _with_stdin(db, PASSWORD + "\n", "user", "add", "ada", "--admin", "--password-stdin").returncode == 0
    assert _with_stdin(db, PASSWORD + "\n", "user", "add", "ada", "--password-stdin").returncode == 2, "taken"
    assert _with_stdin(db, "short\n", "user", "add", "bob", "--password-stdin").returncode == 2
    assert _with_stdin(db, PASSWORD + "\n", "user", "add", "Bob!", "--password-stdin").returncode == 2
    app_password = newsdesk("user", "app-password", "add", "ada", "--label", "Reeder", db=db, check=True).stdout
    token = newsdesk("user", "token", "add", "ada", "--label", "cron", db=db, check=True).stdout.strip()
    assert app_password.count("\n") == 1 and len(app_password.strip()) == 29, "the password alone on stdout"
    assert token.startswith("nd_") and len(token) == 35
    listed = json.loads(newsdesk("user", "app-password", "list", "ada", "--json", db=db, check=True).stdout)
    assert [(t["id"], t["label"], t["kind"]) for t in listed] == [(1, "Reeder", "app")]
    assert app_password.strip() not in json.dumps(listed)
    with Store(db) as store:
        assert store.token_user(accounts.digest(app_password), "app").name == "ada"
        assert store.token_user(accounts.digest(token), "app") is None, "an API token is not an app password"
        ada = store.user("ada")
        assert ada.admin and accounts.verify_password(ada.password, PASSWORD)
        assert not accounts.verify_password(ada.password, PASSWORD + "x")
    raw = (tmp_path / "n.db").read_bytes()
    assert PASSWORD.encode() not in raw and app_password.strip().encode() not in raw and token.encode() not in raw
    assert newsdesk("user", "app-password", "remove", "ada", "2", db=db).returncode == 2, "the token's id, not this"
    assert newsdesk("user", "app-password", "remove", "ada", "1", db=db).returncode == 0
    with Store(db) as store:
        assert store.token_user(accounts.digest(app_password), "app") is None, "revoked"
    assert _with_stdin(db, "another password\n", "user", "passwd", "ada", "--password-stdin").returncode == 0
    users = json.loads(newsdesk("user", "list", "--json", db=db, check=True).stdout)
    assert [(u["name"], u["admin"]) for u in users] == [("ada", True)]
    assert newsdesk("user", "remove", "ada", db=db).returncode == 0
    assert newsdesk("user", "remove", "ada", db=db).returncode == 2
    with Store(db) as store:
        assert store.token_user(accounts.digest(token), "api") is None, "a removed user's tokens go with them"


def test_passwords_are_bounded_before_hashing():
    assert not accounts.verify_password(accounts.hash_password(PASSWORD), "x" * 10_000_000)
    assert not accounts.verify_password("not a hash", PASSWORD) and not accounts.verify_password("", PASSWORD)
