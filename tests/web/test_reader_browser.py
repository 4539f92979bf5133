"""The reader's pages in Debian's Chromium (Playwright): signing in, subscribing to a
site by its page's URL, a form without the session's token refused, removing a feed and
bringing it back from the exported OPML pasted into the import form; reading, starring,
muting and highlighting on the served lists and article pages."""

from __future__ import annotations

from dataclasses import replace

import pytest

from newsdesk import accounts
from newsdesk.config import Settings
from newsdesk.pipeline import import_paths
from newsdesk.web import create_app
from tests.conftest import threaded_server, write_data
from tests.web.helpers import RECORDS, chromium, running
from tests.web.test_subscriptions import FEED, PAGE

pytestmark = pytest.mark.slow


@pytest.fixture
def browser():
    with chromium() as launched:
        yield launched


def test_subscribe_remove_and_opml_in_the_browser(browser, tmp_path, open_store):
    store = open_store(f"sqlite:///{tmp_path}/n.db")
    store.add_user("root", accounts.hash_password("a long password"), admin=True)
    settings = replace(Settings(), web_public=False, sources_subscribe_private=True)
    with threaded_server() as feeds, running(create_app(store, settings)) as client:
        base = feeds.url_for("").rstrip("/")
        feeds.expect_request("/feed.xml").respond_with_data(
            FEED.replace("{BASE}", base), content_type="application/rss+xml"
        )
        feeds.expect_request("/site/").respond_with_data(PAGE, content_type="text/html")
        page = browser.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.goto(f"{client.base_url}/subscriptions/")
        assert "/login" in page.url
        page.fill("#login-name", "root")
        page.fill("#login-password", "a long password")
        page.click("button[type=submit]")
        page.wait_for_url("**/subscriptions/")

        page.fill("#feed-url", f"{base}/site/")
        page.fill("#feed-category", "Markets")
        page.click("form.subscribe button[type=submit]")
        page.wait_for_selector("text=subscribed: Loopback Markets")
        assert page.locator("table.feeds tbody tr").count() == 1 and "Markets" in page.inner_text("table.feeds")

        forged = page.request.post(
            f"{client.base_url}/subscriptions/add", form={"url": f"{base}/site/", "form_token": "x"}
        )
        assert forged.status == 403

        opml = page.request.get(f"{client.base_url}/api/subscriptions/opml").text()
        assert f"{base}/feed.xml" in opml
        page.click("table.feeds button[type=submit]")
        page.wait_for_selector("text=removed:")
        assert page.locator("table.feeds").count() == 0
        page.fill("#opml-text", opml)
        page.click("form.opml button[type=submit]")
        page.wait_for_selector("text=1 feeds added")
        assert "Loopback Markets" in page.inner_text("table.feeds") and "Markets" in page.inner_text("table.feeds")
        page.fill("#opml-text", "<opml><body>nothing</body></opml>")
        page.click("form.opml button[type=submit]")
        page.wait_for_selector("[role=alert]")
        assert "no feed" in page.inner_text("[role=alert]")
        assert errors == []
        page.close()


def test_read_star_and_mute_on_the_served_pages(browser, tmp_path, open_store):
    write_data(tmp_path / "data" / "wire" / "news.json", RECORDS)
    store = open_store(f"sqlite:///{tmp_path}/n.db")
    import_paths(store, [tmp_path / "data"], Settings())
    store.add_user("ada", accounts.hash_password("a long password"))
    with running(create_app(store, Settings())) as client:
        page = browser.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.goto(f"{client.base_url}/sources/wire_0/")
        assert page.locator(".reader-tools").count() == 0, "nobody signed in: the page as everyone sees it"
        page.goto(f"{client.base_url}/login?next=/sources/wire_0/")
        page.fill("#login-name", "ada")
        page.fill("#login-password", "a long password")
        page.click("button[type=submit]")
        page.wait_for_url("**/sources/wire_0/")
        first = page.locator("article[data-uuid]").first
        uuid = first.get_attribute("data-uuid")
        first.locator(".reader-read").click()
        page.wait_for_selector(f"article.is-read[data-uuid='{uuid}']")
        first.locator(".reader-star").click()
        page.wait_for_selector(f"article.is-starred[data-uuid='{uuid}']")
        assert store.states("ada", [uuid]) == {uuid: (True, True)}

        second = page.locator("article[data-uuid]").nth(1).get_attribute("data-uuid")
        page.goto(f"{client.base_url}/posts/{second}.html")
        page.wait_for_selector("article.post.is-read")
        assert store.states("ada", [second])[second][0] is True, "an article page opened is read"

        me = page.request.get(f"{client.base_url}/api/session").json()
        chosen = {"muted_sources": ["wire_1"], "muted_words": [], "highlighted": ["meeting 2"]}
        refused = page.request.put(f"{client.base_url}/api/me/preferences", data=chosen)
        assert refused.status == 403, "a change from the browser needs the session's token"
        saved = page.request.put(
            f"{client.base_url}/api/me/preferences", data=chosen, headers={"X-CSRF-Token": me["csrf"]}
        )
        assert saved.ok
        page.goto(f"{client.base_url}/")
        page.wait_for_selector(".reader-tools")
        shown = page.locator("article[data-uuid]:visible")
        assert all(shown.nth(n).get_attribute("data-source") != "wire_1" for n in range(shown.count()))
        assert page.locator("article.is-muted").count() > 0
        assert page.locator("article.is-highlighted").count() >= 1
        assert errors == []
        page.close()


def test_the_feeds_page_shows_only_its_own_messages(tmp_path, open_store):
    store = open_store(f"sqlite:///{tmp_path}/n.db")
    store.add_user("root", accounts.hash_password("a long password"), admin=True)
    with running(create_app(store, Settings())) as client:
        form = client.get("/login").text
        token = form.split('name="form_token" value="')[1].split('"')[0]
        client.post("/login", data={"name": "root", "password": "a long password", "next": "/", "form_token": token})
        planted = client.get("/subscriptions/", params={"error": "Your session ended: sign in at evil.example"})
        assert planted.status_code == 200 and "evil.example" not in planted.text
        page = client.get("/subscriptions/").text
        form_token = page.split('name="form_token" value="')[1].split('"')[0]
        said = client.post(
            "/subscriptions/add", data={"url": "ftp://x", "form_token": form_token}, follow_redirects=True
        )
        assert said.status_code == 200 and "not an http(s) URL" in said.text, "the server's own message shows"
