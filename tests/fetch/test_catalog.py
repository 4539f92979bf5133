"""Each catalog source against fixtures in its documented response shape (text
written for these tests), served by a real HTTP server on 127.0.0.1."""

from __future__ import annotations

import json
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from newsdesk.errors import ConfigError
from newsdesk.sources.catalog import load_catalog
from newsdesk.store import Store
from tests.fetch import fixtures_more
from tests.fetch.conftest import localize, run, serve

SHANGHAI = ZoneInfo("Asia/Shanghai")


def _jin10(base):
    items = [
        {"id": 101, "title": " 黄金周评：避险需求升温 ", "display_datetime": "2025-02-07 16:30:00", "vip": 0, "type": "news",
         "original_article": 1, "web_thumbs": ["https://cdn.example.com/101.jpg"]},
        {"id": 102, "title": "会员专享：原油策略", "display_datetime": "2025-02-07 16:00:00", "vip": 1, "type": "news",
         "original_article": 1, "web_thumbs": []},
        {"id": 103, "title": "视频：市场回顾", "display_datetime": "2025-02-07 15:00:00", "vip": 0, "type": "video",
         "original_article": 1, "web_thumbs": []},
    ]  # fmt: skip
    page = ('<html><body><div class="setWebViewConentHeight"><div><p>避险需求推动金价走高，市场关注美联储官员讲话。</p>'
            "<ad>广告内容</ad><p>分析人士认为短期仍有波动。</p></div></div></body></html>")  # fmt: skip
    return {"list": json.dumps({"status": 200, "data": {"list": items}}, ensure_ascii=False),
            "pages": {"/xnews.jin10.com/details/101": page}}  # fmt: skip


def _wallstreetcn(base):
    items = [
        {"resource_type": "article", "resource": {"id": 3721, "title": "美股三大指数收涨", "uri": "{BASE}/wallstreetcn.com/articles/3721",
         "author": {"display_name": "见闻编辑"}, "image": {"uri": "https://img.example.com/3721.png"}, "display_time": 1738917000,
         "is_need_pay": False, "videos": []}},
        {"resource_type": "article", "resource": {"id": 3722, "title": "付费文章", "uri": "{BASE}/wallstreetcn.com/articles/3722",
         "is_need_pay": True, "display_time": 1738917100}},
        {"resource_type": "live", "resource": {"id": 9, "title": "", "uri": "{BASE}/wallstreetcn.com/live/9"}},
    ]  # fmt: skip
    detail = {"code": 20000, "data": {"content": "<p>道指上涨0.5%，纳指上涨1.2%。</p><p>科技股领涨。</p>"}}
    return {"list": json.dumps({"code": 20000, "data": {"items": items}}, ensure_ascii=False),
            "pages": {"/api-one-wscn.awtmt.com/apiv1/content/articles/3721": (json.dumps(detail, ensure_ascii=False), "application/json")}}  # fmt: skip


def _cnyes(base):
    items = [{"newsId": 5801234, "title": "台積電法說會釋出樂觀展望", "publishAt": 1738917470}]
    page = '<div id="article-container"><p>台積電預期營收持續成長。</p><div id="top-ad-1">廣告</div><script>x()</script></div>'
    return {"list": json.dumps({"items": {"data": items}}, ensure_ascii=False),
            "pages": {"/news.cnyes.com/news/id/5801234": page}}  # fmt: skip


def _sina(base):
    items = [{"oid": "77", "title": "特斯拉股价盘前走高", "url": "{BASE}/finance.sina.com.cn/stock/usstock/77.shtml",
              "intro": "盘前交易中特斯拉上涨。", "author": "新浪财经", "ctime": "1738917470"}]  # fmt: skip
    page = ('<div class="article"><p>特斯拉股价在盘前交易中上涨3%。</p><div class="appendQr_wrap">扫码下载</div>'
            '<p class="article-editor">责任编辑：某某</p></div>')  # fmt: skip
    return {"list": json.dumps({"result": {"status": {"code": 0}, "data": items}}, ensure_ascii=False),
            "pages": {"/finance.sina.com.cn/stock/usstock/77.shtml": page}}  # fmt: skip


