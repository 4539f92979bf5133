"""Stories across languages: a Chinese and an English report of one event join one
story, linked at import through the real pipeline and SQLite; different events of one
company stay apart; a merged story's old id keeps resolving."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from newsdesk.config import Settings
from newsdesk.pipeline import import_paths
from newsdesk.store import Store
from newsdesk.web import create_app
from tests.conftest import noise, record, write_data
from tests.web.helpers import running

ZH_PFIZER = (
    "辉瑞第四季度营收177.6亿美元 胜预期",
    "<p>辉瑞(PFE)公布财报，第四季度营收177.63亿美元，调整后每股收益0.63美元。</p>",
)
EN_PFIZER = (
    "Pfizer beats profit estimates on heart drug sales",
    "<p>Pfizer (PFE) reported fourth-quarter revenue of $17.76 billion and adjusted profit of 63 cents a share.</p>",
)
EN_PFIZER_OTHER = (
    "Goldman Sachs adjusts price target on Pfizer to $32",
    "<p>Goldman Sachs cut its price target on Pfizer (PFE) to $32 from $33 and kept a buy rating.</p>",
)


def _records(*items: tuple[int, tuple[str, str], str, str, str]) -> list[dict]:
    return [
        record(n, title=title, description=body, language=lang, source=source, pub_date=when)
        for n, (title, body), lang, source, when in items
    ]


def desk(store: Store, folder) -> None:
    """A day of other news before the tests' reports: a name counts as evidence by how
    rare it is among what a desk stored that day, and an empty store has no measure."""
    day = [
        record(5000 + n, title=f"快讯 {noise(n, 14)}", description=f"<p>{noise(n + 9000, 60)}</p>",
               source=f"wire_{n % 7}", pub_date=1738584000 + 240 * n)
        for n in range(360)
    ]  # fmt: skip
    import_paths(store, [write_data(folder / "desk" / "day.json", day)], Settings())


def _stories(store: Store) -> dict[str, str | None]:
    """The story of each of the tests' own reports (not the desk's day), by record number."""
    numbered = ((a.link.rsplit("/", 1)[1], a.cluster) for a in store.iter_articles())
    return {n: cluster for n, cluster in numbered if int(n) < 5000}  # the desk's days are numbered above


def test_a_report_and_its_translation_join_one_story(tmp_path, db_url, open_store):
    store = open_store(db_url)
    desk(store, tmp_path)
    data = _records(
        (1, ZH_PFIZER, "zh-CN", "wallstreetcn", "2025-02-04 20:10:00"),
        (2, EN_PFIZER, "en", "Reuters", "2025-02-04 20:25:00"),
        (3, EN_PFIZER_OTHER, "en", "MT Newswires", "2025-02-04 21:00:00"),
    )
    import_paths(store, [write_data(tmp_path / "data" / "a.json", data[:1])], Settings())
    import_paths(store, [write_data(tmp_path / "data" / "b.json", data[1:])], Settings())
    stories = _stories(store)
    assert stories["1"] == stories["2"], "the report and its translation are one story"
    assert stories["3"] not in (stories["1"], None), "another event about the same company stays apart"
    # Updated at the source: its keys are replaced, and how often each was named is not counted twice.
    edited = (EN_PFIZER[0], EN_PFIZER[1].replace("</p>", " Shares rose 2.1% before the bell.</p>"))
    again = _records((2, edited, "en", "Reuters", "2025-02-04 20:25:00"))
    report = import_paths(store, [write_data(tmp_path / "data" / "b.json", again)], Settings())
    assert report.updated == 1
    with store.engine.connect() as conn:
        rows = conn.execute(sa.text("SELECT count(*) FROM story_keys")).scalar()
        counted = conn.execute(sa.text("SELECT sum(n) FROM story_key_counts")).scalar()
    assert rows and counted == rows
    assert _stories(store) == stories


def test_an_article_without_mentions_keeps_a_story_of_its_own(tmp_path, open_store):
    store = open_store(f"sqlite:///{tmp_path}/n.db")
    desk(store, tmp_path)
    data = _records(
        (1, ZH_PFIZER, "zh-CN", "wallstreetcn", "2025-02-04 20:10:00"),
        (2, ("Markets today", "<p>Stocks moved.</p>"), "en", "Reuters", "2025-02-04 20:12:00"),
        (3, EN_PFIZER, "en", "Dow Jones Newswires", "2025-02-04 20:14:00"),
    )
    import_paths(store, [write_data(tmp_path / "data" / "a.json", data)], Settings())
    stories = _stories(store)
    assert stories["1"] == stories["3"] != stories["2"]


def test_a_merged_story_id_keeps_resolving(tmp_path, sqlite_url, open_store):
    store = open_store(sqlite_url)
    desk(store, tmp_path)
    # The Chinese report comes first; the English one starts a story of its own, which
    # is merged into the Chinese one's when they are linked: its id keeps resolving.
    data = _records(
        (1, ZH_PFIZER, "zh-CN", "wallstreetcn", "2025-02-04 20:10:00"),
        (2, EN_PFIZER, "en", "Reuters", "2025-02-04 20:25:00"),
    )
    import_paths(store, [write_data(tmp_path / "data" / "a.json", data[:1])], Settings())
    import_paths(store, [write_data(tmp_path / "data" / "b.json", data[1:])], Settings())
    stories = _stories(store)
    story = stories["1"]
    assert story is not None and stories["2"] == story
    old = next(a.uuid for a in store.iter_articles() if a.link.endswith("/articles/2"))
    assert old != story and store.merged_into(old) == story
    with running(create_app(store, Settings())) as client:
        answer = client.get(f"/api/stories/{old}").json()
        assert answer["id"] == story and answer["merged_into"] == story
        assert {a["language"][:2] for a in answer["articles"]} == {"zh", "en"}
        assert client.get(f"/api/stories/{story}").json()["merged_into"] is None
        assert client.get("/api/stories/nosuchstory").status_code == 404


def test_a_store_without_a_days_news_has_no_measure_of_rarity_and_links_nothing(tmp_path, open_store):
    store = open_store(f"sqlite:///{tmp_path}/n.db")
    data = _records(
        (1, ZH_PFIZER, "zh-CN", "wallstreetcn", "2025-02-04 20:10:00"),
        (2, EN_PFIZER, "en", "Reuters", "2025-02-04 20:25:00"),
    )
    import_paths(store, [write_data(tmp_path / "data" / "a.json", data)], Settings())
    stories = _stories(store)
    assert stories["1"] != stories["2"], "with the desk's day of news (see above) they are one story"


def test_an_officials_remarks_are_one_story_and_another_officials_another(tmp_path, open_store):
    store = open_store(f"sqlite:///{tmp_path}/n.db")
    desk(store, tmp_path)
    fed_day = [  # the Fed is named all day: naming it is no evidence
        record(6000 + n, title=f"Fed watch {noise(n, 6)}", description=f"<p>The Fed {noise(n + 7000, 30)}</p>",
               source=f"fedwire_{n % 5}", pub_date=1738660000 + 200 * n)
        for n in range(120)
    ]  # fmt: skip
    import_paths(store, [write_data(tmp_path / "desk" / "fed.json", fed_day)], Settings())
    data = _records(
        (1, ("美联储巴尔金：我们已重新调整至更符合经济状况的水平", ""), "zh-CN", "fx168", "2025-02-04 20:10:00"),
        (2, ("Fed's Barkin says policy is now in a good place", "<p>Richmond Fed President Thomas Barkin "
             "said on Wednesday policy had been recalibrated.</p>"), "en", "Reuters", "2025-02-04 20:14:00"),
        (3, ("Fed's Jefferson says no need to hurry further cuts", "<p>Fed Vice Chair Philip Jefferson said "
             "the central bank can be patient.</p>"), "en", "Reuters", "2025-02-04 20:16:00"),
    )  # fmt: skip
    import_paths(store, [write_data(tmp_path / "data" / "a.json", data)], Settings())
    stories = _stories(store)
    assert stories["1"] == stories["2"], "a rarely named person and the hour are the event: what they said"
    assert stories["3"] != stories["1"], "the same institution is not the same remarks"


def test_one_report_joins_the_stories_of_two_reports_in_the_other_language(tmp_path, open_store):
    store = open_store(f"sqlite:///{tmp_path}/n.db")
    desk(store, tmp_path)
    other = (
        "Pfizer tops revenue forecasts, shares climb",
        "<p>Pfizer's fourth-quarter results beat estimates with revenue of $17.76 billion.</p>",
    )
    data = _records(
        (1, EN_PFIZER, "en", "Reuters", "2025-02-04 20:10:00"),
        (2, other, "en", "MarketWatch", "2025-02-04 20:12:00"),
        (3, ZH_PFIZER, "zh-CN", "wallstreetcn", "2025-02-04 20:20:00"),
    )
    import_paths(store, [write_data(tmp_path / "data" / "a.json", data[:2])], Settings())
    assert len(set(_stories(store).values())) == 2, "two English reports with their own words: two stories"
    import_paths(store, [write_data(tmp_path / "data" / "b.json", data[2:])], Settings())
    assert len(set(_stories(store).values())) == 1


def test_a_late_or_future_dated_item_in_a_batch_does_not_stop_its_links(tmp_path, open_store):
    store = open_store(f"sqlite:///{tmp_path}/n.db")
    desk(store, tmp_path)
    data = _records(
        (1, ZH_PFIZER, "zh-CN", "wallstreetcn", "2025-02-04 20:10:00"),
        (2, EN_PFIZER, "en", "Reuters", "2025-02-04 20:25:00"),
        (3, ("A note from the future", "<p>Dated wrong at its source.</p>"), "en", "wire", "2025-09-04 20:25:00"),
    )
    import_paths(store, [write_data(tmp_path / "data" / "a.json", data)], Settings())
    stories = _stories(store)
    assert stories["1"] == stories["2"], "how full the window is, is measured around the batch's middle"


_LEAD = "辉瑞(PFE)公布财报，第四季度营收177.63亿美元，调整后每股收益0.63美元。"
_BY_THE_WAY = {
    # A commentary whose title names none of it: what its lead mentions in passing is no report.
    "commentary": ("节后市场展望：慢牛行情可期", f"<p>春节后首个交易日，市场情绪回暖。{_LEAD}{noise(3, 40)}</p>"),
    # A roundup: a title naming five names is several events.
    "roundup": (
        "隔夜要闻：辉瑞营收胜预期 英伟达收涨 特朗普与马斯克会面 日本央行或再加息",
        f"<p>一、{_LEAD}二、{noise(5, 30)}。三、{noise(6, 30)}。</p>",
    ),
}


@pytest.mark.parametrize("kind", sorted(_BY_THE_WAY))
def test_an_article_touching_a_report_in_passing_joins_none_of_its_story(kind, tmp_path, open_store):
    store = open_store(f"sqlite:///{tmp_path}/n.db")
    desk(store, tmp_path)
    data = _records(
        (1, _BY_THE_WAY[kind], "zh-CN", "qq", "2025-02-04 20:10:00"),
        (2, EN_PFIZER, "en", "Reuters", "2025-02-04 20:25:00"),
        (3, ("辉瑞第四季度营收超预期", f"<p>{_LEAD}</p>"), "zh-CN", "fx168", "2025-02-04 20:30:00"),
    )
    import_paths(store, [write_data(tmp_path / "data" / "a.json", data)], Settings())
    stories = _stories(store)
    assert stories["2"] == stories["3"], "the same lead under a title naming Pfizer links"
    assert stories["1"] not in (stories["2"], None)
