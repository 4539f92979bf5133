"""Topic keywords: up to five per article, TF-IDF over the title and the text.

Chinese: words from jieba's segmenter (the Rust port, rjieba, for speed) weighed
by jieba's own IDF table, the one ``jieba.analyse.extract_tags`` uses. The text is
cut in Simplified script, with a user dictionary: the alias table's company names,
the agencies and ``data/words.txt`` (people and bodies), so 卢特尼克 stays whole. Other
text: English words weighed by their rarity in wordfreq's small English list
(``6.5 - zipf``: "the" and "year" weigh nothing), plural and singular folded together by their stem. The title
counts three times: what a headline names is what the article is about.
"""

from __future__ import annotations

import re
from array import array
from collections import Counter
from functools import cache, lru_cache
from importlib import resources
from types import ModuleType

from newsdesk import agencies
from newsdesk.enrich.tickers import aliases
from newsdesk.tokens import CJK, simplified, stem

__all__ = ["MAX_TOPICS", "topics"]

MAX_TOPICS = 5
_SAMPLE_CHARS = 2500  # the lead of an article carries its topic
_TITLE_WEIGHT = 3
_ZH_WORD = re.compile(r"^[\u4e00-\u9fff]{2,8}$")
_EN_WORD = re.compile(r"[A-Za-z][A-Za-z'-]{2,30}")
# Words every financial article uses: true, and no help in telling articles apart.
_ZH_GENERIC = frozenset(
    """公司 市场 表示 美元 亿元 万元 今年 去年 明年 预计 目前 数据 报告 显示 同比 环比 增长 下降 上涨 下跌 投资者 投资
    分析师 行业 企业 业务 产品 服务 相关 进行 已经 可能 继续 认为 指出 根据 方面 情况 问题 影响 发展 提供 成为 通过
    其中 以及 包括 同时 此外 但是 因为 所以 如果 没有 这一 一个 我们 他们 这些 那些 时间 记者 消息 周一 周二 周三
    周四 周五 周六 周日 本周 上周 日电 新闻 文章 来源 责任编辑 编辑 原标题 免责声明 网站 点击 查看 最新 行情""".split()
)
_EN_GENERIC = frozenset(
    """said says according company companies market markets year years percent share shares stock stocks price
    prices investor investors analyst analysts quarter quarterly billion million trillion report reported reports
    week weeks month months today yesterday tuesday wednesday thursday friday monday saturday sunday january
    february march april june july august september october november december also could would should might
    including however while about after before their there these those other which where when will with from
    this that have been were they them than into over under more most less data first last next read article
    click here reuters bloomberg editor editing reporting tipranks factset zacks refinitiv lseg benzinga
    marketbeat announces announced announcement target targets rating ratings end cdata offeree offeror
    discloser disclosure disclosed dealing dealings form notification holding holdings
    regulatory information service contact website newswire wire release press inc ltd plc corp llc""".split()
)


_IDF_KEPT_BELOW = 11.0  # rarer words all get the median: keeps 82k of 270k entries


@cache
def _idf() -> tuple[dict[str, float], float]:
    # Streamed (the file is 6 MB, 270k lines), and read as a file: importing
    # jieba.analyse would load jieba's POS tagger too (0.5 s).
    values = array("d")
    idf = {}
    with resources.files("jieba").joinpath("analyse/idf.txt").open(encoding="utf-8") as lines:
        for line in lines:
            word, _, text = line.rstrip("\n").partition(" ")
            if text:
                value = float(text)
                values.append(value)
                if value < _IDF_KEPT_BELOW:
                    idf[word] = value
    return idf, sorted(values)[len(values) // 2]


def topics(title: str, text: str, language: str | None = None) -> list[str]:
    """Up to :data:`MAX_TOPICS` keywords, best first."""
    sample = text[:_SAMPLE_CHARS]
    chinese = (language or "").startswith("zh") or bool(CJK.search(title + sample[:200]))
    return _chinese(title, sample) if chinese else _english(title, sample)


@cache
def _segmenter() -> ModuleType:
    import rjieba  # here, not at the top: its dictionary is 33 MB that a re-import never needs

    for word in user_words():
        rjieba.add_word(word, rjieba.suggest_freq(word), None)
    return rjieba


@cache
def user_words() -> frozenset[str]:
    """The words jieba learns (see the module docstring)."""
    listed = resources.files("newsdesk.enrich").joinpath("data/words.txt").read_text("utf-8").splitlines()
    words = {w.strip() for w in listed if w.strip() and not w.startswith("#")}
    words.update(aliases()[0].keys())
    words.update(simplified(n) for n in agencies.names() if CJK.search(n))
    return frozenset(w for w in words if _ZH_WORD.match(w))


def _chinese(title: str, text: str) -> list[str]:
    jieba = _segmenter()
    idf, median = _idf()
    counts: Counter[str] = Counter()
    for weight, part in ((_TITLE_WEIGHT, simplified(title)), (1, simplified(text))):
        words = Counter(w for w in jieba.cut(part) if 2 <= len(w) <= 8 and "\u4e00" <= w[0] <= "\u9fff")
        for word, n in words.items():
            if word not in _ZH_GENERIC and _ZH_WORD.match(word) and not agencies.canonical(word):
                counts[word] += n * weight
    scores = {word: n * idf.get(word, median) for word, n in counts.items()}
    return [w for w, _ in sorted(scores.items(), key=lambda kv: (-kv[1], kv[0]))[:MAX_TOPICS]]


def _english(title: str, text: str) -> list[str]:
    # Words are counted by their written form first (one dict update a word), then
    # folded by stem: a stem's weight is the sum of its forms', and it is shown by its
    # most used form (the first seen among equals) and weighed by the rarity of the
    # first form seen.
    forms: Counter[str] = Counter()  # lowercased form → occurrences
    weights: Counter[str] = Counter()  # lowercased form → weighted occurrences
    for weight, part in ((_TITLE_WEIGHT, title), (1, text)):
        words = [w for w in (m.lower().strip("'-") for m in _EN_WORD.findall(part)) if len(w) >= 3]
        seen = Counter(w for w in words if w not in _EN_GENERIC and not w.endswith("'s"))
        forms.update(seen)
        for word, n in seen.items():
            weights[word] += n * weight
    counts: dict[str, int] = {}
    first: dict[str, str] = {}
    shown: dict[str, tuple[int, str]] = {}
    for form, n in forms.items():  # in the order the forms were first seen
        key = stem(form)
        counts[key] = counts.get(key, 0) + weights[form]
        first.setdefault(key, form)
        if key not in shown or n > shown[key][0]:
            shown[key] = (n, form)
    scores = {key: n * max(0.0, 6.5 - _zipf(first[key])) for key, n in counts.items()}
    best = sorted((kv for kv in scores.items() if kv[1] > 0), key=lambda kv: (-kv[1], kv[0]))[:MAX_TOPICS]
    return [shown[key][1] for key, _ in best]


@lru_cache(maxsize=200_000)  # the vocabulary keeps growing with the news
def _zipf(word: str) -> float:
    # The "small" list (4 MB, not 36): a word missing from it is rare enough to weigh fully.
    from wordfreq import zipf_frequency  # here: loading it costs a tenth of a second, and few commands tag

    return float(zipf_frequency(word, "en", wordlist="small"))
