"""What links a Chinese and an English report of one event: entities, figures, names."""

from __future__ import annotations

from newsdesk.enrich.mentions import figures, mentions


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
