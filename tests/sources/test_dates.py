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
    ["", "yesterday", "2025-13-45 99:99:99", "0000-00-00 00:00:00", "9999-12-31 23:59:59", 0, -5, 10**30, True, [], {}],
)
def test_garbage_is_refused_with_a_reason(value):
    with pytest.raises(ValueError, match=r"date|epoch"):
        parse_date(value, SHANGHAI)
