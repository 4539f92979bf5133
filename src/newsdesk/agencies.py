"""News agencies and wires: who wrote a story, not what it is about.

An article names its agency in a byline or a credit ("(Reuters) -", "MT Newswires",
"据路透社报道", "彭博社"), and aggregators give the agency as the item's source. Both
make an ``agency`` tag (one spelling per agency, whatever the script), which the tag
lists keep apart from topics; the topic extractor leaves these names out.
"""

from __future__ import annotations

import re
from functools import cache

__all__ = ["AGENCIES", "canonical", "mentioned", "names"]

# Canonical name → other spellings (English: whole words, case as written; Chinese: as is).
AGENCIES: dict[str, tuple[str, ...]] = {
    "Reuters": ("Thomson Reuters", "路透社", "路透", "路透社报道"),
    "Bloomberg": ("Bloomberg News", "彭博社", "彭博"),
    "Dow Jones Newswires": ("道琼斯通讯社",),  # not "Dow Jones": that is mostly the index
    "MT Newswires": ("MT NEWSWIRES",),
    "Associated Press": ("The Associated Press", "美联社", "美聯社"),
    "AFP": ("Agence France-Presse", "法新社"),
    "Xinhua": ("Xinhua News Agency", "新华社", "新華社"),
    "Kyodo": ("Kyodo News", "共同社"),
    "Yonhap": ("Yonhap News Agency", "韩联社", "韓聯社"),
    "Mace News": (),
    "Business Wire": ("BUSINESS WIRE",),
    "PR Newswire": ("PRNewswire", "美通社"),
    "GlobeNewswire": ("GLOBE NEWSWIRE", "Globe Newswire"),
    "Accesswire": ("ACCESSWIRE",),
    "Benzinga Newsdesk": (),
    "中新社": ("中国新闻社",),
    "财联社": ("財聯社",),
    "中央社": ("中央通讯社", "中央通訊社"),
}
_LEAD_CHARS = 600  # a byline or credit stands at the start


@cache
def names() -> dict[str, str]:
    """Every spelling → canonical name."""
    table = {name: name for name in AGENCIES}
    for name, others in AGENCIES.items():
        table.update(dict.fromkeys(others, name))
    return table


@cache
def _pattern() -> re.Pattern[str]:
    """Longest spelling first; the English ones whole words, under one lookbehind (a
    lookbehind per spelling made the scan of a lead nine times slower)."""
    spellings = sorted(names(), key=len, reverse=True)
    chinese = [re.escape(s) for s in spellings if re.search(r"[\u4e00-\u9fff]", s)]
    english = [re.escape(s) for s in spellings if not re.search(r"[\u4e00-\u9fff]", s)]
    return re.compile(rf"(?<![\w-])(?:{'|'.join(english)})(?![\w-])|{'|'.join(chinese)}")


def canonical(name: str) -> str | None:
    """The agency ``name`` spells (``路透社`` → ``Reuters``), or None."""
    return names().get(name.strip())


def mentioned(title: str, text: str) -> list[str]:
    """Agencies credited in the title or the lead of ``text``, canonical names."""
    found = _pattern().findall(title + "\n" + text[:_LEAD_CHARS])
    return list(dict.fromkeys(names()[f] for f in found))
