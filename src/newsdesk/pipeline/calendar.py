"""Economic calendars in the fetch cycle. A calendar source's items are events (data
releases and scheduled events: their country, importance stars, time and values); they
are stored as listed and updated as their values arrive (``store.save_events``). An event
whose actual value arrives is released once: it becomes an item on the timeline (kind 3,
"美国 1月CPI年率：3.0%") that carries its country and stars for watchlists
(``calendar = ["US"]``, ``stars = 3``)."""

from __future__ import annotations

import html
from datetime import UTC, datetime, timedelta
from typing import Any

from newsdesk.fetch.documents import item_date
from newsdesk.models import CalendarEvent
from newsdesk.sources.catalog import Source
from newsdesk.sources.records import field_text
from newsdesk.store import Store

__all__ = ["COUNTRIES", "events_of", "releases"]

# Chinese country names (jin10) → the codes wallstreetcn gives (ISO 3166 alpha-2, UK, EU).
COUNTRIES = {
    "美国": "US", "中国": "CN", "日本": "JP", "欧元区": "EU", "欧盟": "EU", "英国": "UK", "德国": "DE", "法国": "FR",
    "意大利": "IT", "西班牙": "ES", "加拿大": "CA", "澳大利亚": "AU", "澳洲": "AU", "新西兰": "NZ", "瑞士": "CH",
    "韩国": "KR", "印度": "IN", "巴西": "BR", "俄罗斯": "RU", "中国香港": "HK", "香港": "HK", "中国台湾": "TW",
    "台湾": "TW", "新加坡": "SG", "南非": "ZA", "墨西哥": "MX", "荷兰": "NL", "瑞典": "SE", "挪威": "NO",
    "丹麦": "DK", "土耳其": "TR", "印度尼西亚": "ID", "印尼": "ID", "马来西亚": "MY", "泰国": "TH", "菲律宾": "PH",
    "越南": "VN", "沙特阿拉伯": "SA", "阿根廷": "AR", "波兰": "PL", "爱尔兰": "IE", "奥地利": "AT", "比利时": "BE",
    "葡萄牙": "PT", "希腊": "GR", "芬兰": "FI", "捷克": "CZ", "匈牙利": "HU", "以色列": "IL", "智利": "CL",
}  # fmt: skip
_MAX_TEXT = 80


def events_of(source: Source, items: list[dict[str, Any]]) -> list[CalendarEvent]:
    """The events of a calendar source's list (items without an id, a name or a link are left out)."""
    found = []
    for item in items:
        event_id, name, link = (_text(item.get(k), 200) for k in ("id", "title", "link"))
        if not (event_id and name and link):
            continue
        country = _text(item.get("country"), _MAX_TEXT)
        code = _text(item.get("country_code"), 8).upper() or COUNTRIES.get(country, "")
        found.append(
            CalendarEvent(
                source=source.name,
                event_id=event_id,
                name=name,
                country=country,
                country_code=code,
                stars=_stars(item.get("importance")),
                scheduled=item_date(source, item.get("published")),
                link=link,
                kind="event" if _text(item.get("kind"), 10).upper() in ("FE", "EVENT") else "data",
                **{k: _text(item.get(k), _MAX_TEXT) for k in ("actual", "forecast", "previous", "revised", "unit")},
                period=_text(item.get("period"), _MAX_TEXT),
            )
        )
    return found


def releases(store: Store, source: Source, items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Store the events of ``items``; the items of the events released now (their actual
    value is in), for the timeline."""
    return [_release(event) for event in store.save_events(events_of(source, items))]


def _release(event: CalendarEvent) -> dict[str, Any]:
    """The timeline item of an event whose actual value arrived."""
    unit = event.unit if event.unit not in ("", "-") else ""
    values = [f"公布值 {event.actual}{unit}"]
    values += [f"预期 {event.forecast}{unit}"] if event.forecast else []
    values += [f"前值 {event.revised or event.previous}{unit}"] if event.revised or event.previous else []
    title = f"{event.country} {event.period}{event.name}：{event.actual}{unit}".strip()
    now = datetime.now(UTC)
    # Released at its scheduled time when that is past and recent; else now (a late or early list).
    when = event.scheduled if event.scheduled and now - timedelta(days=1) <= event.scheduled <= now else now
    return {
        "id": f"{event.event_id}:actual",
        "title": title,
        "summary": f"<p>{html.escape('，'.join(values))}（{'★' * event.stars or '-'}）</p>",
        "link": f"{event.link}{'-' if '#' in event.link else '#'}actual",
        "page_date": when,
        "importance": 2 if event.stars >= 4 else 1 if event.stars >= 3 else 0,
        "event": (event.country_code, event.stars),
    }


def _text(value: Any, limit: int) -> str:
    return field_text(value, limit=limit) or ""


def _stars(value: Any) -> int:
    try:
        return max(0, min(5, int(float(str(value)))))
    except ValueError:
        return 0
