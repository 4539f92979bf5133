"""What the opening of an item's body says about the item: the 【headline】 flash wires
put before their text (jin10, 财联社, sina 7x24, eastmoney), and a dateline
("ZURICH, Aug 21 (Reuters) -", "财联社8月22日电", "格隆汇8月22日｜") that dates it."""

from __future__ import annotations

import re
from datetime import UTC, datetime, time, timedelta, tzinfo

__all__ = ["bracket_title", "dateline_date", "without_dateline"]

# Markup and space may come first (<p>, <b>); the headline holds no tag and no bracket.
_BRACKET = re.compile(r"^((?:\s|<[^<>]{0,300}>)*)【([^【】<>\n]{2,200})】[ \t\u3000]*")
# Labels and credits some wires bracket where others put a headline.
_LABEL = re.compile(
    r"^(?:券商聚焦|异动股|異動股|信[报報]财经新闻|信報財經新聞|.{0,6}(?:综合报道|綜合報道|财经新闻|財經新聞))$"
)
_MONTHS = "jan feb mar apr may jun jul aug sep oct nov dec".split()
# "新华社北京8月22日电", "财联社8月22日电", "格隆汇8月22日｜", "2025年8月22日，": a short name, then the day.
_ZH_DATELINE = re.compile(
    r"^[【\[]?[\u4e00-\u9fff·（）()]{0,12}?(?:(\d{4})年)?(\d{1,2})月(\d{1,2})日"
    r"(?:(?:电|讯|消息)[】\]]?[\s，,:：]*|[】\]]?[ \t]*[|｜丨][ \t]*)"
)
# "ZURICH, Aug 21 (Reuters) -", "NEW YORK, Aug. 21, 2025 /PRNewswire/ --", "ZURICH, August 21 :".
_EN_DATELINE = re.compile(
    r"^[A-Z][A-Za-z.'\- ]{1,40}(?:, [A-Z][A-Za-z.'\- ]{1,30})?,?\s+"
    r"(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?\s+(\d{1,2})(?:,\s*(\d{4}))?"
    r"(?=\s*(?:\(|/|:|-|–|—))"
)


def bracket_title(html: str) -> tuple[str, str] | None:
    """(the headline of a leading 【…】, ``html`` without it), or None when the body does
    not open with one, the bracket is a dateline (【财联社8月22日电】) or a label (【快讯】,
    【券商聚焦】, a source's name: under six characters, or a known one), or nothing
    would be left."""
    match = _BRACKET.match(html)
    inside = match[2].strip() if match else ""
    if match is None or _ZH_DATELINE.fullmatch(inside) or len(inside) < 6 or _LABEL.search(inside):
        return None
    rest = match[1] + html[match.end() :]
    if not re.sub(r"<[^<>]*>|\s", "", rest):
        return None
    return match[2].strip(), rest


def without_dateline(title: str) -> str:
    """A headline made from a flash's text, without the dateline it opens with."""
    match = _ZH_DATELINE.match(title)
    return title[match.end() :] if match and match.end() < len(title) else title


def dateline_date(text: str, now: datetime, tz: tzinfo, context: datetime | None = None) -> datetime | None:
    """The day a dateline at the start of ``text`` names, or None. Without a year it is
    the year of ``context`` (when the item was around: an imported file's other items),
    else of ``now`` (the first sighting) — the year before for November and December
    seen in January and February. Today's dateline gives ``now``, an earlier day its
    noon UTC, a day after that of ``context`` or ``now`` None."""
    head = text.lstrip()[:120]
    found = _zh(head) or _en(head)
    if found is None:
        return None
    year, month, day = found
    local_now, around = now.astimezone(tz), (context or now).astimezone(tz)
    try:
        if year is None:
            year = around.year - (month > 10 and around.month < 3)  # "Dec 31" seen on Jan 2
        named = datetime(year, month, day).date()
    except ValueError:
        return None
    if named == local_now.date():
        return now
    if named > around.date() + timedelta(1) or named < around.date() - timedelta(3660):
        return None  # a dateline in the future, or from another decade, is not this item's date
    # A dateline names the day where it was written: noon UTC is that day from UTC-11 to UTC+11.
    return datetime.combine(named, time(12), UTC)


def _zh(head: str) -> tuple[int | None, int, int] | None:
    bracket = _BRACKET.match(head)  # a headline or a label first: the dateline follows it
    if bracket and not _ZH_DATELINE.fullmatch(bracket[2].strip()):
        head = head[bracket.end() :]
    match = _ZH_DATELINE.match(head)
    if match is None:
        return None
    return (int(match[1]) if match[1] else None), int(match[2]), int(match[3])


def _en(head: str) -> tuple[int | None, int, int] | None:
    match = _EN_DATELINE.match(head)
    if match is None:
        return None
    return (int(match[3]) if match[3] else None), _MONTHS.index(match[1][:3].lower()) + 1, int(match[2])
