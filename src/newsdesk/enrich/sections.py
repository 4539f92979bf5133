"""Sections: the fixed bilingual taxonomy readers navigate by (macro 宏观, central-banks
央行与利率 … other), one to three for every article.

Each section has English words (whole words, any case, plurals implied) and Chinese
words (substrings of the Simplified text) in ``data/sections.txt``. An article scores
a point for each distinct word of a section in its lead and three for each in its
title; tickers add theirs (BTCUSD is crypto, XAUUSD a commodity, USDJPY FX). The
sections kept are those within half of the best score and at least :data:`MIN_SCORE`,
best first, at most :data:`MAX_SECTIONS`; an article that reaches none is ``other``.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from functools import cache
from importlib import resources

import ahocorasick

from newsdesk.tokens import simplified

__all__ = ["MAX_SECTIONS", "SECTIONS", "Section", "label", "sections"]

MAX_SECTIONS = 3
MIN_SCORE = 3
_LEAD_CHARS = 800  # the lead says what an article is about; the rest mentions everything
_TITLE_WEIGHT = 3
_KEEP_SHARE = 0.6
_LEAD_CAP = 2
_TITLE_CAP = 2
_COIN = re.compile(r"[\u4e00-\u9fff]{1,3}币")
_NOT_COINS = frozenset(
    "人民币 港币 货币 硬币 外币 本币 纸币 美元币 日币 欧币 台币 新台币 澳币 加币 韩币 英币 金币 银币 代币".split()
)
# Tickers that say a section (names and symbols from the alias table's conventions).
_TICKER_SECTIONS = (
    (re.compile(r"^(BTC|ETH|SOL|XRP|DOGE|BNB|ADA)USD$"), "crypto"),
    (re.compile(r"^(XAU|XAG|XPT|XPD)USD$|^(USOIL|UKOIL|NG|HG|GC|CL)$"), "commodities"),
    (re.compile(r"^(USD|EUR|GBP|AUD|NZD|CAD|CHF|JPY|CNH|CNY)(USD|EUR|GBP|JPY|CNH|CNY|CHF|CAD|HKD)$|^DXY$"), "fx"),
    (re.compile(r"^(SPX|DJI|IXIC|NDX|HSI|HSTECH|RUT|N225|SXXP)$|^\d{6}\.(SH|SZ)$"), "equities"),
)


@dataclass(frozen=True, slots=True)
class Section:
    key: str
    en: str
    zh: str


@cache
def _table() -> tuple[dict[str, Section], dict[str, set[str]], dict[str, set[str]]]:
    """(sections by key, English word → sections, Chinese word → sections)."""
    found: dict[str, Section] = {}
    english: dict[str, set[str]] = {}
    chinese: dict[str, set[str]] = {}
    key = ""
    text = resources.files("newsdesk.enrich").joinpath("data/sections.txt").read_text("utf-8")
    for line in text.splitlines():
        if header := re.fullmatch(r"\[([a-z-]+)\]\s*(.+?)\s*\|\s*(.+?)\s*", line):
            key = header[1]
            found[key] = Section(key, header[2], header[3])
        elif line.startswith(("en:", "zh:")) and key:
            words = english if line.startswith("en:") else chinese
            for word in (w.strip() for w in line[3:].split(";")):
                if word:  # "^word": counts in titles only (currencies name amounts everywhere)
                    where = "title" if word.startswith("^") else ""
                    word = word.lstrip("^").lower() if words is english else simplified(word.lstrip("^"))
                    words.setdefault(word, set()).add(key + ("^" if where else ""))
    found["other"] = Section("other", "Other", "其他")
    return found, english, chinese


SECTIONS: tuple[str, ...] = tuple(_table()[0])


def label(key: str) -> Section | None:
    """A section's labels (None: no such section)."""
    return _table()[0].get(key)


# A word of English text: letters and digits, with & ' + / . - inside (s&p, usd/jpy, non-farm, fed's).
_TOKEN = re.compile(r"[a-z0-9][a-z0-9&'+/.\-]*[a-z0-9+]|[a-z0-9]")


@cache
def _phrases() -> tuple[frozenset[str], int]:
    """(the first words of the English phrases, the most words a phrase has)."""
    phrases = [word.split() for word in _table()[1] if " " in word]
    return frozenset(words[0] for words in phrases), max((len(words) for words in phrases), default=1)


def _english(text: str) -> set[str]:
    """The English section words of ``text``: its words, and phrases of them, as listed or
    as their plurals (a dictionary lookup each: a regular expression of 600 alternatives
    took 0.8 ms an article)."""
    words, (starts, longest) = _table()[1], _phrases()
    tokens = _TOKEN.findall(text.lower().replace("’", "'"))
    found = set()
    for i, token in enumerate(tokens):
        grams = [token]
        if token in starts:
            grams += [" ".join(tokens[i : i + n]) for n in range(2, min(longest, len(tokens) - i) + 1)]
        for gram in grams:
            for form in (gram, gram[:-1], gram[:-2]) if gram.endswith("s") else (gram,):
                if form in words:
                    found.add(form)
                    break
    return found


@cache
def _chinese_automaton() -> ahocorasick.Automaton:
    automaton = ahocorasick.Automaton()
    for word in _table()[2]:
        automaton.add_word(word.lower(), word)
    automaton.make_automaton()
    return automaton


def _words(text: str) -> set[str]:
    """The section words ``text`` holds (English as listed, Chinese in Simplified script)."""
    found = _english(text)
    if re.search(r"[\u4e00-\u9fff]", text):
        found.update(word for _, word in _chinese_automaton().iter_long(simplified(text).lower()))
    return found


def _scores(title: str, text: str, tickers: list[str]) -> Counter[str]:
    _, english, chinese = _table()
    scores: Counter[str] = Counter()
    title_words = _words(title)
    head: Counter[str] = Counter()
    for word in title_words:
        head.update(k.rstrip("^") for k in english.get(word, ()) or chinese.get(word, ()))
    coins = {m[0] for m in _COIN.finditer(simplified(title))} - _NOT_COINS  # 莱特币, 狗狗币: any coin is crypto
    head.update(["crypto"] * min(1, len(coins)))
    for key, n in head.items():  # a long headline of one section's words is not more of that section
        scores[key] += _TITLE_WEIGHT * min(n, _TITLE_CAP)
    lead: Counter[str] = Counter()
    for word in _words(text[:_LEAD_CHARS]) - title_words:
        lead.update(k for k in english.get(word, ()) or chinese.get(word, ()) if not k.endswith("^"))
    for key, n in lead.items():  # a lead names many things in passing: it adds at most a title word's worth
        scores[key] += min(n, _LEAD_CAP)
    for symbol in tickers:
        for pattern, key in _TICKER_SECTIONS:
            if pattern.match(symbol):
                scores[key] += 1
    return scores


def sections(title: str, text: str, tickers: list[str] | None = None) -> list[str]:
    """An article's sections, best first: one to :data:`MAX_SECTIONS`, ``other`` when none fits."""
    scores = _scores(title, text, tickers or [])
    if not scores:
        return ["other"]
    best = max(scores.values())
    kept = [
        k for k, v in sorted(scores.items(), key=lambda kv: (-kv[1], kv[0])) if v >= max(MIN_SCORE, best * _KEEP_SHARE)
    ]
    return kept[:MAX_SECTIONS] or ["other"]
