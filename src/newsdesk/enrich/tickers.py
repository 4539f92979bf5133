"""Tickers an article is about: from its markup, from its text, from company names.

Symbols are written one way whatever the source wrote: US tickers plain
(``AAPL``, ``BRK.B``), Hong Kong ``0700.HK``, mainland ``600519.SH``/``.SZ``,
indices, commodities, currencies and crypto as in ``data/aliases.tsv``
(``SPX``, ``XAUUSD``, ``USDJPY``, ``BTCUSD``).

From text, a symbol counts only in a shape that says "ticker": exchange-qualified
(``NASDAQ: AAPL``), suffixed (``AMZN.O``, ``600519.SH``, ``0700.HK``), a cashtag
(``$TSLA``), or in brackets right after a name (``Intel (INTC)``, ``腾讯(00700)``).
Bracketed look-alikes (EPS, IPO, CEO, GDP …) are refused. Names come from the
shipped alias table: Chinese names as substrings of the Simplified text, English
names as whole, case-sensitive words.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from functools import cache
from importlib import resources
from urllib.parse import unquote

import ahocorasick
from selectolax.lexbor import LexborHTMLParser

from newsdesk.tokens import simplified

__all__ = ["aliases", "describe", "extract", "from_markup", "from_text", "names_by_symbol", "names_of"]

MAX_TEXT_CHARS = 200_000  # long analyses name tickers throughout
_EXCHANGES = (
    "NASDAQ|NasdaqGS|NasdaqGM|NasdaqCM|NYSE|NYSEAMERICAN|NYSE American|NYSEARCA|NYSE Arca|AMEX|OTC|OTCMKTS|"
    "OTCQX|OTCQB|OTCPK|BATS|CBOE|HKEX|HKG|HK|SEHK|SSE|SZSE"
)
_SYMBOL = r"[A-Z]{1,5}(?:\.[A-Z])?"
_QUALIFIED = re.compile(rf"\b(?:{_EXCHANGES})\s*[:：]\s*({_SYMBOL}|\d{{1,5}})\b")
_US_SUFFIX = re.compile(r"\b([A-Z]{2,5})\.(?:O|OQ|N|US)\b(?!\.)")  # Reuters style; not "L.P.", "U.K."
_CN_CODE = re.compile(r"(?<![\d.])(\d{6})\.(SH|SZ|SS|BJ)\b", re.IGNORECASE)
_HK_CODE = re.compile(r"(?<![\d.])(\d{4,5})\.HK\b", re.IGNORECASE)
_CASHTAG = re.compile(r"(?<![\w$])\$([A-Z]{1,5}(?:\.[A-Z])?)\b")
_DOUBLED_EXCHANGE = re.compile(rf"\b(?:{_EXCHANGES})\s*[:：]\s*(?=(?:{_EXCHANGES})\s*[:：])")
# "Name (TICK)", "Name’s (TICK)", "Name ( (TICK) )", "S&P 500 (SPY, IVV)", "名称（TICK）", "名称(00700)";
# the code checks that the word before the bracket looks like a name.
_TICK = r"(?:[A-Z]{1,5}(?:\.[A-Z]{1,2})?|SP500|\d{5,6})"
_BRACKETED = re.compile(rf"[（(]\s*(?:[（(]\s*)?({_TICK}(?:\s*[,，/]\s*{_TICK})*)\s*[)）]")
_NAME_END = re.compile(r"(?:[\w.&'’-]+|[\u4e00-\u9fff]|[)）][ \t]*[,，/]?|:)(?:['’]s)?[ \t]*(?:[（(]\s*)?\Z")
# Words that make "Xxx Yyy (XY)" an acronym of an institution, not a company's ticker.
_INSTITUTION = re.compile(
    r"\b(?:Bureau|Commission|Agency|Administration|Department|Association|Organi[sz]ation|Authority|Council|"
    r"Committee|Institute|Index|Act|Office|Board|Ministry|Federation|Union|Program(?:me)?|Survey|Report|"
    r"Initiative|Center|Centre|Forum|Conference|System|Standard|Protocol|Network|Manufacturing|Bank|Party|Exchange)\b"
)
# A Chinese name ending so is an institution: "美国能源信息署(EIA)" spells its acronym, not a ticker.
_CJK_INSTITUTION = re.compile(
    r"(?:署|局|会|部|委|院|厅|办|组织|协会|联盟|交易所|中心|政府|议会|法院)[ \t]*(?:[（(]\s*)?\Z"
)
# Exchanges outside the US and Greater China, as "(TSE:6412)", "(LSE:BARC)", "KOSDAQ: 340570" print
# them, and the suffix their listings take (Yahoo's); TSE is Tokyo for numbers, Toronto for letters.
_FOREIGN_SUFFIX = {
    "TSE": ".T", "TYO": ".T", "TWSE": ".TW", "TPE": ".TW", "TPEX": ".TWO", "GTSM": ".TWO", "LSE": ".L", "LON": ".L",
    "AIM": ".L", "KOSE": ".KS", "KRX": ".KS", "KOSDAQ": ".KQ", "ETR": ".DE", "XTRA": ".DE", "FRA": ".F",
    "EPA": ".PA", "ENXTPA": ".PA", "AMS": ".AS", "ENXTAM": ".AS", "EBR": ".BR", "ENXTBR": ".BR", "BIT": ".MI",
    "BME": ".MC", "SWX": ".SW", "SIX": ".SW", "VTX": ".SW", "CPH": ".CO", "STO": ".ST", "HEL": ".HE", "OB": ".OL",
    "ASX": ".AX", "NZSE": ".NZ", "NZX": ".NZ", "TSX": ".TO", "TSXV": ".V", "CVE": ".V", "CNSX": ".CN", "SGX": ".SI",
    "BSE": ".BO", "NSEI": ".NS", "IDX": ".JK", "SET": ".BK", "KLSE": ".KL", "BMV": ".MX", "BOVESPA": ".SA",
    "BVMF": ".SA", "JSE": ".JO", "TASE": ".TA", "WSE": ".WA", "IBSE": ".IS", "SASE": ".SR", "DFM": ".AE",
}  # fmt: skip
_FOREIGN = re.compile(
    rf"\b({'|'.join(sorted(_FOREIGN_SUFFIX, key=len, reverse=True))})\s*[:：]\s*"
    r"([A-Z0-9]{1,6}(?:[ .-][A-Z])?)(?![\w.-])"
)
_CANONICAL = {"GOOG": "GOOGL", "BRK.A": "BRK.B", "FB": "META", "SP500": "SPX"}
LOOKALIKES = frozenset(
    """A I II III IV V VI AI AR VR EV EVS US USA UK EU UN UAE CEO CFO COO CTO CIO CMO EPS IPO FCF GDP CPI PPI PCE PMI
    ETF ETFS FDA SEC FTC DOJ IRS FOMC FED ECB BOJ BOE PBOC RBA IMF WTO OPEC NATO API APIS SAAS YOY QOQ MOM ROE ROI ROA
    ROIC EBIT EBITDA NAV AUM ESG LLC INC LTD PLC CO CORP LP ADR ADRS ADS USD CNY RMB HKD EUR JPY GBP AUD CAD CHF TTM
    GAAP AGM EGM LNG LPG OTC NYC IT PC TV GPU GPUS CPU CPUS ARR MAU DAU GMV FY FYE YTD Q1 Q2 Q3 Q4 H1 H2 EST ET PT GMT
    UTC AM PM OK NO TBD TBA NA NM RSI MACD SMA EMA DCF PE PS PB PEG EV IRR NPV R&D M&A B2B B2C DTC SUV EVTOL ICE BEV
    PHEV HEV NEV CEO'S NFT NFTS DEFI DAO BTC ETH SOL GOP DNC NBA NFL MLB WHO CDC NIH EPA FAA FCC DOE DOD DHS CIA FBI NSA
    IRA HSA FAQ PDF URL LLM LLMS GENAI AGI ML NLP IOT SSD HDD DRAM NAND HBM ASIC FPGA SOC EDA OEM ODM CAGR BPS YIELD
    OPEX CAPEX SG&A COGS EBT NII NIM CET1 LTV CAC SKU KPI OKR HR PR IR USPS JOLTS CFTC CBDC AWS DJIA NYSE NASDAQ
    DOGE SAMR WGC NHTSA OCC FDIC FHFA NAFTA USMCA CHIPS HK SAR PRC CCP NPC CPPCC MIIT NDRC CSRC PBC SAFE END
    EBITA EBITDAR CFFO FFO AFFO IST KYC AML EIA RBI NSE BSE BJP TAM SAM WACC CAPM RNS TSE LSE ASX TSX SGX HKMA MAS
    SNB""".split()
)
_FX168_CODES = {
    "DINIW": "DXY",
    "SPCIW": "SPX",
    "INDIW": "DJI",
    "NASDAQ": "IXIC",
    "HSI": "HSI",
    "FEAUUS": "XAUUSD",
    "FEAGUS": "XAGUSD",
    "FEXHNG": "NG",
    "BINBTC": "BTCUSD",
    "BINETH": "ETHUSD",
    "FESJPY": "USDJPY",
    "FESEUR": "EURUSD",
    "FESGBP": "GBPUSD",
    "FESCAD": "USDCAD",
    "FESCHF": "USDCHF",
    "FESAUD": "AUDUSD",
    "MTUKOB": "UKOIL",
    "CONC": "USOIL",
    "SXO600": "SXXP",
}
_INDEX_CODES = {
    "^GSPC": "SPX",
    "^DJI": "DJI",
    "^IXIC": "IXIC",
    "^NDX": "NDX",
    "^HSI": "HSI",
    "^VIX": "VIX",
    "^RUT": "RUT",
}
_QUOTE_LINKS = [
    re.compile(r"finance\.yahoo\.com/quote/([^/?#]+)", re.IGNORECASE),
    re.compile(r"seekingalpha\.com/symbol/([^/?#]+)", re.IGNORECASE),
    re.compile(r"tipranks\.com/stocks/(?:hk:)?([^/?#]+)", re.IGNORECASE),
    re.compile(r"stockinvest\.us/stock/([^/?#]+)", re.IGNORECASE),
    re.compile(r"cnbc\.com/quotes/([^/?#]+)", re.IGNORECASE),
    re.compile(r"nasdaq\.com/market-activity/stocks/([^/?#]+)", re.IGNORECASE),
    re.compile(r"tradingview\.com/symbols/(?:[A-Z]+-)?([^/?#]+)", re.IGNORECASE),
    re.compile(r"finance\.sina\.com\.cn/usstock/quotes/([^/?#]+?)\.html", re.IGNORECASE),
    re.compile(r"finance\.sina\.com\.cn/(?:hkstock|stock/hkstock)/quotes/(\d{5})\.html", re.IGNORECASE),
    re.compile(r"finance\.sina\.com\.cn/realstock/company/((?:sh|sz)\d{6})/", re.IGNORECASE),
    re.compile(r"xueqiu\.com/S/([A-Z0-9.]+)", re.IGNORECASE),
]
_MARKUP_HINT = re.compile(r"data-(?:ticker|code|symbol)|/(?:quote|quotes|symbol|symbols|stocks?|S)/|realstock")
_FX168_LINK = re.compile(r"fx168news\.com/quote/([A-Za-z0-9]+)")


def normalize_symbol(raw: str) -> str | None:
    """One spelling for a symbol from a link or attribute; None if it is no ticker."""
    symbol = _spelling(raw)
    return _CANONICAL.get(symbol, symbol) if symbol else None


def _spelling(raw: str) -> str | None:
    value = raw.strip().upper().lstrip(".")
    if value in _INDEX_CODES or raw.strip().upper() in _INDEX_CODES:
        return _INDEX_CODES.get(value) or _INDEX_CODES[raw.strip().upper()]
    if match := re.fullmatch(r"(SH|SZ)(\d{6})", value):
        return f"{match[2]}.{match[1]}"
    if match := re.fullmatch(r"(\d{6})\.(SH|SZ|SS|BJ)", value):
        return f"{match[1]}.{'SH' if match[2] == 'SS' else match[2]}"
    if match := re.fullmatch(r"(?:HK:?)?(\d{1,5})\.HK|HK:?(\d{1,5})|(\d{4,5})", value):
        return f"{int(match[1] or match[2] or match[3]):04d}.HK"
    if value == "SP500":
        return "SPX"
    if match := re.fullmatch(r"([A-Z]{1,5})\.(?:O|OQ|N|US)", value):
        return match[1]
    if match := re.fullmatch(r"([A-Z]{1,5})(?:[.-]([A-Z]))?", value):
        return f"{match[1]}.{match[2]}" if match[2] else match[1]
    return None


def from_markup(html: str) -> list[str]:
    """Tickers the HTML marks up: ``data-ticker``, ``data-code`` (jin10),
    ``data-symbol`` and links to quote pages of known sites."""
    found: list[str] = []
    if not _MARKUP_HINT.search(html):
        return found  # most articles mark nothing up: skip parsing them a second time
    tree = LexborHTMLParser(html)
    for node in tree.css("[data-ticker], [data-code], [data-symbol]"):
        for attr in ("data-ticker", "data-code", "data-symbol"):
            if value := node.attributes.get(attr):
                found.append(normalize_symbol(value) or "")
    for node in tree.css("a[href]"):
        if "data-autolink" in node.attributes:
            continue  # a site's automatic entity link, not an editor's: TipRanks links "Trump" to DJT
        href = node.attributes.get("href") or ""
        if match := _FX168_LINK.search(href):
            found.append(_FX168_CODES.get(match[1].upper(), ""))
            continue
        for pattern in _QUOTE_LINKS:
            if match := pattern.search(href):
                found.append(normalize_symbol(unquote(match[1])) or "")
                break
    return _unique(found)


def from_text(text: str, *, title: str = "", names: bool = True) -> list[str]:
    """Tickers named in ``title`` and the plain ``text`` (see the module docstring).

    Chinese names count anywhere (Chinese media rarely print symbols); English
    names only in the title, because English text that is about a company
    prints its symbol, while a passing mention ("according to Goldman Sachs")
    does not make an article about that stock.
    """
    text = f"{title}\n{text[:MAX_TEXT_CHARS]}" if title else text[:MAX_TEXT_CHARS]
    text = unicodedata.normalize("NFKC", text)
    colon = ":" in text  # what an exchange prefix needs (NFKC made "：" one; most texts have none: no scan)
    text = _DOUBLED_EXCHANGE.sub("", text) if colon else text
    found: list[tuple[int, str | None]] = []
    for pattern, needed in ((_QUALIFIED, colon), (_US_SUFFIX, True), (_CASHTAG, "$" in text)):
        if needed:
            found.extend((m.start(), normalize_symbol(m[1])) for m in pattern.finditer(text) if m[1] not in LOOKALIKES)
    found.extend((m.start(), normalize_symbol(m[0])) for m in _CN_CODE.finditer(text))
    if colon:
        found.extend((m.start(), _foreign(m[1], m[2])) for m in _FOREIGN.finditer(text))
    found.extend((m.start(), normalize_symbol(m[1])) for m in _HK_CODE.finditer(text))
    for match in _BRACKETED.finditer(text):
        before = text[max(0, match.start() - 120) : match.start()]
        if not _NAME_END.search(before) or _is_acronym(before, match[1]) or _CJK_INSTITUTION.search(before):
            continue
        for symbol in re.split(r"\s*[,，/]\s*", match[1]):
            if symbol.isdigit():
                found.append((match.start(1), _numeric_code(symbol)))
            elif symbol not in LOOKALIKES and symbol.split(".")[0] not in LOOKALIKES:
                found.append((match.start(1), normalize_symbol(symbol)))
    if names:
        found.extend(_names(text, title))
    return _unique(symbol for _, symbol in sorted(found, key=lambda pair: pair[0]))


def _foreign(exchange: str, code: str) -> str | None:
    """``TSE:6412`` → ``6412.T``, ``LSE:BARC`` → ``BARC.L``, ``CPH:ROCK B`` → ``ROCK-B.CO``."""
    code = re.sub(r"[ .]", "-", code)
    if not code[0].isdigit() and code in LOOKALIKES:
        return None
    suffix = ".TO" if exchange == "TSE" and not code[0].isdigit() else _FOREIGN_SUFFIX[exchange]
    return f"{code}{suffix}"


def _is_acronym(before: str, symbol: str) -> bool:
    """True when ``symbol`` spells the initials of the words before it, and they
    are common words ("total addressable market (TAM)") or name an institution
    ("Consumer Financial Protection Bureau (CFPB)", "Reserve Bank of India (RBI)"):
    that defines an acronym. "Capital One Financial (COF)" and "energy production
    (XLE)" give tickers."""
    if not symbol.isalpha() or len(symbol) < 2:
        return False
    words = [w for w in re.findall(r"[A-Za-z][\w'-]*", before) if w.lower() not in ("of", "and", "the", "for")]
    words = words[-(len(symbol) + 2) :]
    initials = "".join(w[0].upper() for w in words)
    if not (words and initials.endswith(symbol[-1]) and _subsequence(symbol, initials)):
        return False
    return words[-1].islower() or bool(_INSTITUTION.search(" ".join(words)))


