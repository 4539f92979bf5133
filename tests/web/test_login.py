"""Signing in on the served site: with reading not public, pages send readers to the
login and the API answers 401; a Bearer API token and a session cookie let them in; the
login form refuses a missing or foreign form token, wrong passwords, and, after five
failures, every try for a while; logging out ends the session."""

from __future__ import annotations

import re
from dataclasses import replace

from newsdesk import accounts
from newsdesk.config import Settings
from newsdesk.models import ArticleFilter
from newsdesk.web import create_app
from newsdesk.web.auth import FORM_COOKIE, MAX_FAILURES, SESSION_COOKIE
from tests.watch.test_briefs import _pfizer
from tests.web.helpers import running

PASSWORD = "correct horse battery staple"
PRIVATE = replace(Settings(), web_public=False, web_admin_token="admin-secret-token-1")


def _form_token(page: str) -> str:
    return re.search(r'name="form_token" value="([^"]+)"', page)[1]


def test_reading_behind_a_login(tmp_path, open_store):
    store = open_store(f"sqlite:///{tmp_path}/n.db")
    store.add_user("ada", accounts.hash_password(PASSWORD))
    token = accounts.new_token("api")
    store.add_token("ada", "api", "script", accounts.digest(token))
    with running(create_app(store, PRIVATE)) as client:
        moved = client.get("/stories/?x=1", follow_redirects=False)
        assert moved.status_code == 303 and moved.headers["location"] == "/login?next=/stories/%3Fx%3D1"
        assert client.get("/api/articles").status_code == 401
        assert client.get("/api/articles", headers={"Authorization": "Bearer nd_wrong"}).status_code == 401
        assert client.get("/api/articles", headers={"Authorization": f"Bearer {token}"}).status_code == 200
        admin = {"Authorization": "Bearer admin-secret-token-1"}
        assert client.get("/api/admin/watchlists", headers=admin).status_code == 200, "the admin token still works"
        assert client.get("/style.css").status_code == 200
        page = client.get("/login").text
        assert 'autocomplete="current-password"' in page
        login = {"name": "ada", "password": PASSWORD, "next": "/stories/", "form_token": _form_token(page)}
        assert client.post("/login", data={**login, "form_token": "forged"}).status_code == 403
        client.cookies.delete(FORM_COOKIE)
        assert client.post("/login", data=login).status_code == 403, "no form cookie: refused"
        login["form_token"] = _form_token(client.get("/login").text)
        wrong = client.post("/login", data={**login, "password": "not it at all"})
        assert wrong.status_code == 401 and PASSWORD not in wrong.text and "not it at all" not in wrong.text
        done = client.post("/login", data=login, follow_redirects=False)
        assert done.status_code == 303 and done.headers["location"] == "/stories/"
        cookie = done.headers["set-cookie"]
        assert SESSION_COOKIE in cookie and "HttpOnly" in cookie and "SameSite=lax" in cookie
        assert client.get("/stories/").status_code == 200 and client.get("/api/articles").status_code == 200
        evil = client.post("/login", data={**login, "next": "//evil.example/"}, follow_redirects=False)
        assert evil.headers["location"] == "/"
        signed_in = client.get("/login").text
        assert client.post("/logout", data={"form_token": "forged"}).status_code == 403
        out = client.post("/logout", data={"form_token": _form_token(signed_in)}, follow_redirects=False)
        assert out.status_code == 303 and client.get("/api/articles").status_code == 401


def test_failed_logins_are_limited(tmp_path, open_store):
    store = open_store(f"sqlite:///{tmp_path}/n.db")
    store.add_user("ada", accounts.hash_password(PASSWORD))
    with running(create_app(store, PRIVATE)) as client:
        token = _form_token(client.get("/login").text)
        for _ in range(MAX_FAILURES):
            assert (
                client.post("/login", data={"name": "ada", "password": "wrong guess", "form_token": token}).status_code
                == 401
            )
        right = client.post("/login", data={"name": "ada", "password": PASSWORD, "form_token": token})
        assert right.status_code == 429 and int(right.headers["retry-after"]) > 0
        nobody = client.post("/login", data={"name": "zed", "password": PASSWORD, "form_token": token})
        assert nobody.status_code == 429, "the same address"


