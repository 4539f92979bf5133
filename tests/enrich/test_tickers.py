import pytest

from newsdesk.enrich.tickers import WordFinder, aliases, extract, from_markup, from_text, normalize_symbol


def test_markup_attributes_and_quote_links():
    html = (
        '<p>Intel <a data-ticker="INTC" href="https://www.tipranks.com/stocks/intc">(INTC)</a> and '
        '<span data-code="AAPL.O">苹果</span>, '
        '<a href="https://finance.yahoo.com/quote/PDD">PDD</a>, '
        '<a href="https://stock.finance.sina.com.cn/usstock/quotes/GOOG.html">谷歌</a>, '
        '<a href="https://seekingalpha.com/symbol/ROIV">ROIV</a>, '
        '<a href="https://www.fx168news.com/quote/FEAUUS">现货黄金</a>, '
        '<a href="https://www.fx168news.com/quote/UNKNOWNCODE">x</a>, '
        '<a href="https://finance.yahoo.com/quote/%5EGSPC">S&amp;P</a></p>'
    )
    assert from_markup(html) == ["INTC", "AAPL", "PDD", "GOOGL", "ROIV", "XAUUSD", "SPX"]


def test_automatic_entity_links_are_not_ticker_markup():
    html = '<p>President <a data-autolink="true" href="https://www.tipranks.com/stocks/djt">Donald Trump</a> said</p>'
    assert from_markup(html) == []


def test_markup_without_hints_is_not_parsed_twice():
    assert from_markup("<p>no tickers here</p>") == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("亚马逊(AMZN.O)盘后大涨", ["AMZN"]),
        ("Apple Inc. (NASDAQ: AAPL) reported", ["AAPL"]),
        ("Capital One (NYSE: NYSE:COF) is a bank", ["COF"]),
        ("Chipmaker Nvidia (NVDA) fell", ["NVDA"]),
        ("贵州茅台（600519.SH）股价", ["600519.SH"]),
        ("腾讯控股(0700.HK)与美团", ["0700.HK", "3690.HK"]),
        ("腾讯控股(00700)公布业绩", ["0700.HK"]),
        ("Traders piled into $TSLA calls", ["TSLA"]),
        ("the S&P 500 (SPY, IVV, VOO) rose", ["SPY", "IVV", "VOO"]),
        ("Avance Gas Holding ( (AVACF) ) has provided an update", ["AVACF"]),
        ("Toyota Motor (TM) said", ["TM"]),
        ("weighed on the REIT (VNQ) and energy production (XLE) sectors", ["VNQ", "XLE"]),
        ("Treasury ETFs: (TLT), (TLH), (IEF)", ["TLT", "TLH", "IEF"]),
    ],
)
def test_ticker_shapes_in_text(text, expected):
    assert from_text(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Earnings per share (EPS) rose; the IPO (IPO) priced; the CEO (CEO) spoke.",
        "Free cash flow (FCF) and GDP (GDP) grew, inflation (CPI) eased.",
        "The Consumer Financial Protection Bureau (CFPB) sued.",
        "the total addressable market (TAM) is large",
        "Harris Associates L.P. said the U.K. and U.S. markets were calm.",
        "earnings grew (by 5%) and revenue (up) too",
        "in the year (2024) sales rose",
    ],
)
def test_look_alikes_are_rejected(text):
    assert from_text(text) == []


def test_alias_names_chinese_anywhere_english_in_the_title_only():
    assert from_text("亚马逊与特斯拉股价上涨，现货黄金走高") == ["AMZN", "TSLA", "XAUUSD"]
    assert from_text("騰訊與阿里巴巴") == ["0700.HK", "BABA"]  # Traditional text
    assert from_text("Analysts at Goldman Sachs said stocks rose") == []
    assert from_text("stocks rose", title="Goldman Sachs beats estimates") == ["GS"]


def test_longest_chinese_name_wins():
    assert from_text("超微电脑大跌") == ["SMCI"]


def test_extract_puts_markup_first_and_removes_repeats():
    html = '<p><span data-ticker="MSFT">微软</span></p>'
    assert extract(html, "微软与苹果", "微软 Microsoft (MSFT)") == ["MSFT", "AAPL"]


def test_symbol_spellings_are_normalized():
    assert [
        normalize_symbol(s)
        for s in ["sh600519", "600519.SS", "00700", "700.HK", "brk-b", "AMZN.O", "GOOG", "^IXIC", "???"]
    ] == [
        "600519.SH",
        "600519.SH",
        "0700.HK",
        "0700.HK",
        "BRK.B",
        "AMZN",
        "GOOGL",
        "IXIC",
        None,
    ]


def test_the_alias_table_covers_at_least_300_instruments():
    chinese, english = aliases()
    symbols = {symbol for _, symbol in chinese.values()} | set(english.values())
    assert len(symbols) >= 300
    assert english["Amazon"] == "AMZN" and chinese.get("亚马逊")[1] == "AMZN"
    assert chinese.get("现货黄金")[1] == "XAUUSD"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Listings abroad, as announcements and screeners print them.
        ("Sample Kosan Co., Ltd. (TSE:5019) and Sample Cannabis Inc. (TSE:ACB)", ["5019.T", "ACB.TO"]),
        ("Sample Wool (CPH:ROCK B) beat; Sample Bank (LSE:BARC) fell", ["ROCK-B.CO", "BARC.L"]),
        (
            "Sample Interconnect (TWSE:3189), Sample Co (KOSDAQ:340570), Sample SE (ETR:KWS)",
            ["3189.TW", "340570.KQ", "KWS.DE"],
        ),
        # Look-alikes: the foot of a wire story, acronyms of institutions and parties.
        ("Write to a reporter at reporter@example.com\n(END) Sample Newswires", []),
        ("The Sample Journal.\n(END) Sample Newswires", []),
        ("The Reserve Bank of India (RBI) held rates; the Aam Aadmi Party (AAP) lost", []),
        ("美国能源信息署(EIA)公布库存数据，英伟达(NVDA)上涨", ["NVDA"]),
        ("Capital One Financial (COF) and Advanced Micro Devices (AMD) rose", ["COF", "AMD"]),
    ],
)
def test_a_code_needs_context_and_foreign_listings_take_their_suffix(text, expected):
    assert from_text(text, names=False) == expected


def test_names_are_found_whole_leftmost_and_longest_first():
    finder = WordFinder(["Fed", "Federal Reserve", "Reserve Bank", "AT&T", "Meta"])
    assert finder.find("the Federal Reserve Bank said") == [(4, "Federal Reserve")]
    assert finder.find("FedEx and Metaverse, not Fed.") == [(25, "Fed")]
    assert finder.find("行长Fed：AT&T") == [(2, "Fed"), (6, "AT&T")], "CJK text around a name is a boundary"
    assert finder.find("x.Fed -Fed AT&Tx") == [], "a name after a dot or a dash, or before a letter, is part of a word"
