"""Stories: one event with everyone who carried it — headlines by language, first
reporter and its lead, ranking by breadth, velocity, importance and recency; in the
JSON API and in every exported article."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from newsdesk.config import Settings
from newsdesk.pipeline import import_paths
from newsdesk.sources.records import link_uuid
from newsdesk.store import Store
from newsdesk.stories import Weights, rank, reported_at, summarize
from newsdesk.web import create_app
from tests.conftest import article, exported, noise, record, write_data
from tests.web.helpers import running

NOW = datetime(2025, 2, 7, 12, 0, tzinfo=UTC)


def _at(minutes: int, **fields):
    n = fields.pop("n")
    moment = NOW - timedelta(minutes=minutes)
    return article(n, published=moment, first_seen=moment, cluster="s1", **fields)


def test_a_story_sums_up_its_outlets_languages_and_first_reporter():
    members = [
        _at(50, n=1, source="jin10", language="zh-CN", title="快讯", kind=2),  # a flash stub first
        _at(45, n=2, source="wscn", language="zh-CN", title="美联储维持利率不变 符合市场预期", importance=1),
        _at(40, n=3, source="reuters", language="en", title="Fed holds rates steady, as expected", tickers=["SPY"]),
        _at(30, n=4, source="wscn", language="zh-CN", title="美联储维持利率不变 鲍威尔讲话"),  # an outlet again
    ]
    story = summarize("s1", members)
    assert story is not None
    assert story.headlines == {"zh": "美联储维持利率不变 符合市场预期", "en": "Fed holds rates steady, as expected"}
    assert story.outlets == ["jin10", "wscn", "reuters"] and story.languages == ["en", "zh"]
    assert story.first_reported_by == "jin10" and story.lead_minutes == 5.0
    assert story.articles == 4 and story.importance == 1 and story.tickers == ["SPY"]
    assert story.uuids == [a.uuid for a in members]


def test_a_clock_in_the_future_does_not_make_an_outlet_first():
    seen = NOW - timedelta(minutes=10)
    skewed = article(1, source="fast_clock", published=NOW + timedelta(hours=3), first_seen=seen, cluster="s")
    honest = article(2, source="wire", published=NOW - timedelta(minutes=20), first_seen=NOW, cluster="s")
    assert reported_at(skewed) == seen
    story = summarize("s", [skewed, honest])
    assert story is not None and story.first_reported_by == "wire" and story.last_update == seen


def test_breadth_velocity_importance_and_recency_rank_stories():
    def story(name: str, outlets: int, minutes: int, importance: int = 0):
        members = [
            article(100 * len(name) + k, source=f"{name}{k}", cluster=name, importance=importance,
                    published=NOW - timedelta(minutes=minutes), first_seen=NOW - timedelta(minutes=minutes))
            for k in range(outlets)
        ]  # fmt: skip
        return summarize(name, members), members

    made = dict(
        wide=story("wide", 5, 30),
        narrow=story("narrow", 1, 30),
        old=story("old", 5, 60 * 24),
        top=story("top", 1, 30, 2),
    )
    ranked = rank([s for s, _ in made.values()], {k: m for k, (_, m) in made.items()}, NOW, Weights())
    order = [s.id for s in ranked]
    assert order.index("wide") < order.index("top") < order.index("narrow")  # 5 outlets > importance 2 > one outlet
    assert order[-1] == "old"  # a day old: 4 half-lives down
    assert abs(ranked[0].score - 10 * 0.5 ** (0.5 / 6)) < 1e-3  # 5 outlets, 5 in the last hour, half an hour old


def test_stories_in_the_api_and_the_export(sqlite_url, tmp_path):
    now = int(datetime.now(UTC).timestamp())
    body = "<p>美国劳工部周五公布的数据显示，1月非农就业人数增加14.3万人，低于市场预期的17万人。失业率降至4.0%。</p>"
    records = [
        record(1, title="美国1月非农就业不及预期", description=body, source="wire_a", pub_date=now - 600),
        record(2, title="美国1月非农就业不及预期", description=body, source="wire_b", pub_date=now - 300, importance=1),
        record(3, title=f"独家 {noise(3, 12)}", description=f"<p>{noise(4)}</p>", source="wire_c", pub_date=now - 60),
    ]
    write_data(tmp_path / "data" / "x" / "news.json", records)
    with Store(sqlite_url) as store:
        import_paths(store, [tmp_path / "data"], Settings())
        by_link = exported(store, "story")
        assert by_link[records[0]["link"]] == by_link[records[1]["link"]] != by_link[records[2]["link"]]
        with running(create_app(store, Settings())) as client:
            first = client.get("/api/stories", params={"limit": 1}).json()
            [top] = first["stories"]
            assert top["outlets"] == ["wire_a", "wire_b"] and top["first_reported_by"] == "wire_a"
            assert (
                top["lead_minutes"] == 5.0
                and top["importance"] == 1
                and top["headlines"]["zh"] == "美国1月非农就业不及预期"
            )
            [second] = client.get("/api/stories", params={"limit": 1, "cursor": first["next_cursor"]}).json()["stories"]
            assert second["outlets"] == ["wire_c"]
            assert [
                s["outlets"] for s in client.get("/api/stories", params={"source": "wire_c"}).json()["stories"]
            ] == [["wire_c"]]
            one = client.get(f"/api/stories/{top['id']}").json()
            assert [a["uuid"] for a in one["articles"]] == [link_uuid(r["link"]) for r in records[:2]]
            assert one["articles"][0]["story"] == top["id"] and one["merged_into"] is None
            assert client.get("/api/stories/nope").status_code == 404
            assert client.get("/api/stories", params={"cursor": "!!"}).status_code == 400
