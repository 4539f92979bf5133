"""The tokens newsdesk indexes and queries with, on SQLite and PostgreSQL alike.

SQLite's FTS5 tokenizer treats a run of Chinese characters as one token, so a
search for 美联储 inside 美联储加息 finds nothing. newsdesk tokenizes text itself
and hands the database ready-made tokens:

* text is normalized first: NFKC (full-width letters and digits become ASCII),
  case folding, and Traditional → Simplified Chinese (OpenCC ``t2s``), so that
  a query in either script finds articles in both;
* a run of CJK characters becomes its overlapping character bigrams, followed by
  its last character on its own: 美联储加息 → 美联 联储 储加 加息 息. Any substring of
  two or more characters is then a phrase of adjacent bigrams, and a single
  character is a prefix query;
* any other word is lower-cased and Snowball-stemmed (English), so "rates"
  finds "rate".
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import Any

import opencc
import Stemmer

__all__ = [
    "CJK",
    "MAX_BODY_CHARS",
    "WORD",
    "article_tokens",
    "index_tokens",
    "normalize",
    "query_runs",
    "simplified",
    "stem",
]

MAX_BODY_CHARS = 20_000  # the start of a long article is enough to find it
MAX_TOKEN_CHARS = 40  # longer "words" are base64, hashes or URLs glued together

_CJK_RANGES = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff"
CJK = re.compile(f"[{_CJK_RANGES}]")
_RUNS = re.compile(f"([{_CJK_RANGES}]+)|([^\\W_{_CJK_RANGES}]+)")
WORD = re.compile(f"[^\\W_{_CJK_RANGES}]+")  # a run of letters or digits outside CJK


@lru_cache(maxsize=1)
def _t2s() -> Any:
    """OpenCC's Traditional → Simplified converter, loaded on first use (it reads dictionaries)."""
    return opencc.OpenCC("t2s.json")


@lru_cache(maxsize=1)
def _stemmer() -> Any:
    return Stemmer.Stemmer("english")


def normalize(text: str) -> str:
    """NFKC, case-folded, Simplified-Chinese form of ``text``."""
    text = unicodedata.normalize("NFKC", text).casefold()
    return simplified(text) if CJK.search(text) else text


def simplified(text: str) -> str:
    """``text`` in Simplified Chinese (OpenCC t2s; other text unchanged)."""
    return str(_t2s().convert(text))


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    return str(_stemmer().stemWord(word))


def query_runs(text: str) -> list[tuple[bool, str]]:
    """Split normalized text into ``(is_cjk, run)`` pairs, punctuation dropped."""
    return [(bool(cjk), cjk or word) for cjk, word in _RUNS.findall(normalize(text))]


def index_tokens(text: str, *, stemmed: bool = True) -> list[str]:
    """The token stream indexed for ``text`` (see the module docstring); the
    static site's index, searched by JavaScript, takes words unstemmed."""
    tokens: list[str] = []
    for cjk, word in _RUNS.findall(normalize(text)):
        if cjk:
            tokens.extend(cjk[i : i + 2] for i in range(len(cjk) - 1))
            tokens.append(cjk[-1])
        elif len(word) <= MAX_TOKEN_CHARS:
            tokens.append(stem(word) if stemmed else word)
    return tokens


def article_tokens(title: str, text: str) -> tuple[str, str]:
    """The space-separated tokens indexed for an article's title and body."""
    return " ".join(index_tokens(title)), " ".join(index_tokens(text[:MAX_BODY_CHARS]))


def cjk_query_tokens(run: str) -> list[str]:
    """Tokens a CJK run of a query matches as a phrase (one char: a prefix)."""
    return [run[i : i + 2] for i in range(len(run) - 1)] or [run]