def _subsequence(needle: str, hay: str) -> bool:
    letters = iter(hay)
    return all(ch in letters for ch in needle)


def extract(html: str, title: str, text: str) -> list[str]:
    """Markup first, then title and text: the tickers stored for an article."""
    return _unique([*from_markup(html), *from_text(text, title=title)])


def _numeric_code(code: str) -> str | None:
    if len(code) == 5:
        return f"{int(code):04d}.HK"
    return f"{code}.{'SH' if code[0] in '69' else 'SZ'}" if code[0] in "0369" else None


def _names(text: str, title: str) -> list[tuple[int, str]]:
    chinese, english = aliases()
    found = []
    if re.search(r"[\u4e00-\u9fff]", text):  # the automaton holds Chinese names only: no need to walk other text
        taken_until = -1
        for end, (length, symbol) in chinese.iter_long(simplified(text)):
            start = end - length + 1
            if start > taken_until:
                found.append((start, symbol))
                taken_until = end
    found.extend((start, english[name]) for start, name in _english_finder().find(title))
    return found


_EXCHANGE_OF = {".HK": "HKEX", ".SH": "SSE", ".SS": "SSE", ".SZ": "SZSE", ".BJ": "BSE"}


@cache
def names_of() -> dict[str, tuple[str, str]]:
    """Symbol → (English name, Chinese name): the first of each in the alias table."""
    found: dict[str, tuple[str, str]] = {}
    table = resources.files("newsdesk.enrich").joinpath("data/aliases.tsv").read_text("utf-8")
    for line in table.splitlines():
        if line.strip() and not line.startswith("#"):
            symbol, *columns = line.split("\t") + ["", ""]
            found.setdefault(symbol, (columns[0].split(";")[0].strip(), columns[1].split(";")[0].strip()))
    return found


