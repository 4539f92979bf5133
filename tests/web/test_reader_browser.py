"""The reader's pages in Debian's Chromium (Playwright): signing in, subscribing to a
site by its page's URL, a form without the session's token refused, removing a feed and
bringing it back from the exported OPML pasted into the import form."""

from __future__ import annotations

from dataclasses import replace

import pytest

from newsdesk import accounts
from newsdesk.config import Settings
from newsdesk.web import create_app
from tests.conftest import threaded_server
from tests.web.helpers import chromium, running
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
