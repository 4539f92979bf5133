from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from newsdesk.clean import clean_record, clean_title, repair, summarize, to_markdown, to_text
from newsdesk.sources.records import parse_record
from tests.conftest import record

NOW = datetime(2026, 1, 1, tzinfo=UTC)


def test_markdown_in_the_seed_style():
    html = '<h2>标题</h2><p>第一段<strong>加粗</strong>其中</p><ul><li>一</li><li>二</li></ul><p><a href="https://e.com">链接</a></p>'
    assert to_markdown(html) == "## 标题\n\n第一段**加粗**其中\n\n- 一\n- 二\n\n[链接](https://e.com)"


def test_a_heading_holding_blocks_is_converted_as_markdownify_does():
    # the one shape on which markdownify-rs (the fast path) and markdownify differ
    html = "<h3><hr><p><strong>新智元报道</strong></p></h3><p>编辑：某人</p>"
    assert to_markdown(html) == "### ---\n\n**新智元报道**\n\n编辑：某人"


def test_text_has_one_line_per_block_and_no_markup():
    html = "<h2>Title</h2><p>one <b>bold</b>\n  word</p><p>two<br>three</p><ul><li>x</li></ul>"
    assert to_text(html) == "Title\none bold word\ntwo\nthree\nx"


def test_summary_is_the_first_fifty_characters():
    text = "在亚马逊(AMZN.O)的早期发展历程中，投资者和竞争对手曾经嘲笑这家在线零售商似乎无法盈利。即便是在2014年"
    assert summarize(text) == text[:50] + "..."
    assert len(summarize(text)) == 53
    assert summarize("", fallback="快讯标题") == "快讯标题..."
    assert summarize("") == ""


def test_mojibake_is_repaired_and_cjk_punctuation_kept():
    assert repair("Itâ€™s fine") == "It’s fine"
    assert repair("é¦™æ¸¯") == "香港"
    assert repair("（全角，标点）ＡＢＣ") == "（全角，标点）ＡＢＣ"
    assert repair("café déjà vu") == "café déjà vu"


def test_titles_are_unescaped_and_whitespace_collapsed():
    assert clean_title("  AT&amp;T \n earnings  ") == "AT&T earnings"
    assert clean_title("<![CDATA[美联储维持利率不变]]>") == "美联储维持利率不变"
    assert clean_title("<![CDATA[Fed <b>holds</b> rates") == "Fed holds rates", "an unterminated wrapper"


def test_clean_record_fills_every_field():
    raw = record(1, description='<div><p style="x">正文<script>x()</script></p></div>', pub_date=None, kind="post")
    article = clean_record(parse_record(raw, "t", tz=ZoneInfo("Asia/Shanghai")), NOW)
    assert (article.html, article.markdown, article.text) == ("<p>正文</p>", "正文", "正文")
    assert article.summary == "正文..."
    assert article.raw_html == raw["description"]
    assert article.published == NOW and not article.dated  # sorted by first sighting, never shown as published
    assert (article.kind, article.kind_raw) == (1, "post")


def test_empty_body_summarizes_the_title():
    raw = record(2, description="", title="快讯：美元指数走高")
    article = clean_record(parse_record(raw, "t", tz=ZoneInfo("Asia/Shanghai")), NOW)
    assert article.markdown == "" and article.summary == "快讯：美元指数走高..."


def test_titles_lose_tags_but_keep_lone_angle_brackets():
    from newsdesk.clean.text import clean_title

    assert clean_title("<p>纽元/美元徘徊在0.5650附近</p>") == "纽元/美元徘徊在0.5650附近"
    assert clean_title("S&amp;P < 5000 as x > 3") == "S&P < 5000 as x > 3"


def test_text_keeps_table_structure_and_drops_zero_width_characters():
    html = (
        "<table><tr><th>Pos</th><th>Driver</th><th>Pts</th></tr><tr><td>1</td><td>Kyle Busch</td><td>5040</td></tr>"
        "<tr><td>2</td><td>Kevin\u200b Harvick</td><td>5035</td></tr></table><p>After\u00adwards\ufeff.</p>"
    )
    assert to_text(html) == "Pos Driver Pts\n1 Kyle Busch 5040\n2 Kevin Harvick 5035\nAfterwards."


def test_a_title_less_flash_gets_its_first_sentence_and_keeps_its_kind():
    raw = record(3, title="", kind=2, description="<p>美国7月CPI同比上涨2.9%，预期3.0%。核心CPI环比上涨0.2%。</p>")
    article = clean_record(parse_record(raw, "t", tz=ZoneInfo("Asia/Shanghai")), NOW)
    assert article.title == "美国7月CPI同比上涨2.9%，预期3.0%" and article.kind == 2


def test_headlines_are_cut_at_a_boundary_never_mid_word():
    from newsdesk.clean.text import HEADLINE_CHARS, headline

    long = "Treasury yields climbed across the curve on Friday while traders weighed stronger payrolls data " * 3
    cut = headline(long)
    assert len(cut) <= HEADLINE_CHARS + 1 and cut.endswith("…") and long.startswith(cut[:-1])
    assert long[len(cut) - 1] == " "  # the cut falls between words
    assert headline("Fed holds rates. Markets rally.") == "Fed holds rates"
