"""Body, title and date of detail pages, on pages written in the shape of real ones
(each reproduces a way the readability fallback went wrong on real news sites)."""

from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from newsdesk.extract import main_content, page_date, page_title, quality

PAGES = Path(__file__).parent.parent / "fixtures" / "extract"
SHANGHAI = ZoneInfo("Asia/Shanghai")


def page(name: str) -> str:
    return (PAGES / name).read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("name", "wanted", "unwanted"),
    [
        # NetEase: reader comments and "recommended" links next to the article.
        (
            "netease_comments.html",
            ["合计交付量较去年同期增长约四成", "港股汽车板块整体上涨"],
            ["网友评论", "心疼", "央行宣布下调"],
        ),
        # Sina: a short article beside a live feed of long, punctuation-rich entries.
        ("sina_live_feed.html", ["网传信息不实", "www.12306.cn"], ["牛骑士", "午盘小结", "相关新闻"]),
        # Hexun: a disclaimer block as long as a paragraph after the article.
        ("hexun_disclaimer.html", ["券商板块快速拉升", "头部券商"], ["免责声明"]),
        # WeChat: text in nested <section>s and <span>s, no <p> at all.
        ("wechat_sections.html", ["三季度国内经济延续恢复态势", "稳增长政策", "海外主要经济体"], ["微信扫一扫"]),
        # A government CMS: everything in a <form>, <br>-separated text, hidden link lists.
        ("gov_cms.html", ["各区县统计局", "检查对象", "特此通知"], ["tjj.example.gov.cn", "主办单位", "机构概况"]),
        # English: a table, a caption, a logo.
        (
            "english_table.html",
            ["wrapped up the regular-season championship", "three elimination rounds"],
            ["logo", "Trending", "All rights reserved"],
        ),
    ],
)
def test_the_article_is_taken_and_the_furniture_left(name, wanted, unwanted):
    body = main_content(page(name), "https://news.example.com/a/1.html")
    assert body is not None
    for text in wanted:
        assert text in body.text, (text, body.method, body.text)
    for text in unwanted:
        assert text not in body.text, (text, body.method, body.text)


def test_blocks_stay_apart_in_the_plain_text():
    body = main_content(page("wechat_sections.html"))
    assert body is not None
    lines = body.text.splitlines()
    assert any(line.startswith("从需求端看") for line in lines)  # not glued to the previous section
    table = main_content(page("english_table.html"))
    assert table is not None and "1 Kyle Busch 5040" in table.text.splitlines()


def test_control_characters_in_a_page_are_dropped_not_fatal():
    # lxml parses them into text but refuses them when an element is dropped and its
    # tail moves to the parent: the page once failed with a ValueError
    prose = "Stocks rose today as investors cheered the figures. " * 6
    tails = "<script>a</script>\x01tail\x00 more<style>x</style>\x0bend"
    raw = f"<html><body><div><p>{prose}</p>{tails}</div></body></html>"
    body = main_content(raw, "https://example.com/a")
    assert body is not None and "Stocks rose today" in body.text
    assert not any(c in body.html + body.text for c in "\x00\x01\x0b")


def test_a_page_without_prose_has_no_body():
    assert main_content(page("no_body.html")) is None
    assert main_content("") is None
    assert main_content("<html><body><p>Too short.</p></body></html>") is None


def test_quality_tells_prose_from_menus():
    assert quality("Markets rallied on Friday after the jobs report beat expectations.\nBonds fell.") > 0.8
    assert quality("Home\nMarkets\nTech\nSubscribe") == 0.0


@pytest.mark.parametrize(
    ("name", "title"),
    [
        ("netease_comments.html", "新能源车企三季度交付量创新高"),  # og:title
        ("gov_cms.html", "关于开展2026年度统计执法检查的通知"),  # <title> as it is
        ("sina_live_feed.html", "铁路部门辟谣：12306未发生用户信息泄露"),  # the only h1
    ],
)
def test_the_page_title_comes_from_og_title_h1_or_title(name, title):
    assert page_title(page(name)) == title


def test_title_without_the_site_suffix():
    assert (
        page_title("<html><head><title>Fed holds rates steady - Example Wire</title></head><body></body></html>")
        == "Fed holds rates steady"
    )


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("netease_comments.html", datetime(2026, 10, 2, 9, 41, tzinfo=SHANGHAI)),  # article:published_time
        ("english_table.html", datetime(2026, 9, 7, 0, 0, tzinfo=SHANGHAI)),  # JSON-LD datePublished (day)
        ("hexun_disclaimer.html", datetime(2026, 9, 15, 13, 45, tzinfo=SHANGHAI)),  # meta pubdate
    ],
)
def test_the_page_date_is_read_from_the_page(name, expected):
    found = page_date(page(name), "https://news.example.com/a/1.html", SHANGHAI)
    assert found is not None and found.date() == expected.date()


def test_no_date_is_an_answer_not_now():
    assert page_date(page("no_body.html"), "https://news.example.com/markets", SHANGHAI) is None
    found = page_date(page("no_body.html"), "https://news.example.com/2026/08/21/story.html", UTC)
    assert found is not None and found.date().isoformat() == "2026-08-21"  # a date in the URL
