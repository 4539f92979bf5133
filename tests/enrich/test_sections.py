"""Sections: the fixed bilingual taxonomy, from title, lead and tickers (text written for these tests)."""

from __future__ import annotations

import pytest

from newsdesk.enrich.sections import MAX_SECTIONS, SECTIONS, label, sections


def test_the_taxonomy_is_the_fixed_bilingual_one():
    assert SECTIONS == (
        "macro", "central-banks", "fx", "bonds", "equities", "earnings", "deals", "commodities", "crypto", "tech",
        "trade-geopolitics", "regulation", "real-estate", "analyst-ratings", "other",
    )  # fmt: skip
    assert (label("central-banks").zh, label("central-banks").en) == ("央行与利率", "Central banks & rates")
    assert label("offeree") is None


@pytest.mark.parametrize(
    ("title", "text", "tickers", "expected"),
    [
        ("美联储维持利率不变 鲍威尔称不急于降息", "", [], ["central-banks"]),
        ("Fed holds rates steady as Powell signals patience", "", [], ["central-banks"]),
        ("某公司第四季度营收同比增长12%，净利润超预期", "", [], ["earnings"]),
        ("Sample Corp Q4 revenue beats estimates, raises guidance", "", [], ["earnings"]),
        ("Sample Bank Adjusts Price Target on Sample Corp to $50, Maintains Buy Rating", "", [], ["analyst-ratings"]),
        ("比特币跌破9万美元 以太坊跌逾5%", "", [], ["crypto"]),
        ("某某币24小时涨超30%", "", [], ["crypto", "equities"]),  # any coin's name
        ("布伦特原油期货收跌1.2%", "", [], ["commodities"]),
        ("Sample Group agrees to acquire rival in $2 billion takeover", "", [], ["deals"]),
        ("美国1月CPI同比上涨3.0% 高于预期", "", [], ["macro"]),
        ("美国宣布对进口商品加征关税 中方表示将反制", "", [], ["trade-geopolitics"]),
        ("某地楼市新政出台 二手房成交回暖", "", [], ["real-estate"]),
        ("Ten-year Treasury yields climb to three-month high", "", [], ["bonds"]),
        ("美元兑日元跌至153", "", [], ["fx"]),
        ("某影星出席慈善活动", "活动在周末举行。", [], ["other"]),
        ("", "", [], ["other"]),
    ],
)
def test_an_article_gets_the_sections_its_words_name(title, text, tickers, expected):
    assert sections(title, text, tickers) == expected


def test_a_lead_adds_a_second_section_but_a_passing_word_does_not():
    lead = "Gold rose as the dollar slipped. Oil prices also climbed. Copper was flat."
    assert sections("Sample Corp shares jump on gold output", lead) == ["commodities", "equities"]
    assert "crypto" not in sections("Fed holds rates steady", "One analyst mentioned bitcoin in passing.")


def test_currency_names_count_in_titles_only_and_tickers_say_their_section():
    assert "fx" not in sections("Sample Corp quarterly profit rises", "Profit was 3 billion yen, or 1.2 billion euros.")
    assert sections("Sample headline", "", ["BTCUSD"]) == ["other"]  # one ticker alone is below the floor
    assert "commodities" in sections("金价再创新高", "", ["XAUUSD"])


def test_at_most_three_sections_best_first():
    title = "美联储加息 美元指数走高 黄金下跌 比特币大跌 美股收跌"
    found = sections(title, "")
    assert 1 <= len(found) <= MAX_SECTIONS and "other" not in found
