from newsdesk.enrich import enrich, tag_kinds
from newsdesk.enrich.tags import MAX_TOPICS, topics
from newsdesk.models import Article
from datetime import UTC, datetime


def article(title: str, text: str, html: str = "", language: str | None = None) -> Article:
    return Article(
        uuid="0" * 32, link="https://x.example/1", source="wire", title=title, raw_html=html or f"<p>{text}</p>",
        html=f"<p>{text}</p>", markdown=text, text=text, summary="", published=datetime(2025, 2, 5, tzinfo=UTC),
        language=language,
    )  # fmt: skip


def test_chinese_topics_come_from_the_title_and_text():
    found = topics("央行宣布降准 释放长期资金", "中国人民银行宣布降准0.5个百分点，释放长期资金约1万亿元，降准将于下周生效。")
    assert "降准" in found and len(found) <= MAX_TOPICS
    assert "公司" not in found


def test_english_topics_skip_common_words_and_fold_plurals():
    found = topics("Tariffs hit automakers", "New tariffs on imported cars hit automakers. The tariff raises prices for automakers.")
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