@cache
def names_by_symbol() -> dict[str, tuple[str, ...]]:
    """Symbol → every name of it in the alias table, English and Chinese."""
    found: dict[str, list[str]] = {}
    table = resources.files("newsdesk.enrich").joinpath("data/aliases.tsv").read_text("utf-8")
    for line in table.splitlines():
        if line.strip() and not line.startswith("#"):
            symbol, *columns = line.split("\t")
            names = found.setdefault(symbol, [])
            names += [
                n.strip() for column in columns for n in column.split(";") if n.strip() and n.strip() not in names
            ]
    return {symbol: tuple(names) for symbol, names in found.items()}


def describe(symbol: str) -> dict[str, str] | None:
    """What a ticker page says of ``symbol``: its names and exchange (None: not a known symbol)."""
    names = names_of().get(symbol)
    if names is None:
        return None
    suffix = symbol[symbol.rfind(".") :] if "." in symbol else ""
    if suffix in _EXCHANGE_OF:
        exchange = _EXCHANGE_OF[suffix]
    elif symbol in _INDEX_CODES.values():
        exchange = "index"
    elif re.fullmatch(r"[A-Z]{3}(USD|CNY|CNH|JPY|EUR|HKD)", symbol):
        exchange = ""  # a commodity, a currency pair, a coin: no exchange of its own
    else:
        exchange = "US" if re.fullmatch(r"[A-Z]{1,5}(\.[AB])?", symbol) else ""
    return {"symbol": symbol, "name": names[0], "name_zh": names[1], "exchange": exchange}


