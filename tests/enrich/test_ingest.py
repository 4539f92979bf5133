"""Enrichment at ingest, stored and exported: tags, tickers, clusters, language."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from newsdesk.config import Settings
from newsdesk.pipeline import import_paths
from newsdesk.sources.records import link_uuid
from newsdesk.store import Store
from tests.conftest import newsdesk, record, write_data

STORY = (
    "<p>美国劳工部周五公布的数据显示，1月非农就业人数增加14.3万人，低于市场预期的17万人。</p>"
    "<p>失业率意外降至4.0%，平均时薪环比增长0.5%。分析人士认为，数据强化了美联储暂缓降息的预期。</p>"
    "<p>美元指数在数据公布后短线走高，美债收益率上升，现货黄金价格回落。</p>"
)
OTHER = (
    "<p>欧洲央行周四宣布降息25个基点，为去年6月以来第五次降息。行长表示通胀正朝目标回落，"
    "但经济增长依然疲弱，未来政策将取决于数据。欧元兑美元汇率小幅下跌，欧洲股市收高。</p>"
)
RECORDS = [
    record(1, title="美国1月非农就业不及预期", description=STORY, source="wire_a", language=None),
    record(
        2,
        title="【快讯】非农数据低于预期 失业率降至4%",
        source="wire_b",
        description=STORY.replace("<p>失业率意外降至4.0%，平均时薪环比增长0.5%。", "<p>")
        + "<p>免责声明：仅供参考。</p>",
    ),
    record(3, title="欧洲央行再度降息", description=OTHER, source="wire_a"),
    record(
        4,
        title="Nvidia slides",
        description="<p>Nvidia (NVDA) fell 3% as chip stocks slid on export worries.</p>",
        source="wire_en",
        language="zh-CN",
    ),
]


def test_near_duplicates_share_a_cluster_and_enrichment_is_stored(db_url, tmp_path):
    write_data(tmp_path / "data" / "wire" / "news.json", RECORDS)
    with Store(db_url) as store:
        import_paths(store, [tmp_path / "data"], Settings())
        got = {n: store.get(link_uuid(a["link"])) for n, a in enumerate(RECORDS, 1)}
        assert got[1].cluster == got[2].cluster == got[1].uuid
        assert got[3].cluster == got[3].uuid and got[4].cluster == got[4].uuid
        assert [a.uuid for a in store.cluster_members(got[1].cluster)] == [got[1].uuid, got[2].uuid]
        assert got[1].language == "zh-CN"  # missing → detected
        assert got[4].language == "en"  # wrong → corrected
        assert got[4].tickers == ["NVDA"] and got[4].tags[0] == "NVDA" and got[4].tags[-1] == "wire_en"
        assert "XAUUSD" in got[1].tickers
        assert ("NVDA", 1) in store.tag_counts("ticker") and ("wire_a", 2) in store.tag_counts("source")


@pytest.mark.slow  # several command-line processes
def test_jsonl_and_hugo_real_tags_export_the_enrichment(sqlite_url, tmp_path):
    write_data(tmp_path / "data" / "wire" / "news.json", RECORDS)
    newsdesk("import", str(tmp_path / "data"), db=sqlite_url, check=True)
    lines = [
        json.loads(line) for line in newsdesk("export", "jsonl", "-", db=sqlite_url, check=True).stdout.splitlines()
    ]
    nvidia = next(line for line in lines if line["title"] == "Nvidia slides")
    assert nvidia["tickers"] == ["NVDA"] and nvidia["tags"][0] == "NVDA" and nvidia["cluster"] == nvidia["uuid"]
    assert len({line["cluster"] for line in lines}) == 3
    newsdesk("export", "hugo", str(tmp_path / "site"), "--tags", "real", db=sqlite_url, check=True)
    page = (tmp_path / "site" / "content" / "posts" / f"{nvidia['uuid']}.md").read_text()
    assert 'tags:\n  - "NVDA"\n' in page and '  - "wire_en"\n' in page
    seed = newsdesk("export", "hugo", str(tmp_path / "seed"), db=sqlite_url, check=True)
    assert seed.returncode == 0
    page = (tmp_path / "seed" / "content" / "posts" / f"{nvidia['uuid']}.md").read_text()
    assert 'tags:\n  - "wire_en"\nmenu' in page


def test_parallel_workers_store_exactly_what_one_process_stores(tmp_path):
    # 330: the last batch is small, and goes to the pool already started
    records = [record(n, title=f"第{n}条 Apple (AAPL) 新闻", language=None) for n in range(330)]
    write_data(tmp_path / "data" / "wire" / "news.json", records)
    dumps = []
    for workers in (1, 2):
        url = f"sqlite:///{tmp_path / f'w{workers}.db'}"
        with Store(url) as store:
            report = import_paths(store, [tmp_path / "data"], Settings(import_workers=workers, import_batch_size=100))
            assert report.counts() == {"new": 330, "updated": 0, "duplicate": 0, "rejected": 0}
            dumps.append([(a.uuid, a.language, a.tags, a.tickers, a.cluster, a.text) for a in store.iter_articles()])
    assert dumps[0] == dumps[1]


PARENT = """
import sys
from pathlib import Path
from newsdesk.config import Settings
from newsdesk.pipeline import import_paths
from newsdesk.store import Store
with Store(sys.argv[1]) as store:
    report = import_paths(store, [Path(sys.argv[2])], Settings(import_workers=2, import_batch_size=100))