def test_a_public_site_needs_no_login(tmp_path, open_store):
    store = open_store(f"sqlite:///{tmp_path}/n.db")
    with running(create_app(store, Settings())) as client:
        assert client.get("/api/articles").status_code == 200 and client.get("/").status_code == 200


def test_a_readers_own_read_and_starred_articles(tmp_path, open_store):
    store = open_store(f"sqlite:///{tmp_path}/n.db")
    _pfizer(store, tmp_path)
    for name in ("ada", "bob"):
        store.add_user(name, accounts.hash_password(PASSWORD))
    tokens = {}
    for name in ("ada", "bob"):
        tokens[name] = accounts.new_token("api")
        store.add_token(name, "api", "t", accounts.digest(tokens[name]))
    ada, bob = ({"Authorization": f"Bearer {tokens[n]}"} for n in ("ada", "bob"))
    english = next(a for a in store.iter_articles(bodies=False) if a.link.endswith("/articles/2"))
    total = store.count_where(ArticleFilter())
    with running(create_app(store, Settings())) as client:
        assert client.get("/api/me").status_code == 401
        assert client.get("/api/me", headers=ada).json()["name"] == "ada"
        marked = client.put(f"/api/me/articles/{english.uuid}", json={"starred": True}, headers=ada)
        assert marked.json() == {"uuid": english.uuid, "read": False, "starred": True}
        assert client.put(f"/api/me/articles/{'0' * 32}", json={"read": True}, headers=ada).status_code == 404
        assert client.put(f"/api/me/articles/{english.uuid}", json={"other": 1}, headers=ada).status_code in (400, 422)
        story = client.post(f"/api/me/stories/{english.cluster}/read", headers=ada).json()
        assert story["marked"] == 2, "the Chinese and the English report of the story"
        assert client.get("/api/me/unread-count", headers=ada).json()["unread"] == total - 2
        assert client.get("/api/me/unread-count", headers=bob).json()["unread"] == total, "bob's state is his own"
        assert [a["uuid"] for a in client.get("/api/me/starred", headers=ada).json()["articles"]] == [english.uuid]
        assert client.get("/api/me/starred", headers=bob).json()["articles"] == []
        login = {"name": "ada", "password": PASSWORD, "form_token": _form_token(client.get("/login").text)}
        client.post("/login", data=login)
        body = {"read": False}
        assert client.put(f"/api/me/articles/{english.uuid}", json=body).status_code == 403, "no X-CSRF-Token"
        csrf = _form_token(client.get("/login").text)  # the logout form's: the session's own
        again = client.put(f"/api/me/articles/{english.uuid}", json=body, headers={"X-CSRF-Token": csrf})
        assert again.json() == {"uuid": english.uuid, "read": False, "starred": True}


def test_admin_users_api_tokens_open_the_admin_routes(tmp_path, open_store):
    store = open_store(f"sqlite:///{tmp_path}/n.db")
    tokens = {}
    for name, admin in (("root", True), ("ada", False)):
        store.add_user(name, accounts.hash_password(PASSWORD), admin=admin)
        tokens[name] = accounts.new_token("api")
        store.add_token(name, "api", "script", accounts.digest(tokens[name]))
    with running(create_app(store, replace(Settings(), web_admin_token=""))) as client:
        as_root = {"Authorization": f"Bearer {tokens['root']}"}
        assert client.get("/api/admin/watchlists", headers=as_root).status_code == 200
        assert (
            client.get("/api/admin/watchlists", headers={"Authorization": f"Bearer {tokens['ada']}"}).status_code == 401
        )
        assert client.get("/api/admin/watchlists").status_code == 401
        store.remove_user("root")
        assert client.get("/api/admin/watchlists", headers=as_root).status_code == 403, "no admin of any kind: off"