@cache
def aliases() -> tuple[ahocorasick.Automaton, dict[str, str]]:
    """The shipped alias table: a CJK-name automaton and an English name → symbol map."""
    return name_index("data/aliases.tsv", skip=0)


def name_index(path: str, *, skip: int) -> tuple[ahocorasick.Automaton, dict[str, str]]:
    """A table of ``id<TAB>(skip columns)<TAB>names;…`` lines of this package's ``path``:
    an automaton of its CJK names (value: length, id) and a map of its other names to ids."""
    chinese = ahocorasick.Automaton()
    english: dict[str, str] = {}
    table = resources.files("newsdesk.enrich").joinpath(path).read_text("utf-8")
    for line in table.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        symbol, *columns = line.split("\t")
        for name in (n.strip() for column in columns[skip:] for n in column.split(";")):
            if not name:
                continue
            if re.search(r"[\u4e00-\u9fff]", name):
                if name not in chinese:
                    chinese.add_word(name, (len(name), symbol))
            else:
                english.setdefault(name, symbol)
    chinese.make_automaton()
    return chinese, english


class WordFinder:
    """Whole-word occurrences of many Latin-script names (case-sensitive), leftmost and
    longest first, as a regex alternation would find them — by an automaton: an
    alternation of thousands of names costs a millisecond an article in ``re``."""

    _WORD = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_&-")

    def __init__(self, names: Iterable[str]) -> None:
        self._automaton = ahocorasick.Automaton()
        for name in names:
            self._automaton.add_word(name, len(name))
        self._automaton.make_automaton()

    def find(self, text: str) -> list[tuple[int, str]]:
        """(start, name) of each whole-word occurrence (ASCII boundaries: a name written
        against CJK text is still a word)."""
        hits = []
        for end, length in self._automaton.iter(text):
            start = end - length + 1
            before = text[start - 1] if start else " "
            after = text[end + 1] if end + 1 < len(text) else " "
            if before not in self._WORD and before != "." and after not in self._WORD:
                hits.append((start, -length))
        found, taken_until = [], 0
        for start, length in sorted(hits):
            if start >= taken_until:
                found.append((start, text[start : start - length]))
                taken_until = start - length
        return found


@cache
def _english_finder() -> WordFinder:
    return WordFinder(aliases()[1])


def _unique(symbols: Iterable[str | None]) -> list[str]:
    return list(dict.fromkeys(s for s in symbols if s))
