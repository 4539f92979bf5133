"""Breaking watchlists: a matching story alerts once enough outlets carry it within the
time given — not before, not when they are spread out; important-only watchlists see
only what their source marked important. Real pipeline, real SQLite and PostgreSQL."""

from __future__ import annotations

from newsdesk.config import Settings
from newsdesk.pipeline import import_paths
from newsdesk.store import Store
from newsdesk.watch import parse_watchlist
from tests.conftest import record, write_data

BODY = "<p>英伟达周一股价大涨8%，市值重回3万亿美元，芯片股全线走强，分析师上调目标价。</p>"
TITLE = "英伟达股价大涨8% 市值重回3万亿美元"
START = 1738917000  # 2025-02-07 08:30 UTC


def _outlet(n: int, source: str, minutes: int, **fields) -> dict:
    return record(n, title=TITLE, description=BODY, source=source, pub_date=START + 60 * minutes, **fields)


def _states(store: Store, watchlist: str) -> list[str]:
    return [a["state"] for a in store.alert_log(watchlist)]


def _watch(store: Store, name: str, **definition) -> None:
    parse_watchlist(name, definition)
    store.save_watchlist(name, definition)


def test_a_story_alerts_once_three_outlets_carry_it_within_thirty_minutes(db_url, tmp_path):
    with Store(db_url) as store:
        _watch(store, "breaking-chips", tickers=["NVDA"], mode="breaking", outlets=3, minutes=30)
        _watch(store, "chips", tickers=["NVDA"])
        data = tmp_path / "data"
        import_paths(
            store, [write_data(data / "a.json", [_outlet(1, "wire_a", 0), _outlet(2, "wire_b", 5)])], Settings()
        )
        assert _states(store, "breaking-chips") == ["waiting"], "two outlets: not yet"
        assert _states(store, "chips") == ["queued"], "an instant watchlist alerts at once"
        again = [_outlet(3, "wire_a", 12)]  # the first outlet republishing counts once
        import_paths(store, [write_data(data / "b.json", again)], Settings())
        assert _states(store, "breaking-chips") == ["waiting"]
        import_paths(store, [write_data(data / "c.json", [_outlet(4, "wire_c", 20)])], Settings())
        assert _states(store, "breaking-chips") == ["queued"], "the third outlet within 30 minutes"
        assert len(store.alert_log()) == 2  # one alert per watchlist and story


def test_outlets_spread_over_hours_do_not_make_a_story_breaking(sqlite_url, tmp_path):
    with Store(sqlite_url) as store:
        _watch(store, "breaking-chips", tickers=["NVDA"], mode="breaking")  # 3 in 30 by default
        items = [_outlet(1, "wire_a", 0), _outlet(2, "wire_b", 40), _outlet(3, "wire_c", 80)]
        import_paths(store, [write_data(tmp_path / "data" / "a.json", items)], Settings())
        assert {a.cluster for a in store.iter_articles()} == {next(store.iter_articles()).cluster}
        assert _states(store, "breaking-chips") == ["waiting"]


def test_important_only_sees_the_items_marked_important(sqlite_url, tmp_path):
    with Store(sqlite_url) as store:
        _watch(store, "gold", query="黄金", important_only=True)
        items = [
            record(1, title="黄金价格小幅上涨", description="<p>现货黄金上涨。</p>", source="jin10", pub_date=START),
            record(2, title="现货黄金突破2900美元创历史新高", description="<p>现货黄金突破2900美元。</p>",
                   source="jin10", pub_date=START + 60, importance=1),
        ]  # fmt: skip
        import_paths(store, [write_data(tmp_path / "data" / "a.json", items)], Settings())
        alerted = [a["uuid"] for a in store.alert_log("gold")]
        marked = [a.uuid for a in store.iter_articles() if a.importance]
        assert len(marked) == 1 and alerted == marked
