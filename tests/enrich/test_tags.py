from datetime import UTC, datetime

from newsdesk.enrich import enrich, tag_kinds
from newsdesk.enrich.tags import MAX_TOPICS, topics
from newsdesk.models import Article


def article(title: str, text: str, html: str = "", language: str | None = None) -> Article:
    return Article(
        uuid="0" * 32,
        link="https://x.example/1",
        source="wire",
        title=title,
        raw_html=html or f"<p>{text}</p>",
        html=f"<p>{text}</p>",
        markdown=text,
        text=text,
        summary="",
        published=datetime(2025, 2, 5, tzinfo=UTC),
        language=language,
    )


def test_chinese_topics_come_from_the_title_and_text():
    found = topics(
        "央行宣布降准 释放长期资金", "中国人民银行宣布降准0.5个百分点，释放长期资金约1万亿元，降准将于下周生效。"
    )
    assert "降准" in found and len(found) <= MAX_TOPICS
    assert "公司" not in found


def test_english_topics_skip_common_words_and_fold_plurals():
    found = topics(
        "Tariffs hit automakers",
        "New tariffs on imported cars hit automakers. The tariff raises prices for automakers.",
    )
    assert found[:2] == ["tariffs", "automakers"] or set(found[:2]) == {"tariffs", "automakers"}
    assert "the" not in found and "said" not in found


def test_enrich_fills_everything_and_tags_are_tickers_topics_source():
    enriched = enrich(article("英伟达股价大跌 市值蒸发", "英伟达(NVDA.O)股价周一大跌17%，市值蒸发近6000亿美元。"))
    assert enriched.language == "zh-CN"
    assert enriched.tickers == ["NVDA"]
    assert enriched.tags[0] == "NVDA" and enriched.tags[-1] == "wire"
    assert 3 <= len(enriched.tags) <= 1 + MAX_TOPICS + 1
    assert enriched.minhash is not None and len(enriched.minhash) == 256
    kinds = dict(tag_kinds(enriched))
    assert kinds["NVDA"] == "ticker" and kinds["wire"] == "source"
    assert {kinds[t] for t in enriched.tags[1:-1]} == {"topic"}


def test_names_the_alias_table_and_word_list_know_stay_whole_in_either_script():
    found = topics(
        "美參院委員會投票批准提名盧特尼克出任商務部長",
        "美國參議院商務委員會投票批准提名盧特尼克出任商務部長。盧特尼克表示將推動關稅政策。",
    )
    assert "卢特尼克" in found  # one word, in Simplified script
    assert not {"卢特", "尼克", "盧特"} & set(found)


def test_agencies_are_their_own_kind_and_never_topics():
    wire = article(
        "路透社：英伟达(NVDA.O)股价大跌", "据路透社报道，英伟达股价周一大跌17%，市值蒸发近6000亿美元。路透社 路透社"
    )
    wire.source = "Dow Jones Newswires"
    kinds = dict(tag_kinds(enrich(wire)))
    assert kinds["Reuters"] == "agency" and kinds["Dow Jones Newswires"] == "agency"
    assert "路透社" not in kinds and "路透" not in kinds
    english = enrich(
        article("Chip stocks slide", "(Reuters) - Chip stocks slid on Monday as Nvidia fell.", language="en")
    )
    assert dict(tag_kinds(english))["Reuters"] == "agency"


def test_a_ticker_has_one_spelling_and_its_company_name_is_not_a_topic_beside_it():
    enriched = enrich(
        article("Nvidia (NVDA) slides", "Nvidia NASDAQ: NVDA fell. nvda nvda nvda. Nvidia Nvidia chips.", language="en")
    )
    assert "NVDA" in enriched.tags
    assert not {"nvda", "nvidia", "Nvidia"} & set(enriched.tags)
    chinese = enrich(article("英伟达股价大跌", "英伟达(NVDA.O)股价周一大跌17%，英伟达市值蒸发。英伟达 英伟达"))
    assert "英伟达" not in chinese.tags and chinese.tags[0] == "NVDA"
