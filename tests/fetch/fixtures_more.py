"""Fixtures of more catalog sources, in each one's documented response shape, with
text written for these tests. ``{BASE}`` stands for the loopback server."""

from __future__ import annotations

import json
from datetime import datetime
from zoneinfo import ZoneInfo

UTC = ZoneInfo("UTC")


def rss(*items: tuple[str, str, str], extra: str = "") -> tuple[str, str]:
    """An RSS 2.0 document of (title, link path, pubDate) items."""
    body = "".join(f"<item><title>{t}</title><link>{{BASE}}{p}</link><pubDate>{d}</pubDate>{extra}</item>" for t, p, d in items)
    return (f'<?xml version="1.0" encoding="UTF-8"?><rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/">'
            f"<channel><title>feed</title>{body}</channel></rss>", "application/rss+xml")  # fmt: skip


def page(html: str) -> tuple[str, str]:
    return f"<html><body>{html}</body></html>", "text/html; charset=utf-8"


def _geekwire(base):
    item = ("<item><title>Amazon opens a robotics lab</title><link>{BASE}/www.geekwire.com/2025/amazon-lab/</link>"
            "<pubDate>Fri, 07 Feb 2025 18:00:00 +0000</pubDate><content:encoded><![CDATA[<p>Amazon said the lab will "
            "employ 200 engineers.</p><figure>photo</figure>]]></content:encoded></item>")  # fmt: skip
    feed = f'<?xml version="1.0"?><rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel>{item}</channel></rss>'
    empty = '<?xml version="1.0"?><rss version="2.0"><channel></channel></rss>'
    lists = {"/www.geekwire.com/amazon/feed/": (feed, "application/rss+xml")}
    for path in ("/www.geekwire.com/microsoft/feed/", "/www.geekwire.com/ai/feed/", "/www.geekwire.com/tech-moves/feed/"):
        lists[path] = (feed if path.endswith("ai/feed/") else empty, "application/rss+xml")  # the same story twice: one article
    return {"lists": lists, "pages": {}}


def _pharmexec(base):
    return {"list": rss(("FDA approves a new biosimilar", "/www.pharmexec.com/view/fda-biosimilar", "Fri, 07 Feb 2025 15:00:00 GMT")),
            "pages": {"/www.pharmexec.com/view/fda-biosimilar": page(
                '<div id="block-content"><p>The agency approved the biosimilar on Friday.</p><astro-island>widget</astro-island>'
                "<article>Related: other news</article></div>")}}  # fmt: skip


def _techi(base):
    return {"list": rss(("New oscilloscope doubles bandwidth", "/www.techi.com/scope/", "Fri, 07 Feb 2025 10:00:00 GMT")),
            "pages": {"/www.techi.com/scope/": page('<div class="post-content"><p>The instrument reaches 8 GHz.</p>'
                                                    "<script>track()</script></div>")}}  # fmt: skip


def _thehill(base):
    feed = rss(("Senate passes funding bill", "/thehill.com/homenews/senate/5123456-funding/", "Fri, 07 Feb 2025 22:10:00 +0000"),
               extra="<description>The Senate voted 60-38 to keep the government open.</description>")  # fmt: skip
    return {"list": feed, "pages": {}}


def _traderslog(base):
    return {"lists": {
        "/www.traderslog.com/feed": rss(("Reading the VIX term structure", "/www.traderslog.com/vix-term/", "Fri, 07 Feb 2025 12:00:00 GMT")),
        "/www.traderslog.com/category/analysis/feed": rss(("Reading the VIX term structure", "/www.traderslog.com/vix-term/",
                                                            "Fri, 07 Feb 2025 12:00:00 GMT")),
    }, "pages": {"/www.traderslog.com/vix-term/": page('<div class="entry-content"><p>Contango tends to return after spikes.</p>'
                                                       "<form>subscribe</form></div>")}}  # fmt: skip


def _yahoo_us(base):
    return {"list": rss(("Storm closes schools across the Midwest", "/news.yahoo.com/storm-closes-schools.html",
                         "Fri, 07 Feb 2025 13:00:00 GMT")),
            "pages": {"/news.yahoo.com/storm-closes-schools.html": page(
                '<article><p>Schools in four states closed on Friday.</p><div class="ad-container-x">AD</div></article>')}}  # fmt: skip


def _hk01(base):
    items = [{"data": {"articleId": 60001, "title": "港股半日升200點", "publishUrl": "{BASE}/www.hk01.com/財經快訊/60001/港股",
                       "publishTime": 1738917470}}]  # fmt: skip
    return {"list": (json.dumps({"items": items}, ensure_ascii=False), "application/json"),
            "pages": {"/www.hk01.com/財經快訊/60001/港股": page('<article id="article-content-section"><p>恒指半日收升200點。</p>'
                                                            "<figure>圖片</figure></article>")}}  # fmt: skip


def _benzinga(base):
    items = [{"storyId": 43100, "title": "Apple shares rise after earnings beat", "url": "{BASE}/www.benzinga.com/news/43100",
              "image": "https://cdn.example.com/a.jpg", "teaserText": "Apple beat estimates.", "created": "2025-02-07T21:05:00Z"},
             {"storyId": 43101, "title": "Partner teaser", "url": "{BASE}/www.benzinga.com/news/43101",
              "teaserText": "Read the full article here", "created": "2025-02-07T21:00:00Z"}]  # fmt: skip
    return {"list": (json.dumps(items), "application/json"),
            "pages": {"/www.benzinga.com/news/43100": page('<div id="article-body"><div><p>Apple reported revenue of $124 billion.</p>'
                                                           '<p class="copyright">© Benzinga</p></div><div>more</div></div>')}}  # fmt: skip


