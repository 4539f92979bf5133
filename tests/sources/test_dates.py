from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from newsdesk.sources.dates import parse_date

SHANGHAI = ZoneInfo("Asia/Shanghai")
NEW_YORK = ZoneInfo("America/New_York")
SEED_INSTANT = datetime(2025, 2, 7, 8, 37, 50, tzinfo=UTC)


@pytest.mark.parametrize(
    "value",
    [
        "2025-02-07 16:37:50",
        "2025-02-07T16:37:50",
        "2025-02-07T08:37:50Z",
        "2025-02-07T03:37:50-05:00",
        "  2025-02-07 16:37:50 ",
        1738917470,
        1738917470000,
        "1738917470",
        "1738917470000",
        1738917470.0,
    ],
)
def test_accepted_forms_give_the_same_instant(value):
    parsed = parse_date(value, SHANGHAI)
    assert parsed.tzinfo is not None
    assert parsed == SEED_INSTANT


def test_naive_dates_are_read_in_the_given_zone():
    assert parse_date("2025-02-07 03:37:50", NEW_YORK) == SEED_INSTANT


@pytest.mark.parametrize(
    "value",
    [
        "",
        "the day after",
        "2025-13-45 99:99:99",
        "0000-00-00 00:00:00",
        "9999-12-31 23:59:59",
        0,
        -5,
        10**30,
        True,
        [],
        {},
    ],
)
def test_garbage_is_refused_with_a_reason(value):
    with pytest.raises(ValueError, match=r"date|epoch"):
        parse_date(value, SHANGHAI)


NOW = datetime(2026, 8, 21, 3, 30, tzinfo=UTC)  # 11:30 in Shanghai


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("Fri, 21 Aug 2026 11:00:00 GMT", "2026-08-21T11:00:00+00:00"),  # RFC 822, as feeds write it
        ("Fri, 21 Aug 2026 11:00:00 +0800", "2026-08-21T03:00:00+00:00"),
        ("2026年8月21日 11:00", "2026-08-21T03:00:00+00:00"),
        ("2026年08月21日", "2026-08-20T16:00:00+00:00"),
        ("2026/08/21 11:00", "2026-08-21T03:00:00+00:00"),
        ("Aug 21, 2026", "2026-08-20T16:00:00+00:00"),
        ("08-21 11:00", "2026-08-21T03:00:00+00:00"),  # no year: this year's, not after now
        ("12-31 23:00", "2025-12-31T15:00:00+00:00"),  # ... or last year's
        ("5分钟前", "2026-08-21T03:25:00+00:00"),
        ("3小时前", "2026-08-21T00:30:00+00:00"),
        ("2 hours ago", "2026-08-21T01:30:00+00:00"),
        ("1 day ago", "2026-08-20T03:30:00+00:00"),
        ("昨天 14:30", "2026-08-20T06:30:00+00:00"),
        ("今天 09:15", "2026-08-21T01:15:00+00:00"),
        ("yesterday 14:30", "2026-08-20T06:30:00+00:00"),
        ("刚刚", "2026-08-21T03:30:00+00:00"),
    ],
)
def test_one_parser_reads_feed_site_and_relative_forms(value, expected):
    assert parse_date(value, SHANGHAI, now=NOW).astimezone(UTC).isoformat() == expected


def test_import_and_fetch_share_the_parser():
    from newsdesk.sources.dates import parse_published

    assert parse_published("Fri, 21 Aug 2026 11:00:00 GMT", SHANGHAI) == parse_date(
        "Fri, 21 Aug 2026 11:00:00 GMT", SHANGHAI
    )
    assert parse_published("", SHANGHAI) is None
    assert parse_published("1724209200", SHANGHAI, "epoch") == datetime(2024, 8, 21, 3, 0, tzinfo=UTC)
