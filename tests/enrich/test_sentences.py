"""The sentence that sums an article up: split where sentences end (not after U.S. or
inside 17.6), the lead kept when it says the news, headings, promotions, datelines and
a source's repeated sentences passed over, the work bounded."""

from __future__ import annotations

from newsdesk.enrich import sentences

LEAD = "Pfizer reported fourth-quarter revenue of $17.76 billion on Tuesday, beating analysts' estimates."


def test_english_sentences_end_at_full_stops_not_after_abbreviations_or_in_numbers():
    text = (
        f"{LEAD} The U.S. drugmaker's shares rose 2.5% in early trade. "
        "Mr. Bourla said demand for the heart drug held up well!"
    )
    assert sentences.split(text) == [
        LEAD,
        "The U.S. drugmaker's shares rose 2.5% in early trade.",
        "Mr. Bourla said demand for the heart drug held up well!",
    ]


def test_chinese_sentences_end_at_chinese_stops():
    text = "辉瑞周二公布第四季度营收177.6亿美元，高于市场预期。公司股价盘前上涨2.5%！分析师认为需求稳定；"
    assert sentences.split(text) == [
        "辉瑞周二公布第四季度营收177.6亿美元，高于市场预期。",
        "公司股价盘前上涨2.5%！分析师认为需求稳定；",  # too short alone: joined to the sentence before
    ]


def test_the_lead_that_says_the_news_is_chosen_with_its_dateline_taken_off():
    text = (
        "NEW YORK, Feb. 4, 2025 (GLOBE NEWSWIRE) -- " + LEAD + "\nKey figures for the quarter:\n"
        "Revenue from the heart drug Vyndaqel rose 63% to $1.6 billion in the quarter. "
        "The company expects 2025 revenue between $61 billion and $64 billion, in line with estimates. "
        "Pfizer's revenue beat was driven by the heart drug and by its cancer medicines."
    )
    assert sentences.best(text, "Pfizer beats revenue estimates") == LEAD
    zh = "新华社纽约2月4日电 辉瑞周二公布第四季度营收177.6亿美元，高于市场预期。公司预计2025年营收610亿至640亿美元。"
    assert sentences.best(zh, "辉瑞营收胜预期").startswith("辉瑞周二公布")
    wire = "ST. PAUL, Minn., Feb. 4, 2025 /PRNewswire/ -- The 3M Board of Directors today declared a dividend of $0.73."
    assert sentences.best(wire, "3M declares dividend").startswith("The 3M Board")


def test_headings_promotions_and_a_sources_repeated_sentences_are_passed_over():
    promo = "Leverage the power of Smart Score, a data-driven tool to help you make informed investment decisions."
    text = (
        f"Maximize your portfolio with data driven insights:\n{promo}\n"
        "Acme Corp declared a quarterly dividend of $0.73 a share, payable in March."
    )
    other = f"Maximize your portfolio with data driven insights:\n{promo}\nBeta Inc reported its results for the year."
    repeated = sentences.repeated([other, text])
    assert promo in repeated and sentences.best(text, "Acme declares dividend", repeated=repeated).startswith("Acme")
    assert sentences.best("Click here to subscribe to our newsletter for more.", "x") == ""


def test_long_and_hostile_texts_are_read_only_to_the_bound():
    huge = ("Shares of the company rose sharply after the report. " * 50_000) + "End."
    assert len(sentences.split(huge)) == sentences.MAX_SENTENCES
    assert sentences.best(huge) == "Shares of the company rose sharply after the report."
    assert sentences.best("") == "" and sentences.best("!!!。。。") == ""
    assert sentences.best("a" * 100_000) == ""  # one unreadable run: no sentence