def _businesswire(base):
    listing = ('<div class="overflow-hidden"><a class="font-figtree" href="/www.businesswire.com/news/home/2025/acme">'
               "Acme Announces Record Results</a></div>")  # fmt: skip
    return {"list": page(listing), "pages": {"/www.businesswire.com/news/home/2025/acme": page(
        '<div id="bw-release-story"><p>Acme Corp today announced record quarterly revenue.</p><style>p{}</style></div>')}}


def _techcrunch(base):
    listing = ('<ul class="wp-block-post-template"><li class="wp-block-post"><h3 class="loop-card__title">'
               '<a href="{BASE}/techcrunch.com/2025/02/07/startup-raises/">Startup raises $40M for chip design tools</a></h3></li>'
               '<li class="wp-block-post"><h3 class="loop-card__title"><a href="{BASE}/techcrunch.com/video/clip/">Video</a></h3></li></ul>')
    return {"list": page(listing), "pages": {"/techcrunch.com/2025/02/07/startup-raises/": page(
        '<div class="entry-content"><p>The round was led by a growth fund.</p><div class="ad-unit">ADVERT</div></div>')}}


def _theregister(base):
    listing = '<a class="story_link" href="/www.theregister.com/2025/02/07/patch/"><h4>Patch Tuesday fixes 60 flaws</h4></a>'
    return {"list": page(listing), "pages": {"/www.theregister.com/2025/02/07/patch/": page(
        '<div id="body"><p>Microsoft fixed 60 vulnerabilities this month.</p><div class="ad">ADVERT</div></div>')}}


def _moneycontrol(base):
    listing = ('<div id="cagetory"><h2><a href="{BASE}/www.moneycontrol.com/news/business/markets/sensex-gains.html">'
               "Sensex gains 300 points</a></h2></div>")  # fmt: skip
    return {"list": page(listing), "pages": {"/www.moneycontrol.com/news/business/markets/sensex-gains.html": page(
        '<div class="content_wrapper"><p>The Sensex rose 300 points on Friday.</p><div class="mid-ad">ADVERT</div></div>')}}


def _afp(base):
    cards = {"sections": [{"cards": [
        {"type": "ProviderFeed", "subCards": [{"id": "AA1xYz", "title": "法國總統出訪印度", "url": "{BASE}/www.msn.com/zh-hk/news/ar-AA1xYz"}]},
        {"type": "Ad", "subCards": [{"id": "ad1", "title": "廣告", "url": "https://ads.example.com/"}]},
    ]}]}  # fmt: skip
    detail = {"body": "<p>（法新社巴黎七日電）法國總統今天啟程出訪印度。</p><img src='x.jpg'>"}
    return {"list": (json.dumps(cards, ensure_ascii=False), "application/json"),
            "pages": {"/assets.msn.com/content/view/v2/Detail/zh-hk/AA1xYz": (json.dumps(detail, ensure_ascii=False), "application/json")}}


def _apnews(base):
    listing = '<h3 class="PagePromo-title"><a href="{BASE}/apnews.com/article/stocks-rally-1">Stocks rally as yields ease</a></h3>'
    return {"list": page(listing), "pages": {"/apnews.com/article/stocks-rally-1": page(
        '<div class="RichTextStoryBody"><p>Wall Street rallied on Friday.</p><div class="Ad">ADVERT</div></div>')}}


def _bastillepost(base):
    first = ('<div class="bppost-list"><a class="bppost-item" href="/www.bastillepost.com/hongkong/article/100-樓價">'
             '<div class="bppost-item-cover-container"><img src="https://img.example.com/100.jpg"></div>'
             '<div class="bppost-title">樓價指數連升三周</div></a></div>')  # fmt: skip
    return {"lists": {"/www.bastillepost.com/hongkong/category/5-%e9%8c%a2%e8%b2%a1%e4%ba%8b": page("<p>no posts</p>"),
                      "/www.bastillepost.com/hongkong/category/138491-%e5%9c%b0%e7%94%a2": page(first)},
            "pages": {"/www.bastillepost.com/hongkong/article/100-樓價": page(
                '<div class="article-body"><p>差估署公布樓價指數連升三周。</p><div class="ad-container">廣告</div></div>')}}


def _bioon(base):
    listing = ('<div class="composs-blog-list"><div class="item"><div class="item-content"><h2>'
               '<a href="{BASE}/news.bioon.com/article/abc123.html">新型疫苗完成三期临床</a></h2></div></div></div>')  # fmt: skip
    return {"list": page(listing), "pages": {"/news.bioon.com/article/abc123.html": page(
        '<div class="composs-main-content"><div style="color: #303a4e;"><p>该疫苗三期临床达到主要终点。</p>'
        '<div class="caas-da">广告</div></div></div>')}}  # fmt: skip


def _biopharmadive(base):
    item = ('<li class="feed__item"><h3 class="feed__title"><a href="/www.biopharmadive.com/news/gene-therapy-deal/">'
            "Gene therapy deal tops $1B</a></h3></li>")  # fmt: skip
    return {"lists": {"/www.biopharmadive.com/": page(item), "/www.biopharmadive.com/press-release/": page("<ul></ul>")},
            "pages": {"/www.biopharmadive.com/news/gene-therapy-deal/": page(
                '<div class="article-body"><p>The deal is worth $1.2 billion upfront.</p><div class="hybrid-ad-wrapper">ADVERT</div></div>')}}


