"""The lxml feed reader gives what feedparser gives, and broken feeds still go to feedparser."""

import feedparser
import pytest

from newsdesk.fetch.feeds import parse_feed
from newsdesk.fetch.parse import items
from newsdesk.sources.catalog import Source

RSS = """<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/"
     xmlns:media="http://search.yahoo.com/mrss/"><channel><title>Wire</title>
<item><title>Fed holds rates &amp; signals patience</title><link> https://wire.example.com/a/1 </link>
<guid isPermaLink="false">wire-1</guid><pubDate>Fri, 21 Aug 2026 11:00:00 GMT</pubDate>
<dc:creator>A. Writer</dc:creator>
<description>short teaser</description><content:encoded><![CDATA[<p>The <b>full</b> story.</p>]]></content:encoded>
<media:content url="https://img.example.com/1.jpg" medium="image"/></item>
<item><title>美联储维持利率不变</title><guid>https://wire.example.com/a/2</guid><description>&lt;p&gt;正文&lt;/p&gt;</description>
<enclosure url="https://img.example.com/2.png" type="image/png" length="1"/></item>
</channel></rss>"""

ATOM = """<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom"><title>Blog</title>
<entry><title type="html">Rates &lt;em&gt;hold&lt;/em&gt;</title><id>urn:x:1</id>
<link rel="alternate" href="https://blog.example.com/1"/><link rel="edit" href="https://blog.example.com/edit/1"/>
<updated>2026-08-21T11:00:00Z</updated><author><name>B. Writer</name></author>
<content type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml"><p>Body <b>one</b></p></div></content></entry>
<entry><title>Plain</title><id>urn:x:2</id><link href="https://blog.example.com/2"/><published>2026-08-20T09:00:00+08:00</published>
<summary type="text">a &lt; b</summary></entry></feed>"""

RDF = """<?xml version="1.0"?><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/"
xmlns:dc="http://purl.org/dc/elements/1.1/"><channel rdf:about="https://x.example.com/"><title>X</title></channel>
<item rdf:about="https://x.example.com/3"><title>Three</title><link>https://x.example.com/3</link><dc:date>2026-08-21T11:00:00Z</dc:date>
<description>Third</description></item></rdf:RDF>"""


def test_rss_items():
    first, second = parse_feed(RSS)
    assert first == {
        "id": "wire-1",
        "title": "Fed holds rates & signals patience",
        "link": "https://wire.example.com/a/1",
        "published": "Fri, 21 Aug 2026 11:00:00 GMT",
        "author": "A. Writer",
        "summary": "<p>The <b>full</b> story.</p>",
        "image": "https://img.example.com/1.jpg",
    }
    assert (second["link"], second["summary"], second["image"]) == (
        "https://wire.example.com/a/2",
        "<p>正文</p>",
        "https://img.example.com/2.png",
    )


def test_atom_entries():
    first, second = parse_feed(ATOM)
    assert first["link"] == "https://blog.example.com/1" and first["title"] == "Rates <em>hold</em>"
    assert "<p>Body <b>one</b></p>" in first["summary"] and first["author"] == "B. Writer"
    assert first["published"] == "2026-08-21T11:00:00Z" and second["published"] == "2026-08-20T09:00:00+08:00"
    assert second["summary"] == "a &lt; b"  # text, not markup


def test_rss1_items():
    [item] = parse_feed(RDF)
    assert (item["id"], item["link"], item["published"]) == (
        "https://x.example.com/3",
        "https://x.example.com/3",
        "2026-08-21T11:00:00Z",
    )


@pytest.mark.parametrize("document", [RSS, ATOM, RDF])
def test_the_same_items_as_feedparser(document):
    ours = parse_feed(document)
    theirs = feedparser.parse(document).entries
    assert [i["link"] for i in ours] == [e.get("link") for e in theirs]
    assert [i["title"] for i in ours] == [e.get("title") for e in theirs]


def test_broken_feeds_go_to_feedparser():
    broken = RSS.replace(
        "</channel></rss>", "<item><title>Unclosed & bad</title><link>https://wire.example.com/a/3</link>"
    )
    assert parse_feed(broken) is None and parse_feed("<html><body>not a feed</body></html>") is None
    source = Source(name="wire", kind="rss", url="https://wire.example.com/feed", file="t")
    found = items(source, broken, "https://wire.example.com/feed")
    assert "https://wire.example.com/a/3" in [i["link"] for i in found]


def test_entities_are_not_expanded():
    bomb = (
        '<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]>'
        "<rss><channel><item><title>&b;</title></item></channel></rss>"
    )
    parsed = parse_feed(bomb)
    assert parsed is None or all(len(i["title"] or "") < 100 for i in parsed)
