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
}  # fmt: skip