def _businesstimes_news(base):
    lists = {"/www.businesstimes.com.sg/opinion-features": page('<h3><a href="/www.businesstimes.com.sg/opinion/reits">REITs look cheap</a></h3>'),
             "/www.businesstimes.com.sg/breaking-news": page("<p>no stories</p>"),
             "/www.businesstimes.com.sg/keywords/stocks-watch": page("<p>no stories</p>")}
    return {"lists": lists, "pages": {"/www.businesstimes.com.sg/opinion/reits": page(
        '<div class="typo-article-body"><p>Singapore REITs trade below book value.</p><div>ADVERT</div></div>')}}


def _businesstoday(base):
    return {"list": page('<h3 class="entry-title"><a href="{BASE}/www.businesstoday.com.my/2025/02/07/brand/">Brands bet on short video</a></h3>'),
            "pages": {"/www.businesstoday.com.my/2025/02/07/brand/": page(
                '<div class="td-post-content"><p>Marketers shift budgets to short video.</p><div class="td-a-rec">ADVERT</div></div>')}}


def _c114(base):
    listing = ('<div class="content_c_list"><div class="new_list_c"><h6><a href="{BASE}/www.c114.com.cn/news/a1316163.html">'
               "运营商公布5G用户数</a></h6></div></div>")  # fmt: skip
    detail = '<html><head><meta charset="gbk"></head><body><div class="text"><p>三大运营商5G用户数突破十亿。</p><div class="ad">广告</div></div></body></html>'
    return {"list": (f"<html><body>{listing}</body></html>".encode("gbk"), "text/html"),
            "pages": {"/www.c114.com.cn/news/a1316163.html": (detail.encode("gbk"), "text/html")}}


def _cabotwealth(base):
    listing = ('<ul><li class="PageList-items-item"><div class="PagePromo-title"><a href="{BASE}/www.cabotwealth.com/daily/small-caps">'
               'Why small caps could lead</a></div><div class="PagePromo-media"><img src="https://img.example.com/c.jpg"></div></li></ul>')
    return {"list": page(listing), "pages": {"/www.cabotwealth.com/daily/small-caps": page(
        '<div class="Page-articleBody"><div class="RichTextBody"><p>Small caps trade at a discount.</p>'
        '<div class="InternalAd">ADVERT</div></div></div>')}}  # fmt: skip


def _cmcmarkets(base):
    listing = '<a class="article-feature" href="/www.cmcmarkets.com/en-gb/news/ftse-outlook"><span class="feature-headline">FTSE 100 outlook</span></a>'
    return {"list": page(listing), "pages": {"/www.cmcmarkets.com/en-gb/news/ftse-outlook": page(
        '<div class="article-content"><p>The FTSE 100 faces resistance at 8,800.</p><div class="block">ADVERT</div></div>')}}


def _coinlive(base):
    items = [{"id": 9, "title": " Bitcoin tops $100,000 ", "url": "{BASE}/www.coinlive.com/hot-news/detail/?id=9", "brief": "BTC crossed $100k.",
              "published_at": 1738917470},
             {"id": 10, "title": "Empty brief", "url": "{BASE}/www.coinlive.com/hot-news/detail/?id=10", "brief": "", "published_at": 1738917000}]
    return {"list": (json.dumps({"data": {"list": items}}), "application/json"), "pages": {}}


def _cww(base):
    listing = '<ul id="newsList"><li><a href="{BASE}/www.cww.net.cn/article?id=5501"><span class="slh">工信部发布新规</span></a></li></ul>'
    return {"list": page(listing), "pages": {"/www.cww.net.cn/article": page(
        '<div id="divContentDiv"><p>工信部发布数据中心新规。</p><script>x()</script></div>')}}


def _dotdotnews(base):
    listing = ('<div class="flex-between"><div class="item"><h4><a href="{BASE}/www.dotdotnews.com/a/202502/07/AP1.html">'
               "港交所　新股集資額居首</a></h4></div></div>")  # fmt: skip
    return {"list": page(listing), "pages": {"/www.dotdotnews.com/a/202502/07/AP1.html": page(
        '<div class="mainManuscripts"><div class="post-content"><div class="post-body"><p>港交所新股集資額全球居首。</p>'
        "<figure>圖</figure></div></div></div>")}}  # fmt: skip


def _driveteslacanada(base):
    listing = ('<div class="entry-content"><article><h3 class="entry-title"><a href="{BASE}/driveteslacanada.ca/news/model-y-price/">'
               'Tesla cuts Model Y price in Canada</a></h3><div class="entry-thumb"><img src="data:image/svg+xml,x" '
               'data-src="https://img.example.com/y.jpg"></div></article></div>')  # fmt: skip
    return {"list": page(listing), "pages": {"/driveteslacanada.ca/news/model-y-price/": page(
        '<div class="entry-content"><p>The Model Y now starts at $59,990.</p><div class="code-block">ADVERT</div></div>')}}


def _fiercepharma(base):
    listing = ('<div class="content-wrapper"><div class="title"><a href="/www.fiercepharma.com/marketing/ad-spend">'
               "Pharma ad spending climbs</a></div></div>")  # fmt: skip
    return {"list": page(listing), "pages": {"/www.fiercepharma.com/marketing/ad-spend": page(
        '<div id="article-body-row"><p>TV ad spending rose 8% last year.</p><div class="ad">ADVERT</div></div>')}}


