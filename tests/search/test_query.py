import pytest

from newsdesk.errors import QueryError
from newsdesk.search.query import MAX_QUERY_CHARS, parse


def test_words_are_anded_and_chinese_words_are_bigram_phrases():
    query = parse("美联储 加息")
    assert query.fts5() == '"美联 联储" AND "加息"'
    assert query.tsquery() == "('美联' <-> '联储') & '加息'"


def test_phrase_exclusion_and_or():
    query = parse('"rate cut" -crypto gold OR silver')
    assert query.fts5() == '("rate cut" AND ("gold" OR "silver")) NOT "crypto"'
    assert query.tsquery() == "('rate' <-> 'cut') & ('gold' | 'silver') & !'crypto'"


def test_a_single_chinese_character_is_a_prefix():
    assert parse("金").fts5() == '"金"*'
    assert parse("金").tsquery() == "'金':*"


def test_traditional_query_is_simplified():
    assert parse("聯準會").fts5() == parse("联准会").fts5()


@pytest.mark.parametrize(
    "text",
    [
        '"unbalanced',
        "a OR",
        "OR a",
        "- a",
        "a -",
        "((a))",
        "a AND b",
        "NEAR(a b)",
        "title:x",
        "a*",
        "^a",
        "'; DROP TABLE articles; --",
        'a" OR "1"="1',
        "a\x00b",
        "🚀 moon",
        "比特币🚀BTC",
        "Ünïcödé ñ",
    ],
)
def test_hostile_queries_parse_to_plain_tokens(text):
    query = parse(text)
    for token in (t for group in query.groups for item in group for p in item for t in p.tokens):
        assert token.replace(" ", "").isalnum(), token


@pytest.mark.parametrize(
    "text", ["", "   ", "-a", '-"x y"', "🚀🚀", "!!! ??? ...", "OR", "OR OR OR", '"', "\\", "{}[]<>"]
)
def test_queries_without_words_are_a_clear_error(text):
    with pytest.raises(QueryError, match="no words"):
        parse(text)


def test_overlong_queries_are_refused_with_the_limit():
    with pytest.raises(QueryError, match=str(MAX_QUERY_CHARS)):
        parse("a" * 10_000)


def test_too_many_terms_are_refused():
    with pytest.raises(QueryError, match="terms"):
        parse(" ".join(f"w{i}" for i in range(40)))


def test_or_items_and_single_characters_count_against_the_term_limit():
    from newsdesk.search.query import MAX_TERMS

    with pytest.raises(QueryError, match="more than 32 terms"):
        parse(" OR ".join(f"word{n}" for n in range(MAX_TERMS + 1)))
    with pytest.raises(QueryError, match="more than 32 terms"):
        parse(" OR ".join("金银铜铁锡铅锌镍钴锰钛钒铬钨钼"))  # 15 one-character prefix matches
    assert parse(" OR ".join(f"word{n}" for n in range(MAX_TERMS))).groups
    assert parse("金 OR 银 OR 铜").groups
