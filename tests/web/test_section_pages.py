"""Sections end to end: stored at import, exported, filtered in the store, the JSON API
and the timeline, and shown (with tickers, not keywords) in the sidebar."""

from __future__ import annotations

from newsdesk.config import Settings
from newsdesk.models import ArticleFilter
from newsdesk.pipeline import import_paths
from newsdesk.sources.records import link_uuid
from newsdesk.store import Store
from newsdesk.web import create_app
from tests.conftest import exported, record, write_data
from tests.web.helpers import running

RECORDS = [
    record(1, title="美联储维持利率不变 鲍威尔称不急于降息", description="<p>美联储周三宣布维持利率不变。</p>"),
    record(2, title="Sample Corp Q4 revenue beats estimates, raises guidance", description="<p>Revenue rose.</p>",
           language="en"),
    record(3, title="比特币跌破9万美元", description="<p>加密货币市场全线下跌。</p>"),
    record(4, title="某影星出席慈善活动", description="<p>活动在周末举行。</p>"),
]  # fmt: skip


def test_sections_reach_the_store_the_export_the_api_and_the_pages(sqlite_url, tmp_path):
    write_data(tmp_path / "data" / "wire" / "news.json", RECORDS)
    with Store(sqlite_url) as store:
        import_paths(store, [tmp_path / "data"], Settings())
        by_link = exported(store, "sections")
        assert [by_link[r["link"]] for r in RECORDS] == [["central-banks"], ["earnings"], ["crypto"], ["other"]]
        assert [a.uuid for a in store.page(ArticleFilter(section="crypto"), 10)] == [link_uuid(RECORDS[2]["link"])]
        with running(create_app(store, Settings())) as client:
            found = client.get("/api/articles", params={"section": "central-banks"}).json()["articles"]
            assert [a["uuid"] for a in found] == [link_uuid(RECORDS[0]["link"])]
            assert found[0]["sections"] == ["central-banks"]
            assert client.get("/api/articles", params={"section": "offeree"}).status_code == 422
            page = client.get("/", params={"section": "earnings"}).text
            assert page.count("<article") == 1 and '<option value="earnings" selected>财报 Earnings</option>' in page
            assert client.get("/", params={"section": "nonsense"}).status_code == 400
            feed = client.get("/tags/crypto/index.xml").text  # a section's feed is its tag's
            assert "比特币跌破9万美元" in feed and "美联储维持利率不变" not in feed
            article = client.get(f"/posts/{link_uuid(RECORDS[0]['link'])}.html").text
            assert "央行与利率 Central banks &amp; rates" in article