def _finet(base):
    items = [{"id": "65a1b2c3d4e5f60718293a4b", "name_sc": "腾讯回购股份", "description_sc": "【财华社讯】腾讯今日回购100万股。",
              "create_time": "2025-02-07 16:30:00"},
             {"id": "65a1b2c3d4e5f60718293a4c", "name_sc": "空白快讯", "description_sc": "", "create_time": "2025-02-07 16:00:00"}]
    return {"list": (json.dumps({"data": items}, ensure_ascii=False), "application/json"), "pages": {}}


def _in_en(base):
    listing = ('<ul class="infoList"><li><div class="listTxt"><h5><a href="{BASE}/newenergy.in-en.com/html/newenergy-1.shtml">'
               "光伏组件出货量创新高</a></h5></div></li></ul>")  # fmt: skip
    return {"list": page(listing), "pages": {"/newenergy.in-en.com/html/newenergy-1.shtml": page(
        '<div id="article"><p>一季度光伏组件出货量同比增长三成。</p><img src="chart.png"></div>')}}


def _investinglive(base):
    items = [{"Id": "6f1c2d3e-0000-4000-8000-000000000001", "Title": "USD/JPY climbs after payrolls", "Slug": "usdjpy-climbs",
              "Category": {"Slug": "news"}, "PublishedOn": "2025-02-07T13:45:00.000Z"}]
    detail = {"Body": "<p>The pair rose to 152.30 after the jobs report.</p><figure>chart</figure>"}
    return {"list": (json.dumps({"Articles": items}), "application/json"),
            "pages": {"/fmpedia-forexlive-prod.s3.amazonaws.com/investing-articles/6f1c2d3e-0000-4000-8000-000000000001.json":
                      (json.dumps(detail), "application/json")}}  # fmt: skip


def _iyiou(base):
    listing = '<div class="info-item"><a class="webTitleShow" href="{BASE}/www.iyiou.com/news/202502071">新能源车渗透率突破五成</a></div>'
    return {"list": page(listing), "pages": {"/www.iyiou.com/news/202502071": page(
        '<article class="post-body"><p>新能源车渗透率首次突破百分之五十。</p><div class="caas-da">广告</div></article>')}}


def _jinwucj(base):
    items = [{"id": 321, "title": " 某科技公司递表港交所", "content": "<p>公司拟于主板上市，募资用于研发。</p>", "updatedTime": "2025-02-07 11:20:00"}]
    return {"list": (json.dumps({"body": {"list": items}}, ensure_ascii=False), "application/json"), "pages": {}}


def _marketpulse(base):
    item = '<a class="item-title" href="{BASE}/www.marketpulse.com/news/ai/chips-rally/">AI chips rally again</a>'
    lists = {"/www.marketpulse.com/news/ai/": page(item)}
    for path in ("/www.marketpulse.com/markets/crypto/", "/www.marketpulse.com/markets/stocks/", "/www.marketpulse.com/markets/daily-market-wraps/"):
        lists[path] = page("<p>none today</p>")
    return {"lists": lists, "pages": {"/www.marketpulse.com/news/ai/chips-rally/": page(
        '<div class="post-body"><div class="referenced_symbol_container">NVDA</div><p>Chip stocks extended gains.</p></div>')}}


def _morningstar(base):
    listing = ('<div class="mdc-feed__mdc"><a href="/www.morningstar.com/news/marketwatch/2025/fed-minutes"><header>'
               "<h2>Fed minutes show patience on cuts</h2></header></a></div>")  # fmt: skip
    return {"list": page(listing), "pages": {"/www.morningstar.com/news/marketwatch/2025/fed-minutes": page(
        '<div class="mdc-article-body"><p>Officials saw no rush to cut rates.</p><div class="article-ad">ADVERT</div></div>')}}


def _now(base):
    finance = [{"newsId": "577001", "title": "銀行體系結餘減少 港元拆息回落", "imageUrl": "https://img.example.com/n.jpg"}]
    return {"lists": {"/newsapi1.now.com/pccw-news-api/api/getNewsListv2": (json.dumps(finance, ensure_ascii=False), "application/json")},
            "pages": {"/news.now.com/home/technology/player": page(
                '<div class="newsLeading"><p>一個月拆息回落至4厘，銀行體系結餘減少。</p><div class="imagesCollection">圖輯</div></div>')}}


def _orangenews(base):
    records = [{"title": " 內地三月社融增長 ", "detailsUrl": "{BASE}/apps.orangenews.hk/app/share/abc",
                "txt": "<p>【橙訊】內地三月社會融資規模增量創新高。</p>"}]  # fmt: skip
    return {"list": (json.dumps({"data": {"records": records}}, ensure_ascii=False), "application/json"), "pages": {}}


def _panewslab(base):
    items = [{"id": "a1b2c3", "title": "以太坊升级完成", "desc": "PANews 2月7日消息，以太坊完成升级。", "publishedAt": "2025-02-07T06:00:00Z"}]
    return {"list": (json.dumps(items, ensure_ascii=False), "application/json"), "pages": {}}


def _pingwest(base):
    listing = '<a href="{BASE}/www.pingwest.com/a/300100">大模型创业公司完成新一轮融资</a><a href="{BASE}/www.pingwest.com/about">关于</a>'
    return {"list": page(listing), "pages": {"/www.pingwest.com/a/300100": page(
        '<article class="article-style"><p>这家公司本轮融资五亿元。</p><div class="ad">广告</div></article>')}}


