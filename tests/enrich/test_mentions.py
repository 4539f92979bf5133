"""What links a Chinese and an English report of one event: entities, figures, names."""

from __future__ import annotations

from newsdesk.enrich.mentions import figures, headline, mentions


def test_figures_are_scaled_and_written_at_two_and_three_digits():
    assert figures("营收171亿美元") == figures("revenue of $17.1 billion") == ["n2:1.7e+10", "n3:1.71e+10"]
    assert figures("1.71万亿") == ["n2:1.7e+12", "n3:1.71e+12"]
    assert figures("降息25个基点") == figures("cut by 25 basis points") == ["bp2:25"]
    assert "n3:5.33e+04" in figures("收报53,277.01点")


def test_years_dates_times_counts_and_one_digit_figures_name_no_event():
    assert figures("2025年2月26日 10:30，3家公司，5%，第1季度，2025-02-26") == []


def test_one_event_in_two_languages_names_the_same_things():
    zh = mentions("辉瑞第四季度营收177.6亿美元 胜预期", "辉瑞公布财报，第四季度营收177.63亿美元。")
    en = mentions(
        "Pfizer beats estimates", "Pfizer reported fourth-quarter revenue of $17.76 billion, its results showed."
    )
    shared = set(zh) & set(en)
    assert {"e:PFE", "x:PFE|EARNINGS", "n3:1.78e+10"} <= shared


def test_names_in_latin_script_count_but_not_the_words_of_a_known_entity():
    found = mentions("京东据报再度洽购德国Ceconomy", "京东重拾收购 Ceconomy 的兴趣。")
    assert "l:ceconomy" in found and "e:JD" in found
    assert "l:palantir" not in mentions("Palantir results", "Palantir (PLTR) grew 36%.")


def test_places_and_kinds_of_event_count_only_in_pairs():
    found = mentions("美国对中国加征关税", "美国宣布对中国商品加征关税。")
    assert not {"e:US", "e:CN", "e:TARIFF"} & set(found)


def test_a_latin_name_written_against_chinese_text_is_still_a_name():
    assert "e:BARKIN" in mentions("里士满联储行长Barkin：美联储需要更多时间", "")
    assert "e:LANE" in mentions("欧洲央行首席经济学家Philip Lane表示", "")
    assert "e:FED" not in mentions("Fedexpress results", ""), "a name inside a longer word is not the name"


def test_headlines_capitalize_kinds_of_event_and_they_still_count():
    found = mentions("Toyota Raises Earnings Guidance After Profit Jumps", "")
    assert {"x:TM|EARNINGS", "x:TM|GUIDANCE"} <= set(found)
    assert "x:HSI|INDEX_CLOSE" in mentions("Hang Seng Index Closes 0.9% Lower at 20597.09", "")
    assert "x:HSI|INDEX_CLOSE" in mentions("港股收评：恒生指数跌0.93%", "")


def test_a_name_and_a_kind_of_event_pair_only_within_one_sentence():
    commentary = mentions(
        "节后市场展望",
        "美联储的货币政策影响市场。特斯拉股价下跌。分析师认为，欧洲央行今年还会降息。关税仍是风险。",
    )
    assert "x:ECB|RATE_CUT" in commentary, "named together in one sentence"
    assert not {"x:FED|RATE_CUT", "x:TSLA|RATE_CUT", "x:TSLA|TARIFF", "x:FED|TARIFF"} & set(commentary)
    # A title goes with the text's first sentence: "Nvidia" and "results" there are one report.
    assert "x:NVDA|EARNINGS" in mentions("Nvidia shares jump", "The chipmaker posted results above estimates.")


def test_a_headline_names_what_the_report_is_about():
    assert headline("美联储巴尔金：我们已重新调整利率") == ["e:FED", "e:BARKIN"]
    assert headline("Markets today") == [], "common headline words name nothing"


def test_a_company_the_text_introduces_with_its_ticker_is_named_by_its_title():
    text = "Led by demand for personalized cars, Ferrari (NYSE:RACE) saw sales rise 14%."
    assert "e:RACE" in headline("Ferrari Q4 results beat expectations", text)
    assert "e:RACE" not in headline("Carmakers report results", text), "the title must say the name"
    assert headline("The Chief speaks", "The Chief Executive (CEO) said") == ["l:chief"], "(CEO) is no ticker"