print(report.new, "rjieba" in sys.modules)
"""


def test_the_importing_process_leaves_the_models_to_its_workers(tmp_path):
    """The process that writes holds the batches; only the workers load the models."""
    records = [record(n, title=f"第{n}条 苹果公司 新闻", language=None) for n in range(250)]
    write_data(tmp_path / "data" / "wire" / "news.json", records)
    url = f"sqlite:///{tmp_path / 'w.db'}"
    done = subprocess.run([sys.executable, "-c", PARENT, url, str(tmp_path / "data")], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["250", "False"]
    with Store(url) as store:  # and the workers did enrich: Chinese words became tags
        assert all(a.tags for a in store.iter_articles())


PRESS = "Griffon Corporation Announces First Quarter Results"
REWRITES = [  # one press release told by three outlets in their own words, and a template
    record(
        10,
        title=PRESS,
        source="wire_a",
        pub_date=1738917000,
        description="<p>Griffon reported revenue of $632 million for the quarter, down 3% from a year ago.</p>",
    ),
    record(
        11,
        title=PRESS.upper() + "!",
        source="wire_b",
        pub_date=1738920000,
        description="<p>The building products maker said net income rose to $70.9 million; its shares gained.</p>",
    ),
    record(
        12,
        title="格里芬公司公布第一季度业绩报告说明",
        source="wire_c",
        pub_date=1738921000,
        description="<p>格里芬公司公布第一季度业绩。</p>",
    ),
    record(
        13,
        title=PRESS,
        source="wire_d",
        pub_date=1738917000 + 5 * 86400,  # five days later: another story
        description="<p>A different quarter entirely, written about in other words by another desk.</p>",
    ),
    record(14, title="Market Update", source="wire_a", pub_date=1738917000, description="<p>Stocks rose.</p>"),
    record(
        15, title="Market Update", source="wire_b", pub_date=1738917100, description="<p>Bonds fell hard today.</p>"
    ),
]


def test_the_same_title_from_other_sources_joins_one_story_within_two_days(db_url, tmp_path):
    write_data(tmp_path / "data" / "wire" / "news.json", REWRITES)
    with Store(db_url) as store:
        import_paths(store, [tmp_path / "data"], Settings())
        got = {a.link.rsplit("/", 1)[1]: a.cluster for a in store.iter_articles()}
    assert got["10"] == got["11"]  # bodies share nothing; the title names the story
    assert len({got["10"], got["12"], got["13"]}) == 3  # another title; the same title five days on
    assert got["14"] != got["15"]  # a title too short to name one story