def _qq(base):
    items = [{"id": "20250207A01", "title": "央行开展逆回购操作", "articletype": "0", "publish_time": "2025-02-07 09:30:00",
              "link_info": {"url": "{BASE}/new.qq.com/rain/a/20250207A01"}, "pic_info": {"big_img": ["https://img.example.com/q.jpg"]}},
             {"id": "20250207V02", "title": "视频", "articletype": "4", "publish_time": "2025-02-07 09:00:00",
              "link_info": {"url": "{BASE}/new.qq.com/rain/a/20250207V02"}}]  # fmt: skip
    return {"list": (json.dumps({"data": items}, ensure_ascii=False), "application/json"),
            "pages": {"/new.qq.com/rain/a/20250207A01": page('<div class="rich_media_content"><p>央行开展5000亿元逆回购。</p>'
                                                              "<script>x()</script></div>")}}  # fmt: skip


def _sbr(base):
    listing = '<div class="with-border-bottom"><div class="item__title"><a href="{BASE}/sbr.com.sg/news/banks-profit">Banks post record profit</a></div></div>'
    return {"list": page(listing), "pages": {"/sbr.com.sg/news/banks-profit": page(
        '<div class="nf__description"><p><b>Net profit rose 12%.</b></p><div class="block-newsletter">Subscribe</div></div>')}}


def _seeitmarket(base):
    item = ('<div class="td-main-content"><div class="item-details"><h3><a href="{BASE}/www.seeitmarket.com/semis-breakout/">'
            "Semiconductors break out</a></h3></div></div>")  # fmt: skip
    lists = {"/www.seeitmarket.com/category/investing/": page(item)}
    for path in ("/www.seeitmarket.com/category/chartology/", "/www.seeitmarket.com/category/market-commentary/"):
        lists[path] = page("<p>none</p>")
    return {"lists": lists, "pages": {"/www.seeitmarket.com/semis-breakout/": page(
        '<div class="td-post-content"><p>The SOX index cleared resistance.</p><figure>chart</figure></div>')}}


def _stheadline(base):
    listing = '<div class="news-detail"><a href="/www.stheadline.com/finance/財經/1">恒指高開</a><span class="title">恒指高開百點</span></div>'
    return {"list": page(listing), "pages": {"/www.stheadline.com/finance/財經/1": page(
        '<div class="content-body"><p>恒指今早高開百點。</p><div class="img-block">圖片</div></div>')}}


def _straitstimes(base):
    card = '<div class="container"><a class="select-none items-start" href="/www.straitstimes.com/business/gdp"><h4>Singapore GDP beats forecasts</h4></a></div>'
    return {"lists": {"/www.straitstimes.com/business/economy": page(card),
                      "/www.straitstimes.com/business/companies-markets": page("<p>none</p>")},
            "pages": {"/www.straitstimes.com/business/gdp": page(
                '<div class="storyline-wrapper"><p>The economy grew 4.3% last year.</p><div>ADVERT</div></div>')}}


def _yicaiglobal(base):
    news = {"data": [{"NewsTitle": "China's exports rise 7%", "NewsUrl": "/www.yicaiglobal.com/news/exports-rise"}]}
    lists = {"/www.yicaiglobal.com/api/getNewsList": (json.dumps(news), "application/json")}
    return {"lists": lists, "pages": {"/www.yicaiglobal.com/news/exports-rise": page(
        '<div id="news-body"><p>Exports rose 7% in January.</p><script>track()</script></div>')}}


def _unusualwhales(base):
    news = [{"id": "u-1", "headline": "Options volume hits record", "summary": "Daily options volume topped 60 million contracts.",
             "timestamp": "2025-02-07T20:00:00Z", "source": "Reuters"},
            {"id": "u-2", "headline": "Wire story", "summary": "x", "timestamp": "2025-02-07T19:00:00Z", "source": "Bloomberg"}]
    return {"list": (json.dumps({"news": news}), "application/json"), "pages": {}}


def _tipranks_page(body: str) -> tuple[str, str]:
    """An article page with its body in the server-rendered state, as TipRanks ships it."""
    state = {"news": {"post": {"title": "t", "date": "2025-02-07T14:00:00.000Z", "content": body}}}
    literal = json.dumps(json.dumps(state))  # JSON.parse("...") takes a string literal
    return (f"<html><body><div id=root></div><script>document.querySelectorAll('x');window.__STATE__=JSON.parse({literal});"
            "</script></body></html>", "text/html")  # fmt: skip


TIPRANKS_BODY = ("<p>Analysts raised their price target to $250.</p><p>See more analyst ratings</p>"
                 '<div id="trending" class="trending-posts">Trending Articles: other stocks</div>')  # fmt: skip


def _tipranks(base):
    posts = [{"_id": "tp1", "title": "Analysts lift Apple target", "link": "/news/apple-target", "image": {"src": "https://img.example.com/t.png"},
              "author": {"name": "TipRanks Newsdesk"}, "date": "2025-02-07T14:00:00.000Z"}]
    return {"list": (json.dumps({"posts": posts}), "application/json"), "pages": {"/tipranks.com/news/apple-target": _tipranks_page(TIPRANKS_BODY)}}


def _tipranks_feed(path: str, title: str):
    def fixtures(base):
        posts = [{"_id": "tp2", "title": title, "link": "{BASE}/www.tipranks.com" + path, "author": {"name": "TipRanks"},
                  "date": "2025-02-07T14:00:00.000Z"}]
        return {"list": (json.dumps({"data": posts}), "application/json"), "pages": {"/www.tipranks.com" + path: _tipranks_page(TIPRANKS_BODY)}}

    return fixtures


