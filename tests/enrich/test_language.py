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


@pytest.mark.parametrize(
    ("given", "title", "text", "expected"),
    [
        # Headlines of names and figures are English, whatever a statistical guess says.
        (None, "Lisbon Closing Stock Prices", "Close Change Portugal PSI Index 6,100.20 +12.30 Banco Comercial", "en"),
        ("en", "Madrid Most Actives", "Volume Close Change Banco Santander 100,200,300 5.40 +0.41 Telefonica", "en"),
        ("en", "Acme (India) Q3 Consol Net Profit 2.4 Bln Rupees", "ACME LTD : Q3 CONSOL NET PROFIT 2.4 BILLION", "en"),
        # Chinese among tickers and English names is Chinese, never a Latin-script language.
        ("zh-CN", "示例数字资产 增持 20 枚 BTC，总持仓达 300 枚", "", "zh-CN"),
        ("zh-CN", "印尼 4Q Gross Domestic Product (YoY)好于预期", "", "zh-CN"),
        (None, "Sample Penguins 销毁逾100亿枚$PENGU代币", "", "zh-CN"),
        # Simplified text with a few characters OpenCC would convert stays Simplified.
        ("zh-CN", "某公司：产品已适配昇腾算力", "有投资者问公司，产品是否可以调用昇腾芯片做推理", "zh-CN"),
        # Enough words that are not names, in another language, still win.
        (
            "en",
            "Pourquoi ce constructeur est prêt à changer le marché",
            "Le constructeur vise à livrer des milliers de véhicules électriques d'ici la fin de l'année, "
            "marquant une étape importante pour une entreprise qui a connu des débuts difficiles sur son marché",
            "fr",
        ),
    ],
)
def test_short_names_and_figures_keep_their_language_and_enough_text_overrides(given, title, text, expected):
    assert resolve(given, title, text) == expected