def _yahoo(base):
    listing = (
        '<html><body><div class="content"><a class="titles-link" href="{BASE}/finance.yahoo.com/news/fed-holds-rates-1.html">'
        "<h3>Fed holds rates steady as inflation cools</h3></a></div>"
        '<div class="content"><a class="titles-link" href="https://video.example.com/v/1"><h3>Video: markets</h3></a></div>'
        "</body></html>"
    )
    page = ('<html><body><div class="article"><div class="body"><p>The Federal Reserve left its benchmark rate unchanged.</p>'
            '<div data-testid="inarticle-ad">Advertisement</div></div></div></body></html>')  # fmt: skip
    return {"list": (listing, "text/html; charset=utf-8"), "pages": {"/finance.yahoo.com/news/fed-holds-rates-1.html": (page, "text/html")}}


def _seekalpha(base):
    items = [{"id": "4400", "attributes": {"title": "Nvidia slides as chip stocks retreat", "publishOn": "2025-02-07T08:30:00-05:00",
              "content": "<p>Shares of Nvidia fell 3% in premarket trading.</p>"},
              "links": {"self": "/news/4400-nvidia-slides", "uriImage": "https://static.example.com/4400.jpg"}}]  # fmt: skip
    return {"list": json.dumps({"data": items}), "pages": {}}


def _investing_us(base):
    feed = ('<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>News</title>'
            "<item><title>Oil prices rise on supply worries</title><link>{BASE}/www.investing.com/news/commodities-news/oil-1</link>"
            "<description>Crude futures gained 1% on Friday.</description><pubDate>Fri, 07 Feb 2025 08:37:50 GMT</pubDate></item>"
            "</channel></rss>")  # fmt: skip
    return {"list": (feed, "application/rss+xml"), "pages": {}}


def _stocktitan(base):
    feed = ('<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>StockTitan</title>'
            "<item><title>Acme Corp announces quarterly dividend</title><link>{BASE}/www.stocktitan.net/news/ACME/div.html</link>"
            "<pubDate>Fri, 07 Feb 2025 13:00:00 +0000</pubDate></item></channel></rss>")  # fmt: skip
    page = ('<div class="article"><h1 class="article-title">Acme</h1><time>Feb 7</time><p>Acme declared a dividend of $0.25.</p>'
            '<div class="share-social-group">Share</div></div>')  # fmt: skip
    return {"list": (feed, "application/rss+xml"), "pages": {"/www.stocktitan.net/news/ACME/div.html": page}}


# name: (fixtures, environment, expected first article: title, text in the body, text not in it, published)
CASES = {
    "jin10_articles_articles": (_jin10, {"JIN10_APP_ID": "test-app"}, ("黄金周评：避险需求升温", "美联储官员讲话", "广告内容",
                                datetime(2025, 2, 7, 16, 30, tzinfo=SHANGHAI))),
    "wallstreetcn": (_wallstreetcn, {"WALLSTREETCN_DEVICE_ID": "d"}, ("美股三大指数收涨", "科技股领涨", None,
                     datetime.fromtimestamp(1738917000, SHANGHAI))),
    "cnyes": (_cnyes, {}, ("台積電法說會釋出樂觀展望", "營收持續成長", "廣告", datetime.fromtimestamp(1738917470, SHANGHAI))),
    "sina_us_stock": (_sina, {}, ("特斯拉股价盘前走高", "上涨3%", "扫码下载", datetime.fromtimestamp(1738917470, SHANGHAI))),
    "yahoo_finance_us": (_yahoo, {}, ("Fed holds rates steady as inflation cools", "benchmark rate", "Advertisement", None)),
    "seekalpha": (_seekalpha, {"SEEKINGALPHA_COOKIE": "c"}, ("Nvidia slides as chip stocks retreat", "premarket", None,
                  datetime(2025, 2, 7, 21, 30, tzinfo=SHANGHAI))),
    "investing_us": (_investing_us, {}, ("Oil prices rise on supply worries", "Crude futures", None,
                     datetime(2025, 2, 7, 16, 37, 50, tzinfo=SHANGHAI))),
    "stocktitan": (_stocktitan, {}, ("Acme Corp announces quarterly dividend", "$0.25", "Share", datetime(2025, 2, 7, 21, 0, tzinfo=SHANGHAI))),
}  # fmt: skip
CASES.update(fixtures_more.CASES)


