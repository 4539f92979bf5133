from newsdesk.minhash import THRESHOLD, band_keys, signature, similarity

STORY = (
    "美国劳工部周五公布的数据显示，1月非农就业人数增加14.3万人，低于市场预期的17万人。"
    "失业率意外降至4.0%，平均时薪环比增长0.5%。分析人士认为，数据强化了美联储暂缓降息的预期。"
    "美元指数在数据公布后短线走高，美债收益率上升，黄金价格回落。"
)
OTHER = (
    "欧洲央行周四宣布降息25个基点，为去年6月以来第五次降息。行长表示通胀正朝目标回落，"
    "但经济增长依然疲弱，未来政策将取决于数据。欧元兑美元汇率小幅下跌，欧洲股市收高。"
)


def test_an_edited_copy_is_similar_and_another_story_is_not():
    edited = STORY.replace("失业率意外降至4.0%，平均时薪环比增长0.5%。", "") + "免责声明：本文仅供参考。"
    assert similarity(signature("a", STORY), signature("b", edited)) >= THRESHOLD
    assert similarity(signature("a", STORY), signature("c", OTHER)) < 0.2


def test_signatures_are_stable_bytes_and_keys_fit_a_bigint():
    first, second = signature("t", STORY), signature("t", STORY)
    assert first == second and len(first) == 256
    keys = band_keys(first)
    assert len(keys) == 21 and all(0 <= k < 2**63 for k in keys)


def test_no_text_no_signature_and_short_text_still_gets_one():
    assert signature("", "") is None
    assert signature("金价", "") is not None


BOILERPLATE = (
    "<p>{company} has an average rating of overweight and mean price target of $141.90, according to analysts "
    "polled by Capital IQ. Price: 127.30, Change: +0.82, Percent Change: +0.65. (c) 2025 All rights reserved.</p>"
)


def test_a_sources_templated_items_stay_apart_and_its_updates_join(db_url, tmp_path):
    """Rating notes of one wire share their body and differ in their titles: different events.
    The same wire's update of a report ('UPDATE 1-' before the title) or an edited word in
    the title of a re-published body is the same report."""
    from newsdesk.config import Settings
    from newsdesk.pipeline import import_paths
    from newsdesk.sources.records import link_uuid
    from newsdesk.store import Store
    from tests.conftest import record, write_data

    brokers = ["JPMorgan", "TD Cowen", "HSBC", "Benchmark", "Goldman Sachs", "Baird"]
    notes = [
        record(n, source="wire", language="en", description=BOILERPLATE.format(company="Electronic Arts"),
               title=f"{broker} Adjusts Electronic Arts Price Target to ${120 + n} From ${150 - n}")
        for n, broker in enumerate(brokers)
    ]  # fmt: skip
    story = "<p>" + " ".join(f"Sentence {k} of a long report on chip exports and tariffs." for k in range(12)) + "</p>"
    report = [
        record(20, source="wire", language="en", title="US weighs new curbs on chip exports to China",
               description=story),
        record(21, source="wire", language="en", title="UPDATE 1-US weighs new curbs on chip exports to China",
               description=story.replace("Sentence 11", "Sentence eleven")),
        record(22, source="wire", language="en", title="US considers new curbs on chip exports to China",
               description=story),
    ]  # fmt: skip
    write_data(tmp_path / "data" / "wire" / "news.json", notes + report)
    with Store(db_url) as store:
        import_paths(store, [tmp_path / "data"], Settings())
        clusters = {n: store.get(link_uuid(r["link"])).cluster for n, r in enumerate(notes + report)}
    assert len({clusters[n] for n in range(len(notes))}) == len(notes)  # every note a story of its own
    assert clusters[6] == clusters[7] == clusters[8]  # the report, its update, its edited title


def test_a_templates_items_stay_apart_when_another_outlet_carries_each(sqlite_url, tmp_path):
    """An outlet's roundup at 11 AM and at 1 PM, both republished by a second outlet: the
    second outlet's copies must not chain the first outlet's two items into one story."""
    from newsdesk.config import Settings
    from newsdesk.pipeline import import_paths
    from newsdesk.sources.records import link_uuid
    from newsdesk.store import Store
    from tests.conftest import record, write_data

    body = "<p>" + " ".join(f"Item {k}: markets moved on tariff news and earnings today." for k in range(14)) + "</p>"
    items = []
    for n, hour in enumerate(("11 AM", "1 PM")):
        title = f"News Highlights: Top Global Markets News of the Day - Tuesday at {hour} ET"
        text = body.replace("Item 13", f"Item thirteen at {hour}")
        at = 1738600000 + 7200 * n
        items += [
            record(2 * n, source="dowjones", language="en", title=title, description=text, pub_date=at),
            record(2 * n + 1, source="mirror", language="en", title=title, description=text, pub_date=at + 60),
        ]
    write_data(tmp_path / "data" / "wire" / "news.json", items)
    with Store(sqlite_url) as store:
        import_paths(store, [tmp_path / "data"], Settings())
        clusters = [store.get(link_uuid(r["link"])).cluster for r in items]
    assert clusters[0] == clusters[1] and clusters[2] == clusters[3]  # each item with its copy
    assert clusters[0] != clusters[2]  # the two items apart
