import pytest

from newsdesk.enrich.language import detect, resolve


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("美联储主席表示将继续关注通胀数据", "zh-CN"),
        ("聯準會主席表示將繼續關注通膨數據", "zh-TW"),
        ("佢哋話聯儲局會繼續加息，市場唔太擔心", "zh-HK"),
        ("The Federal Reserve held rates steady on Wednesday", "en"),
        ("El banco central mantuvo las tasas de interés sin cambios", "es"),
        ("日本銀行は金利を据え置いた", "ja"),
        ("12345 !!!", None),
    ],
)
def test_detect(text, expected):
    assert detect(text) == expected


def test_a_given_language_is_kept_when_the_text_agrees():
    assert resolve("zh-HK", "聯準會主席表示將繼續關注", "") == "zh-HK"
    assert resolve("en-GB", "The Bank of England held rates", "") == "en-GB"


def test_missing_or_wrong_languages_are_replaced():
    assert (
        resolve(
            None, "Apple beats estimates", "Revenue rose on strong iPhone sales and the company raised its outlook."
        )
        == "en"
    )
    spanish = (
        "El banco central mantuvo las tasas de interés sin cambios y dijo que la inflación seguirá bajando "
        "durante el próximo año."
    )
    assert resolve("en", "Las tasas no cambian", spanish) == "es"
    assert resolve("en", "美联储主席表示将继续加息", "") == "zh-CN"
    assert resolve("zh-CN", "聯準會主席表示將繼續關注通膨", "") == "zh-TW"
    assert resolve("zh-HK", "美联储主席表示将继续关注通胀", "") == "zh-CN"


def test_a_short_headline_never_overrides_a_given_language():
    assert resolve("en", "Insights into Aurora Cannabis Q3 Earnings", "") == "en"


def test_nothing_to_go_on_keeps_what_was_given():
    assert resolve("en", "123", "") == "en"
    assert resolve(None, "", "") is None
