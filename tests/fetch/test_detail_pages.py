"""Detail pages through a real fetch: the fallback body, the page's own title and
date when the list gives none, and pages with no article body as rejections."""

import json
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from newsdesk.config import Settings
from newsdesk.publish.jsonl import article_json
from newsdesk.sources.catalog import Detail, Source
from newsdesk.store import Store
from tests.fetch.conftest import run

PAGES = Path(__file__).parent.parent / "fixtures" / "extract"


def _serve_pages(
    httpserver, pages: dict[str, str], fields: dict[str, str] | None = None, items=None, **options
) -> Source:
    listing = {"items": items if items is not None else [{"u": httpserver.url_for(path)} for path in pages]}
    httpserver.expect_request("/list").respond_with_data(json.dumps(listing), content_type="application/json")
    for path, name in pages.items():
        httpserver.expect_request(path).respond_with_data(
            (PAGES / name).read_bytes(), content_type="text/html; charset=utf-8"
        )
    options.setdefault("detail", Detail())
    return Source(
        name="pages",
        kind="json",
        url=httpserver.url_for("/list"),
        file="test",
        items="items",
        fields=fields or {"title": "t", "link": "u", "published": "d"},
        allow_private=True,
        **options,
    )


def test_title_and_date_come_from_the_page_when_the_list_has_none(httpserver, sqlite_url):
    source = _serve_pages(httpserver, {"/a/1.html": "netease_comments.html"})
    with Store(sqlite_url) as store:
        [result] = run([source], store)
        assert result.state == "ok" and result.new == 1, result
        [article] = list(store.iter_articles())
        assert article.title == "新能源车企三季度交付量创新高"
        assert article.dated and article.published == datetime(2026, 10, 2, 9, 41, tzinfo=ZoneInfo("Asia/Shanghai"))
        assert "合计交付量" in article.text and "网友评论" not in article.text


def test_an_article_with_no_known_date_stays_undated(httpserver, sqlite_url):
    source = _serve_pages(httpserver, {"/story": "undated.html"})  # no date in page, list or URL
    with Store(sqlite_url) as store:
        run([source], store)
        [article] = list(store.iter_articles())
        assert not article.dated and article.first_seen is not None
        row = article_json(article, Settings())
        assert row["published"] is None and row["first_seen"] is not None


def test_the_list_date_wins_over_the_page(httpserver, sqlite_url):
    items = [{"u": httpserver.url_for("/a/1.html"), "t": "列表标题", "d": "2026-10-01 08:00:00"}]
    source = _serve_pages(httpserver, {"/a/1.html": "netease_comments.html"}, items=items)
    with Store(sqlite_url) as store:
        run([source], store)
        [article] = list(store.iter_articles())
        assert article.title == "列表标题" and article.published.astimezone(ZoneInfo("Asia/Shanghai")).day == 1


def test_a_page_without_an_article_body_is_a_rejection_with_its_reason(httpserver, sqlite_url):
    source = _serve_pages(httpserver, {"/a/1.html": "hexun_disclaimer.html", "/markets": "no_body.html"})
    with Store(sqlite_url) as store:
        [result] = run([source], store)
        assert result.state == "ok" and (result.new, result.rejected) == (1, 1)
        assert result.reasons == {"no article body": 1}


def test_a_source_whose_pages_all_lack_a_body_has_drifted(httpserver, sqlite_url):
    source = _serve_pages(httpserver, {"/markets": "no_body.html", "/tech": "no_body.html"})
    with Store(sqlite_url) as store:
        [result] = run([source], store)
        assert result.state == "drifted" and "no article body" in (result.error or "")
        assert result.reasons == {"no article body": 2}
        health = store.health(["pages"])["pages"]
        assert health.state == "drifted" and "no article body" in (health.last_error or "")
        assert health.rejected == {"no article body": 2} and health.as_json()["rejected"] == {"no article body": 2}


def test_title_less_flash_items_are_kept_with_a_title_from_their_text(httpserver, sqlite_url):
    items = [
        {
            "id": "f1",
            "c": "<p>美国8月非农就业人口增加14.2万人，预期16.5万人。失业率4.2%。</p>",
            "u": "https://flash.example.com/f1",
        },
        {"id": "f2", "c": "", "u": "https://flash.example.com/f2"},
    ]
    httpserver.expect_request("/list").respond_with_data(json.dumps({"items": items}), content_type="application/json")
    source = Source(
        name="flash",
        kind="json",
        url=httpserver.url_for("/list"),
        file="test",
        items="items",
        item_kind=2,
        fields={"id": "id", "title": "t", "summary": "c", "link": "u"},
        contract=None,
    )
    with Store(sqlite_url) as store:
        [result] = run([source], store)
        assert result.new == 1 and result.reasons == {"no title or body": 1}
        [article] = list(store.iter_articles())
        assert article.title == "美国8月非农就业人口增加14.2万人，预期16.5万人" and article.kind == 2


def test_a_body_much_shorter_than_the_list_summary_is_flagged_and_the_summary_kept(httpserver, sqlite_url):
    summary = "<p>" + "The list gave the whole story, sentence after sentence, with every figure in it. " * 8 + "</p>"
    items = [{"u": httpserver.url_for("/teaser"), "t": "Short page", "s": summary}]
    httpserver.expect_request("/teaser").respond_with_data(
        "<html><body><article><p>Only a teaser of the story, read the rest elsewhere, "
        "please.</p></article></body></html>",
        content_type="text/html",
    )
    source = _serve_pages(httpserver, {}, fields={"title": "t", "link": "u", "summary": "s"}, items=items)
    with Store(sqlite_url) as store:
        [result] = run([source], store)
        assert result.state == "ok" and result.new == 1 and result.flagged == {"short body": 1}
        [article] = list(store.iter_articles())
        assert "every figure in it" in article.text
