"""Language of an article: the given one when the text agrees, else detected.

Chinese is decided by script, which statistics on short texts get wrong: mostly
CJK text is Chinese; its variant is zh-CN when written in Simplified characters
and zh-TW or zh-HK when Traditional (zh-HK when Cantonese particles appear or the
record said zh-HK). Text full of English function words is English. Other text
goes to lingua, loaded with the languages a financial news reader meets in Latin
or Cyrillic script, in its low-accuracy mode (34 MB, 0.1 ms a text; its
high-accuracy models would take 470 MB in every import worker). Statistics on a
headline are guesses, so a statistical result replaces a given language only
when the text is long enough and lingua is sure (``_overrides``). A record's language is kept
when it names the detected language (``zh-HK`` is kept for Traditional text,
``en-GB`` for English), so only missing or wrong values change.
"""

from __future__ import annotations

import re
from functools import cache

import opencc
from lingua import Language, LanguageDetector, LanguageDetectorBuilder

from newsdesk.tokens import CJK, simplified

__all__ = ["detect", "resolve"]

_SAMPLE_CHARS = 600  # enough for a confident guess; the cost grows with length
_KANA_HANGUL = re.compile(r"[\u3040-\u30ff\uac00-\ud7af]")
_LETTER = re.compile(r"[^\W\d_]")
_CANTONESE = re.compile(r"[嘅咗喺冇啲嚟睇諗哋唔]")
_SIMPLIFIED_TAGS = ("zh-cn", "zh-hans", "zh-sg", "zh-hans-cn")
_SCRIPT_DECIDED = ("zh", "ja", "ko")
_WORD = re.compile(r"[^\W\d_]+")
_ENGLISH = frozenset(
    "the and of to in for with on is are was were its from by at as that this has have will said but not".split()
)
_MIN_WORDS_TO_OVERRIDE = 15


def detect(text: str) -> str | None:
    """Best guess for ``text`` (a BCP 47 tag such as ``zh-CN`` or ``en``), or None."""
    sample = text[:_SAMPLE_CHARS]
    letters = len(_LETTER.findall(sample))
    if letters < 3:
        return None
    kana_hangul = len(_KANA_HANGUL.findall(sample))
    if kana_hangul > letters * 0.1:
        return "ja" if re.search(r"[\u3040-\u30ff]", sample) else "ko"
    han = "".join(CJK.findall(sample))
    if len(han) > letters * 0.3:
        return _chinese_variant(han, sample)
    words = _WORD.findall(sample)
    if sum(w.lower() in _ENGLISH for w in words) >= max(2, len(words) // 10):
        return "en"
    if len(han) >= max(2, letters * 0.15):  # Chinese among tickers and English names ("印尼 4Q Gross Domestic Product")
        return _chinese_variant(han, sample)
    plain = _plain(words)
    if len(plain) < _MIN_WORDS_TO_OVERRIDE and sample.isascii():
        return "en"  # names and figures ("Madrid Closing Stock Prices"): too little to tell, English is likeliest
    found = _detector().detect_language_of(" ".join(plain) or sample)
    return found.iso_code_639_1.name.lower() if found else None


def _mostly_han(sample: str) -> bool:
    return len(CJK.findall(sample)) > len(_LETTER.findall(sample)) * 0.3


def _plain(words: list[str]) -> list[str]:
    """The words that are not names: lower-case ones (a table of Dutch company names
    with English column heads is English; "Info Edge Q3 CONSOL NET PROFIT" says nothing)."""
    return [w for w in words if w[0].islower()]


def _overrides(sample: str, found: str, given: str) -> bool:
    """Whether a statistical guess ``found`` may replace the ``given`` language: enough
    words that are not names, and lingua sure of them."""
    plain = _plain(_WORD.findall(sample))
    if len(plain) < _MIN_WORDS_TO_OVERRIDE:
        return False
    confidence = {
        value.language.iso_code_639_1.name.lower(): value.value
        for value in _detector().compute_language_confidence_values(" ".join(plain))
    }
    return confidence.get(found, 0.0) >= 0.9 and confidence.get(given, 0.0) < 0.1


_LANGUAGES = (
    "ENGLISH SPANISH FRENCH GERMAN PORTUGUESE ITALIAN DUTCH INDONESIAN MALAY VIETNAMESE TURKISH RUSSIAN POLISH "
    "SWEDISH DANISH BOKMAL FINNISH CZECH ROMANIAN UKRAINIAN"
).split()


@cache
def _detector() -> LanguageDetector:
    languages = [getattr(Language, name) for name in _LANGUAGES]
    return LanguageDetectorBuilder.from_languages(*languages).with_low_accuracy_mode().build()


@cache
def _s2t() -> opencc.OpenCC:
    return opencc.OpenCC("s2t.json")


def _changed(han: str, converted: str) -> int:
    return sum(1 for a, b in zip(han, converted, strict=False) if a != b)


def _chinese_variant(han: str, sample: str) -> str:
    """Simplified unless more of the text reads as Traditional than as Simplified: a
    few characters both scripts share but OpenCC converts (昇腾, 摄理) decide nothing."""
    changed = _changed(han, simplified(han))
    if changed <= max(1, len(han) // 100) or changed <= _changed(han, str(_s2t().convert(han))):
        return "zh-CN"
    return "zh-HK" if _CANTONESE.search(sample) else "zh-TW"


def resolve(given: str | None, title: str, text: str) -> str | None:
    """The language to store: ``given`` unless the text says otherwise."""
    found = detect(f"{title}\n{text}")
    if found is None:
        return given or None
    if not given:
        return found
    given_base, found_base = given.split("-")[0].lower(), found.split("-")[0]
    if given_base != found_base:
        # Script decides for Chinese, Japanese and Korean text, and English function words
        # for text declared in one of them; a statistical guess needs enough words.
        sample = f"{title}\n{text}"[:_SAMPLE_CHARS]
        if found_base == "zh" and not _mostly_han(sample):
            return given  # declared English (say) with some Chinese in it: the declaration stands
        decided = found_base in _SCRIPT_DECIDED or (given_base in _SCRIPT_DECIDED and found_base == "en")
        return found if decided or _overrides(sample, found_base, given_base) else given
    if found_base == "zh":
        if given.lower() == "zh":
            return found
        given_traditional = given.lower() not in _SIMPLIFIED_TAGS
        return given if given_traditional == (found != "zh-CN") else found
    return given