@pytest.mark.parametrize("name", sorted(CASES))
def test_catalog_source_yields_the_documented_records(name, catalog, httpserver, base, sqlite_url, monkeypatch):
    fixtures, environment, (title, body, absent, published) = CASES[name]
    for key, value in environment.items():
        monkeypatch.setenv(key, value)
    source = localize(catalog[name], base)
    made = fixtures(base)
    if "lists" in made:  # a source reading several lists
        for path, (text, kind) in made["lists"].items():
            serve(httpserver, base + path, text, kind)
    else:
        listed = made["list"] if isinstance(made["list"], tuple) else (made["list"], "application/json")
        serve(httpserver, source.url, listed[0], listed[1])
    for path, page in made["pages"].items():
        text, kind = page if isinstance(page, tuple) else (page, "text/html; charset=utf-8")
        serve(httpserver, base + path, text, kind)
    with Store(sqlite_url) as store:
        [result] = run([source], store)
        assert result.state == "ok", result.error
        assert result.new == 1
        [article] = list(store.iter_articles())
        health = store.health()[name]
    assert article.title == title and article.source == name and body in article.text
    assert absent is None or absent not in article.text
    assert article.language == (source.language or article.language)
    if published is not None:
        assert article.published == published
    assert health.state == "ok" and health.new_items == 1 and health.last_success is not None


def test_every_source_in_the_catalog_has_a_fixture_test(catalog):
    assert sorted(catalog) == sorted(CASES) and len(catalog) >= 60
    assert not catalog["fx168"].enabled and catalog["fx168"].disabled_reason


def test_a_second_run_fetches_no_detail_page_again(catalog, httpserver, base, sqlite_url):
    source = localize(catalog["stocktitan"], base)
    made = _stocktitan(base)
    serve(httpserver, source.url, *made["list"])
    serve(httpserver, base + "/www.stocktitan.net/news/ACME/div.html", made["pages"]["/www.stocktitan.net/news/ACME/div.html"], "text/html")
    with Store(sqlite_url) as store:
        first, second = run([source], store)[0], run([source], store)[0]
    details = [r for r, _ in httpserver.log if r.path.endswith("div.html")]
    assert first.new == 1 and second.new == 0 and second.seen == 1 and len(details) == 1


def test_bad_source_files_name_the_file_and_the_field(tmp_path):
    cases = {
        "kind.yaml": ("name: a\nkind: soap\nurl: https://x.example.com/\n", "field 'kind'"),
        "url.yaml": ("name: b\nkind: rss\nurl: ftp://x.example.com/\n", "field 'url'"),
        "unknown.yaml": ("name: c\nkind: rss\nurl: https://x.example.com/\ncolour: red\n", "unknown field 'colour'"),
        "jmespath.yaml": ("name: d\nkind: json\nurl: https://x.example.com/\nitems: 'data[['\nfields: {title: t, link: l}\n", "field 'items'"),
        "zone.yaml": ("name: e\nkind: rss\nurl: https://x.example.com/\ntimezone: Mars/Olympus\n", "field 'timezone'"),
        "fields.yaml": ("name: f\nkind: html\nurl: https://x.example.com/\nitems: li\nfields: {title: a}\n", "field 'fields'"),
        "yaml.yaml": ("name: [unclosed\n", "cannot read"),
        "schedule.yaml": ("name: g\nkind: rss\nurl: https://x.example.com/\nschedule: {windows: [{days: someday, interval: 60}]}\n",
                          "schedule.windows[0].days"),
    }  # fmt: skip
    for file, (text, expected) in cases.items():
        folder = tmp_path / file.removesuffix(".yaml")
        folder.mkdir()
        (folder / file).write_text(text)
        with pytest.raises(ConfigError) as caught:
            load_catalog([folder], builtin=False)
        assert str(folder / file) in str(caught.value) and expected in str(caught.value), (file, str(caught.value))