def _tipranks_others(base):
    made = _tipranks_feed("/news/dividend-pick", "Three dividend picks for February")(base)
    empty = (json.dumps({"data": []}), "application/json")
    queries = ["per_page=10&category=article", "per_page=10&category=global-markets", "per_page=10&topic=dividend-stocks",
               "per_page=20&author=tipranks-auto-generated-intelligence-newsdesk", "per_page=20&author=tipranksnewsdesk",
               "per_page=20&author=tiprankshongkongnewsdesk"]  # fmt: skip
    lists = {f"/www.tipranks.com/api/news/posts?{q}": (made["list"] if "dividend" in q else empty) for q in queries}
    return {"lists": lists, "pages": made["pages"]}


def _tradingview(base):
    items = [{"id": "reuters:abc:0", "title": "Oil rises on Middle East tension", "storyPath": "/news/reuters.com,2025:newsml_L1N1:0-oil/",
              "source": "Reuters", "published": 1738917470}]
    page_html = ('<article><div class="body-KX2tCBZq"><p>Brent crude rose 1% to $76 a barrel, lifting '
                 '<a href="/symbols/NYMEX-CL1!/">CL1!</a> futures.</p></div></article>')  # fmt: skip
    return {"list": (json.dumps({"items": items}), "application/json"),
            "pages": {"/www.tradingview.com/news/reuters.com,2025:newsml_L1N1:0-oil/": page(page_html)}}


def _investing_cn(base):
    items = [{"id": 2701, "headline": "美元指数走低", "href": "/news/forex-news/article-2701", "body": "美元指数周五下跌0.5%。\n市场关注就业数据。",
              "updated_date": "2025-02-07T08:37:50Z"}]
    return {"list": (json.dumps({"items": items}, ensure_ascii=False), "application/json"), "pages": {}}


# Disabled sources: shipped off, but a user may fetch them by name; they work on their shape.
def _fx168(base):
    items = [{"fastNewsId": "F1", "textContent": "美联储官员：通胀回落仍需时间", "publishTime": "2025-02-07 16:30:00", "isTop": 0},
             {"fastNewsId": "F0", "textContent": "置顶快讯", "publishTime": "2025-02-07 08:00:00", "isTop": 1}]
    return {"list": (json.dumps({"data": {"items": items}}, ensure_ascii=False), "application/json"), "pages": {}}


def _kr36(base):
    items = [{"itemId": 3101, "templateMaterial": {"widgetTitle": "某新能源车企发布新车", "widgetContent": "新车售价20万元起。",
              "publishTime": 1738917470000}}]  # fmt: skip
    return {"list": (json.dumps({"code": 0, "data": {"itemList": items}}, ensure_ascii=False), "application/json"), "pages": {}}


def _html_source(path: str, listing: str, page_path: str, body: str):
    def fixtures(base):
        return {"list": page(listing), "pages": {page_path: page(body)}}

    return fixtures


def _gurufocus(base):
    data = [{"subject": " Buffett trims a bank stake ", "message_id": 2701}]
    return {"list": (json.dumps({"data": data}), "application/json"), "pages": {"/www.gurufocus.com/news/2701": page(
        '<div class="main-body"><p>Berkshire sold 10% of its stake.</p><div class="ad-container">ADVERT</div></div>')}}


def _infocastfn(base):
    rows = [["2025-02-07 10:00", "汇港通讯：恒指高开", "IC1"]]
    return {"list": (json.dumps({"aaData": rows}, ensure_ascii=False), "application/json"), "pages": {
        "/www.infocastfn.com/fn/ajax/news/newsDetail": page('<div id="newsBody"><p>恒指高开120点。</p><div class="ad">广告</div></div>')}}


def _investors(base):
    return {"list": rss(("Stocks to watch: Nvidia", "/www.investors.com/news/stocks-to-watch/", "Fri, 07 Feb 2025 12:00:00 GMT")),
            "pages": {"/www.investors.com/news/stocks-to-watch/": page(
                '<div class="post-content"><p>Nvidia is near a buy point.</p><div class="adunit">ADVERT</div></div>')}}


def _lieyun(base):
    listing = '<div class="news1-item"><span class="news1-title">机器人公司融资</span><p class="news1-content">完成亿元融资。</p><a href="{BASE}/www.lieyunpro.com/news/1">x</a></div>'
    return {"list": page(listing), "pages": {}}


def _mingpao(base):
    listing = ('<div class="contentwrapper"><span class="title">經 濟</span><figure><a href="{BASE}/finance.mingpao.com/fin/instantf/20250207/1/a" '
               'title="港股收升">港股收升</a></figure></div><div class="contentwrapper"><span class="title">體 育</span><figure>'
               '<a href="{BASE}/finance.mingpao.com/x" title="球賽">球賽</a></figure></div>')  # fmt: skip
    return {"list": page(listing), "pages": {"/finance.mingpao.com/fin/instantf/20250207/1/a": page(
        '<div class="article_content"><p>恒生指數收升二百點，成交額減少。</p><p dir="ltr">分享</p></div>')}}


def _nasdaq(base):
    rows = [{"id": 77, "title": "Three stocks to buy", "publisher": "The Motley Fool", "url": "/www.nasdaq.com/articles/three-stocks"}]
    return {"list": (json.dumps({"data": {"rows": rows}}), "application/json"), "pages": {"/www.nasdaq.com/articles/three-stocks": page(
        '<div class="body__content"><p>These stocks look cheap.</p><div class="ads__inline">ADVERT</div></div>')}}


