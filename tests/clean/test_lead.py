"""A flash's 【headline】 and a dateline at the start of a body, alone and through a real import."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from io import StringIO
from zoneinfo import ZoneInfo

import pytest

from newsdesk.clean.lead import bracket_title, dateline_date, without_dateline
from newsdesk.config import Settings
from newsdesk.pipeline import import_paths
from newsdesk.publish.jsonl import export_jsonl
from newsdesk.store import Store
from tests.conftest import record, write_data

SHANGHAI = ZoneInfo("Asia/Shanghai")
NOW = datetime(2025, 8, 23, 3, 0, tzinfo=UTC)  # 11:00 on Aug 23 in Shanghai
NOON = lambda m, d, y=2025: datetime(y, m, d, 12, tzinfo=UTC)  # noqa: E731


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("财联社8月22日电，央行今日开展逆回购操作", NOON(8, 22)),
        ("【美联储降息】财联社8月22日电，鲍威尔表示", NOON(8, 22)),
        ("【财联社8月21日电】国家统计局公布数据", NOON(8, 21)),
        ("格隆汇8月20日｜某公司公告回购", NOON(8, 20)),
        ("新华社北京8月22日电 记者从央行获悉", NOON(8, 22)),
        ("ZURICH, Aug 21 (Reuters) - UBS said on Thursday", NOON(8, 21)),
        ("NEW YORK, Aug. 21, 2025 /PRNewswire/ -- Acme Corp. announced", NOON(8, 21)),
        ("SAN JOSE, Calif., August 19, 2025 (GLOBE NEWSWIRE) — A company", NOON(8, 19)),
        ("ZURICH, Aug 23 : the bank", NOW),  # today: the first sighting is as good as it gets
    ],
)
def test_a_dateline_names_the_day(text, day):
    assert dateline_date(text, NOW, SHANGHAI) == day


@pytest.mark.parametrize(
    "text",
    [
        "苹果将于9月10日举行发布会",  # a date in the sentence, not a dateline
        "2025年8月22日，市场震荡",
        "LONDON (Reuters) - Shares fell",  # a dateline without a day
        "ZURICH, Aug 30 (Reuters) - a week ahead of the first sighting",
        "财联社2月30日电，不存在的日期",
        "Shares of Apple rose on Aug 21 after",
    ],
)
def test_what_is_not_a_dateline_dates_nothing(text):
    assert dateline_date(text, NOW, SHANGHAI) is None


def test_the_year_comes_from_the_context_and_wraps_at_new_year():
    assert dateline_date("ZURICH, Dec 31 (Reuters) -", datetime(2026, 1, 2, tzinfo=UTC), UTC) == NOON(12, 31)
    before = datetime(2024, 3, 1, tzinfo=UTC)
    assert dateline_date("财联社2月28日电，", NOW, SHANGHAI, before) == NOON(2, 28, 2024)


def test_a_leading_bracket_is_the_headline_unless_it_is_a_dateline_or_all_there_is():
    assert bracket_title("<p><b></b>【央行开展逆回购】央行今日</p>") == ("央行开展逆回购", "<p><b></b>央行今日</p>")
    assert bracket_title("【财联社8月22日电】央行今日") is None
    assert (
        bracket_title("【快讯】美国1月非农就业人口增加") is None
        and bracket_title("【券商聚焦】中信证券指煤炭板块") is None
    )
    assert bracket_title("<p>【只有标题】</p>") is None and bracket_title("央行【中间】今日") is None
    assert (
        without_dateline("格隆汇8月22日｜某公司回购") == "某公司回购"
        and without_dateline("财联社8月22日电") == "财联社8月22日电"
    )


def test_an_undated_record_with_a_dateline_is_dated_that_day_and_marked(sqlite_url, tmp_path):
    records = [
        record(1, pub_date="2025-02-07 10:00:00"),
        record(2, pub_date=None, title="", description="<p>【美股三大指数集体收涨】财联社2月6日电，三大股指收涨。</p>"),
        record(3, pub_date=None, title="Undated", description="<p>No dateline here at all.</p>"),
    ]
    path = write_data(tmp_path / "news" / "data" / "site" / "list.json", records)
    with Store(sqlite_url) as store:
        import_paths(store, [path], Settings())
        found = {a.link.rsplit("/", 1)[1]: a for a in store.iter_articles()}
    flash, undated = found["2"], found["3"]
    assert flash.title == "美股三大指数集体收涨" and flash.text.startswith("财联社2月6日电")
    assert (flash.published, flash.dated, flash.dateline) == (NOON(2, 6), True, True)
    assert not undated.dated and not undated.dateline and not found["1"].dateline
    lines = [json.loads(line) for line in _export(sqlite_url)]
    assert {line["uuid"]: line["dateline"] for line in lines}[flash.uuid] is True


def _export(db_url):
    out = StringIO()
    with Store(db_url) as store:
        export_jsonl(store.iter_articles(), out, Settings())
    return out.getvalue().splitlines()
