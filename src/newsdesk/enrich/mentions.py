"""What an article's title and lead name that a report in another language would name
too: its entities and its figures, written the same way in Chinese and English.

* entities — tickers (:mod:`.tickers`: 英伟达, 輝達 and Nvidia are all ``NVDA``) and the
  companies, institutions and people of ``data/glossary.tsv``: ``e:NVDA``, ``e:FED``
  (its places, data releases and kinds of event name too much alone: they count in pairs);
* figures — amounts, percentages and basis points, scaled (17.1 billion and 171亿 are
  both 1.71e10) and written at two and at three significant digits
  (``n2:1.7e+10``, ``n3:1.71e+10``): outlets round differently, and a figure agreeing
  to three digits is better evidence than one agreeing to two. Years, dates, times,
  counts under 100 and one-digit figures ("5%") name no event and are left out;
* names in Latin script — words of three letters or more in Chinese text ("PVH",
  "ZKsync", "Ceconomy"), capitalized ones in other text: ``l:ceconomy`` (not the words
  of an entity already named: "Palantir" beside ``e:PLTR``);
* pairs — each company, institution or person with each kind of event or data release
  the lead names (``x:PFE|EARNINGS``): Pfizer's results are one event where "Pfizer"
  and "results" are each common.

Only the title and the lead are read (:data:`LEAD_CHARS`): what a report is about is
there, while a long text names everything.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache
from importlib import resources

import ahocorasick

from newsdesk.enrich import tickers
from newsdesk.tokens import CJK, simplified

__all__ = ["figures", "glossary", "headline", "kind_of", "mentions"]

LEAD_CHARS = 600
MAX_MENTIONS = 40

_SCALE = {
    "万亿": 1e12, "兆": 1e12, "亿": 1e8, "万": 1e4, "千": 1e3,
    "trillion": 1e12, "tn": 1e12, "billion": 1e9, "bn": 1e9, "b": 1e9,
    "million": 1e6, "mn": 1e6, "m": 1e6, "thousand": 1e3, "k": 1e3,
}  # fmt: skip
_PERCENT = {"%": "p", "percent": "p", "per cent": "p", "个百分点": "pp", "percentage points": "pp", "百分点": "pp"}
_BASIS = {"个基点": "bp", "基点": "bp", "basis points": "bp", "bps": "bp", "bp": "bp"}
_UNITS = sorted([*_SCALE, *_PERCENT, *_BASIS], key=len, reverse=True)
_FIGURE = re.compile(
    r"(?<![A-Za-z0-9_.,:/])(?<!\d-)(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d+))?"
    r"(?:\s?(" + "|".join(re.escape(u) for u in _UNITS) + r")(?![a-zA-Z]))?"
    r"(?![\d:/]|\.\d|\s?(?:年|月|日|号|时|秒|天|周|个月|岁|倍)|\s?(?:st|nd|rd|th|am|pm|AM|PM|a\.m|p\.m)\b)"
)
_SMALL_UNITS = {"b", "m", "k"}
_LATIN = re.compile(r"(?<![A-Za-z0-9])[A-Za-z][A-Za-z0-9+&'-]{2,}")
# Capitalized words that start sentences and headlines rather than name anything.
_COMMON = frozenset(
    """the and for with from that this into over after says said will has have are was were its their than
    more less new not but per inc ltd corp group co company market markets stock stocks shares share update
    report reports news today week year monday tuesday wednesday thursday friday saturday sunday january
    february march april may june july august september october november december""".split()
)
# A company introduced with its ticker: "Ferrari (NYSE:RACE)", "Huachen AI Parking (HCAI)".
_INTRODUCED = re.compile(
    r"([A-Z][\w&.'-]*(?: [A-Z][\w&.'-]*){0,5}) ?[(（](?:[A-Za-z]{2,12} ?[:：] ?)?([A-Z]{1,5}(?:\.[A-Z]{1,2})?)[)）]"
)
_SENTENCE = re.compile(r"[。！？；!?;\n]+|(?<=[a-z0-9)])\.\s+")
_SPECIFIC = {"ticker", "org", "person"}
_EVENTS = {"event", "data"}  # "5m", "$2b", "10k": only right after the figure


def mentions(title: str, text: str) -> list[str]:
    """The entities, figures, Latin-script names and pairs the title and lead of an
    article name, in that order."""
    lead = unicodedata.normalize("NFKC", f"{title}\n{text[:LEAD_CHARS]}")
    entities = list(dict.fromkeys([*tickers.from_text(lead[len(title) + 1 :], title=title), *_glossary_names(lead)]))
    named = {word for entity in entities for word in _name_words().get(entity, ())}
    kinds = kind_of()
    specific = [e for e in entities if kinds.get(e, "ticker") in _SPECIFIC]
    events = [e for e in entities if kinds.get(e) in _EVENTS]
    found = [f"e:{e}" for e in specific] + figures(lead)
    found += [f"l:{w}" for w in _latin_words(lead) if w not in named]
    if events:
        found += _pairs(lead, set(specific), set(events))
    return list(dict.fromkeys(found))[:MAX_MENTIONS]


def headline(title: str, text: str = "") -> list[str]:
    """The names (entities, Latin-script names) a title names: what a report is about.
    A company the text introduces with its ticker ("Ferrari (NYSE:RACE)") is named by the
    title that says "Ferrari", though the alias table lacks the name."""
    found = [m for m in mentions(title, "") if m.startswith(("e:", "l:"))]
    words = {w.lower() for w in _LATIN.findall(title)}
    lead = unicodedata.normalize("NFKC", text[:LEAD_CHARS])
    introduced = [m[2] for m in _INTRODUCED.finditer(lead) if {w.lower() for w in _LATIN.findall(m[1])} & words]
    if introduced:  # a symbol the ticker extraction also reads there (not "(CEO)")
        symbols = set(tickers.from_text(lead, title=""))
        found += [f"e:{symbol}" for symbol in introduced if symbol in symbols]
    return list(dict.fromkeys(found))


def _pairs(lead: str, specific: set[str], events: set[str]) -> list[str]:
    """Each company, institution or person with each event named in the same sentence:
    a commentary naming six names and six events in passing pairs none of them."""
    found = []
    title, _, text = lead.partition("\n")
    sentences = _SENTENCE.split(text)
    for sentence in [f"{title}\n{sentences[0]}", *sentences[1:]]:  # the title goes with the first
        glossed = _glossary_names(sentence) if sentence.strip() else []
        told = [e for e in glossed if e in events]
        if told:
            named = {*glossed, *tickers.from_text(sentence, title=sentence)} & specific
            found += [f"x:{s}|{e}" for s in named for e in dict.fromkeys(told)]
    return found


def _latin_words(lead: str) -> list[str]:
    """Latin-script names: every word of three letters or more in CJK text (a name
    kept in its own script), capitalized words elsewhere; lower-cased."""
    cjk = bool(CJK.search(lead))
    words = (m[0] for m in _LATIN.finditer(lead) if cjk or m[0][0].isupper())
    return [w.lower() for w in words if w.lower() not in _COMMON]


def figures(text: str) -> list[str]:
    """The figures of ``text`` as keys at two and three significant digits."""
    keys: list[str] = []
    for match in _FIGURE.finditer(text):
        whole, fraction, unit = match[1].replace(",", ""), match[2] or "", match[3] or ""
        if unit in _SMALL_UNITS and match[0][len(match[0]) - len(unit) - 1].isspace():
            unit = ""  # "5 m" is five metres or minutes, "5m" five million
        digits = len((whole + fraction).lstrip("0"))
        value = float(f"{whole}.{fraction}" if fraction else whole)
        kind = _PERCENT.get(unit.lower()) or _BASIS.get(unit.lower()) or "n"
        if kind == "n":
            value *= _SCALE.get(unit.lower() if len(unit) > 1 and unit.isascii() else unit, 1)
            if not unit and not fraction and (value < 100 or 1900 <= value <= 2100):
                continue  # counts, days and years
        if digits < 2 or value == 0:
            continue
        keys.append(f"{kind}2:{value:.2g}")
        if digits >= 3:
            keys.append(f"{kind}3:{value:.3g}")
    return keys


def _glossary_names(text: str) -> list[str]:
    automaton, english = glossary()
    found: list[tuple[int, str]] = []
    if CJK.search(text):
        for end, (length, name) in automaton.iter_long(simplified(text)):
            found.append((end - length + 1, name))
    found.extend((start, english[name]) for start, name in _english_finder().find(text))
    return [name for _, name in sorted(found)]


@cache
def glossary() -> tuple[ahocorasick.Automaton, dict[str, str]]:
    """The shipped glossary: a CJK-name automaton and a Latin-script name → id map. The
    English names of events and data releases are common words, matched capitalized too:
    headlines capitalize them ("Toyota Raises Earnings Guidance")."""
    automaton, english = tickers.name_index("data/glossary.tsv", skip=1)
    kinds = kind_of()
    for name, entity in list(english.items()):
        if kinds.get(entity) in _EVENTS:
            english.setdefault(name[:1].upper() + name[1:], entity)
            english.setdefault(" ".join(w[:1].upper() + w[1:] for w in name.split()), entity)
    return automaton, english


@cache
def kind_of() -> dict[str, str]:
    """Glossary id → its kind (tickers are not in it: their kind is ``ticker``)."""
    table = resources.files("newsdesk.enrich").joinpath("data/glossary.tsv").read_text("utf-8")
    rows = (line.split("\t") for line in table.splitlines() if line.strip() and not line.startswith("#"))
    return {row[0]: row[1] for row in rows}


@cache
def _name_words() -> dict[str, set[str]]:
    """Entity → the lower-cased words of its Latin-script names (tickers' and the glossary's)."""
    found: dict[str, set[str]] = {}
    for name, entity in [*tickers.aliases()[1].items(), *glossary()[1].items()]:
        found.setdefault(entity, {entity.lower()}).update(w.lower() for w in re.findall(r"[A-Za-z0-9+]+", name))
    return found


@cache
def _english_finder() -> tickers.WordFinder:
    return tickers.WordFinder(glossary()[1])