def _nbcnews(base):
    def next_page(packages: list) -> tuple[str, str]:
        data = {"props": {"initialState": {"front": {"curation": {"layouts": [{"packages": packages}]}}}}}
        return (f'<html><body><div id="__next"></div><script id="__NEXT_DATA__" type="application/json">{json.dumps(data)}</script>'
                "</body></html>", "text/html")  # fmt: skip

    story = {"computedValues": {"headline": "Streaming prices climb again", "url": "{BASE}/www.nbcnews.com/business/streaming-prices"}}
    tech = next_page([{"items": []}, {"items": [story]}, {"items": []}])
    consumer = next_page([{"items": []}, {"items": []}, {"items": [story]}])  # the same story twice: one article
    ld = {"@type": "NewsArticle", "articleBody": "Streaming services raised prices for the third time in two years."}
    detail = (f'<html><head><script type="application/ld+json">{{"@type": "WebSite"}}</script>'
              f'<script type="application/ld+json" data-next-head="">{json.dumps(ld)}</script></head><body></body></html>')
    return {"lists": {"/www.nbcnews.com/tech-media": tech, "/www.nbcnews.com/business/consumer": consumer},
            "pages": {"/www.nbcnews.com/business/streaming-prices": (detail, "text/html")}}


# name: (fixtures, environment, (title, text in the body, text not in it, published))
CASES = {
    "geekwire": (_geekwire, {}, ("Amazon opens a robotics lab", "200 engineers", None, datetime(2025, 2, 7, 18, 0, tzinfo=UTC))),
    "pharmexec": (_pharmexec, {}, ("FDA approves a new biosimilar", "approved the biosimilar", "Related", datetime(2025, 2, 7, 15, 0, tzinfo=UTC))),
    "techi": (_techi, {}, ("New oscilloscope doubles bandwidth", "8 GHz", "track", None)),
    "thehill": (_thehill, {}, ("Senate passes funding bill", "60-38", None, datetime(2025, 2, 7, 22, 10, tzinfo=UTC))),
    "traderslog": (_traderslog, {}, ("Reading the VIX term structure", "Contango", "subscribe", None)),
    "yahoo_us": (_yahoo_us, {}, ("Storm closes schools across the Midwest", "four states", "AD", None)),
    "hk01": (_hk01, {}, ("港股半日升200點", "恒指半日收升", "圖片", datetime.fromtimestamp(1738917470, UTC))),
    "benzinga": (_benzinga, {}, ("Apple shares rise after earnings beat", "$124 billion", "© Benzinga", datetime(2025, 2, 7, 21, 5, tzinfo=UTC))),
    "businesswire": (_businesswire, {}, ("Acme Announces Record Results", "record quarterly revenue", None, None)),
    "techcrunch": (_techcrunch, {}, ("Startup raises $40M for chip design tools", "growth fund", "ADVERT", None)),
    "theregister": (_theregister, {}, ("Patch Tuesday fixes 60 flaws", "60 vulnerabilities", "ADVERT", None)),
    "moneycontrol": (_moneycontrol, {}, ("Sensex gains 300 points", "rose 300 points", "ADVERT", None)),
    "afp": (_afp, {"MSN_API_KEY": "k"}, ("法國總統出訪印度", "啟程出訪印度", None, None)),
    "apnews": (_apnews, {"APNEWS_COOKIE": "c"}, ("Stocks rally as yields ease", "rallied on Friday", "ADVERT", None)),
    "bastillepost": (_bastillepost, {}, ("樓價指數連升三周", "差估署", "廣告", None)),
    "bioon": (_bioon, {}, ("新型疫苗完成三期临床", "主要终点", "广告", None)),
    "biopharmadive": (_biopharmadive, {}, ("Gene therapy deal tops $1B", "$1.2 billion", "ADVERT", None)),
    "businesstimes-news": (_businesstimes_news, {}, ("REITs look cheap", "below book value", "ADVERT", None)),
    "businesstoday": (_businesstoday, {}, ("Brands bet on short video", "short video", "ADVERT", None)),
    "c114": (_c114, {}, ("运营商公布5G用户数", "突破十亿", "广告", None)),
    "cabotwealth": (_cabotwealth, {}, ("Why small caps could lead", "discount", "ADVERT", None)),
    "cmcmarkets": (_cmcmarkets, {}, ("FTSE 100 outlook", "8,800", "ADVERT", None)),
    "coinlive": (_coinlive, {}, ("Bitcoin tops $100,000", "crossed $100k", None, datetime.fromtimestamp(1738917470, UTC))),
    "cww": (_cww, {}, ("工信部发布新规", "数据中心新规", None, None)),
    "driveteslacanada": (_driveteslacanada, {}, ("Tesla cuts Model Y price in Canada", "$59,990", "ADVERT", None)),
    "fiercepharma": (_fiercepharma, {}, ("Pharma ad spending climbs", "rose 8%", "ADVERT", None)),
    "finet": (_finet, {}, ("腾讯回购股份", "回购100万股", None, datetime(2025, 2, 7, 8, 30, tzinfo=UTC))),
    "in_en": (_in_en, {}, ("光伏组件出货量创新高", "同比增长三成", None, None)),
    "investinglive": (_investinglive, {}, ("USD/JPY climbs after payrolls", "152.30", "chart", datetime(2025, 2, 7, 13, 45, tzinfo=UTC))),
    "iyiou": (_iyiou, {}, ("新能源车渗透率突破五成", "首次突破", "广告", None)),
    "jinwucj": (_jinwucj, {}, ("某科技公司递表港交所", "募资用于研发", None, datetime(2025, 2, 7, 3, 20, tzinfo=UTC))),
    "marketpulse": (_marketpulse, {}, ("AI chips rally again", "extended gains", "NVDA", None)),
    "morningstar": (_morningstar, {}, ("Fed minutes show patience on cuts", "no rush", "ADVERT", None)),
    "now": (_now, {}, ("銀行體系結餘減少 港元拆息回落", "回落至4厘", "圖輯", None)),
    "orangenews": (_orangenews, {}, ("內地三月社融增長", "創新高", None, None)),
    "panewslab": (_panewslab, {}, ("以太坊升级完成", "完成升级", None, datetime(2025, 2, 7, 6, 0, tzinfo=UTC))),
    "pingwest": (_pingwest, {}, ("大模型创业公司完成新一轮融资", "五亿元", "广告", None)),
    "qq": (_qq, {"QQ_DEVICE_ID": "d"}, ("央行开展逆回购操作", "5000亿元", None, datetime(2025, 2, 7, 1, 30, tzinfo=UTC))),
    "sbr": (_sbr, {}, ("Banks post record profit", "rose 12%", "Subscribe", None)),
    "seeitmarket": (_seeitmarket, {}, ("Semiconductors break out", "cleared resistance", "chart", None)),
    "stheadline": (_stheadline, {}, ("恒指高開百點", "高開百點", "圖片", None)),
    "straitstimes": (_straitstimes, {}, ("Singapore GDP beats forecasts", "4.3%", "ADVERT", None)),
    "yicaiglobal": (_yicaiglobal, {}, ("China's exports rise 7%", "in January", None, None)),
    "unusualwhales": (_unusualwhales, {}, ("Options volume hits record", "60 million", None, datetime(2025, 2, 7, 20, 0, tzinfo=UTC))),
    "tipranks": (_tipranks, {"TIPRANKS_COOKIE": "c"}, ("Analysts lift Apple target", "price target to $250", "Trending Articles", None)),
    "tipranks_announcements": (_tipranks_feed("/news/company-announcements/acme", "Acme files 8-K"), {},
                               ("Acme files 8-K", "$250", "See more", datetime(2025, 2, 7, 14, 0, tzinfo=UTC))),
    "tipranks_others": (_tipranks_others, {"TIPRANKS_COOKIE": "c"},
                        ("Three dividend picks for February", "$250", "Trending", None)),
    "tradingview": (_tradingview, {"TRADINGVIEW_COOKIE": "c"}, ("Oil rises on Middle East tension", "Brent crude rose 1%", "CL1!",
                    datetime.fromtimestamp(1738917470, UTC))),
    "investing_cn": (_investing_cn, {"INVESTING_COOKIE": "c"}, ("美元指数走低", "市场关注就业数据", None, datetime(2025, 2, 7, 8, 37, 50, tzinfo=UTC))),
    "fx168": (_fx168, {"FX168_PCC": "p"}, ("美联储官员：通胀回落仍需时间", "", None, datetime(2025, 2, 7, 8, 30, tzinfo=UTC))),
    "36kr_newsflash": (_kr36, {}, ("某新能源车企发布新车", "20万元起", None, datetime.fromtimestamp(1738917470, UTC))),
    "businesstimes": (_html_source("", '<div class="stories"><div class="story"><h3><a href="/www.businesstimes.com.sg/x/dbs">DBS profit rises</a>'
                                   "</h3></div></div>", "/www.businesstimes.com.sg/x/dbs",
                                   '<div class="mx-auto my-4 font-lucida text-xl"><p>DBS net profit rose 11%.</p><div>ADVERT</div></div>'),
                      {}, ("DBS profit rises", "rose 11%", "ADVERT", None)),
    "gurufocus": (_gurufocus, {}, ("Buffett trims a bank stake", "10% of its stake", "ADVERT", None)),
    "infocastfn": (_infocastfn, {}, ("汇港通讯：恒指高开", "高开120点", "广告", None)),
    "insidermonkey": (_html_source("", '<h2><a href="/www.insidermonkey.com/blog/hedge-funds-1/">Hedge funds buy chips</a></h2>',
                                   "/www.insidermonkey.com/blog/hedge-funds-1/",
                                   '<div class="entry-content"><p>Funds added chip stocks.</p><div class="ad">ADVERT</div></div>'),
                      {}, ("Hedge funds buy chips", "added chip stocks", "ADVERT", None)),
    "investors": (_investors, {}, ("Stocks to watch: Nvidia", "buy point", "ADVERT", datetime(2025, 2, 7, 12, 0, tzinfo=UTC))),
    "lieyun": (_lieyun, {}, ("机器人公司融资", "亿元融资", None, None)),
    "mingpao": (_mingpao, {}, ("港股收升", "二百點", "分享", None)),
    "nasdaq": (_nasdaq, {}, ("Three stocks to buy", "look cheap", "ADVERT", None)),
    "retailtouchpoints": (_html_source("", '<article><h3><a href="{BASE}/www.retailtouchpoints.com/news/stores/1/">Retailers close stores</a>'
                                       "</h3></article>", "/www.retailtouchpoints.com/news/stores/1/",
                                       '<div class="elementor-widget-theme-post-content"><p>Store closures rose.</p><div>ADVERT</div></div>'),
                          {}, ("Retailers close stores", "closures rose", "ADVERT", None)),
    "nbcnews": (_nbcnews, {}, ("Streaming prices climb again", "third time in two years", None, None)),
    "dotdotnews": (_dotdotnews, {}, ("港交所 新股集資額居首", "全球居首", "圖", None)),  # U+3000 normalized by cleaning
}  # fmt: skip
