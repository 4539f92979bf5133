"""Search on the static site with no server: search.js run by Node against a real build."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from newsdesk.config import Settings
from newsdesk.pipeline import import_paths
from newsdesk.publish import search_files
from newsdesk.publish.site import build_site
from newsdesk.publish.static_search import fnv1a
from newsdesk.store import Store
from tests.conftest import record, write_data
from tests.publish.test_site import _same

RUNNER = Path(__file__).with_name("node_search.js")
RECORDS = [
    record(1, title="美联储主席表示不急于降息", pub_date=1738917470),
    record(2, title="聯準會官員：年內或減息兩次", language="zh-TW", pub_date=1738917480),
    record(3, title="Nvidia slides as DeepSeek rattles chip stocks", language="en", pub_date=1738917490),
    record(4, title="Gold climbs 黄金上涨", language="en", pub_date=1738917500),
]


@pytest.fixture(scope="module")
def node() -> str:
    found = shutil.which("node")
    if not found:
        pytest.skip("node is not installed: the static search script is checked with Node")
    return found


def _search(node: str, site: Path, *queries: str) -> dict[str, list[str]]:
    out = subprocess.run(
        [node, str(RUNNER), str(site), *queries], capture_output=True, text=True, check=True, timeout=60
    )
    return {q: [hit["title"] for hit in hits] for q, hits in json.loads(out.stdout).items()}


def test_the_static_index_answers_chinese_traditional_and_english_queries(node, sqlite_url, tmp_path):
    write_data(tmp_path / "data" / "wire" / "news.json", RECORDS)
    with Store(sqlite_url) as store:
        import_paths(store, [tmp_path / "data"], Settings())
        build_site(store, tmp_path / "site", Settings())
    found = _search(
        node,
        tmp_path / "site",
        "美联储 降息",
        "席表示",
        "联准会",
        "減息",
        "NVIDIA deepseek",
        "黄金",
        "gold 黄金",
        "nothing",
        "🚀",
    )
    assert found["美联储 降息"] == ["美联储主席表示不急于降息"]
    assert found["席表示"] == ["美联储主席表示不急于降息"]  # a substring across words
    assert found["联准会"] == found["減息"] == ["聯準會官員：年內或減息兩次"]  # Simplified query, Traditional text
    assert found["NVIDIA deepseek"] == ["Nvidia slides as DeepSeek rattles chip stocks"]
    assert found["gold 黄金"] == found["黄金"] == ["Gold climbs 黄金上涨"]
    assert found["nothing"] == [] and found["🚀"] == []
    page = (tmp_path / "site" / "search" / "index.html").read_text()
    assert 'src="../search.js"' in page and 'id="results"' in page


def test_the_index_covers_the_newest_blocks_and_an_update_writes_the_front_one(node, sqlite_url, tmp_path, monkeypatch):
    monkeypatch.setattr(search_files, "BLOCK", 4)  # blocks of 3 to about 6 (a radius of 2)
    settings = Settings(output_search_articles=12)
    stories = [record(n, title=f"黄金新闻 gold story {n}", pub_date=1738917470 + n * 60) for n in range(40)]
    late = record(99, title="黄金新闻 gold story late", pub_date=1738917470 + 33 * 60 + 30)  # among the newest
    write_data(tmp_path / "one" / "wire" / "news.json", stories[:36])
    write_data(tmp_path / "two" / "wire" / "news.json", stories[36:])
    write_data(tmp_path / "three" / "wire" / "news.json", [late])
    with Store(sqlite_url) as store:
        import_paths(store, [tmp_path / "one"], settings)
        build_site(store, tmp_path / "site", settings)
        blocks = json.loads((tmp_path / "site" / "search" / "blocks.json").read_text())
        found = _search(node, tmp_path / "site", "黄金", "story 2", "story 24")
        assert found["黄金"] == [f"黄金新闻 gold story {n}" for n in range(35, 25, -1)]  # newest first, across blocks
        assert found["story 24"] == ["黄金新闻 gold story 24"]  # the newest 12 at least are in
        assert blocks[0] == "front" and len(blocks) >= 2 and found["story 2"] == []  # not the oldest
        import_paths(store, [tmp_path / "two"], settings)
        written: list[str] = []
        build_site(store, tmp_path / "site", settings, on_page=written.append)
        build_site(store, tmp_path / "fresh", settings)
        assert _same(tmp_path / "site", tmp_path / "fresh")
        after = json.loads((tmp_path / "site" / "search" / "blocks.json").read_text())
        rewritten = {p.split("/")[1] for p in written if p.startswith("search/") and p.count("/") == 2}
        assert rewritten and rewritten <= {"front", after[1]}  # the front block, and one sealed from it at most
        import_paths(store, [tmp_path / "three"], settings)
        written.clear()
        build_site(store, tmp_path / "site", settings, on_page=written.append)
        build_site(store, tmp_path / "fresh-late", settings)
    assert _same(tmp_path / "site", tmp_path / "fresh-late")
    assert (
        len({p.split("/")[1] for p in written if p.startswith("search/") and p.count("/") == 2}) <= 3
    )  # its block, neighbours
    assert _search(node, tmp_path / "site", "story late")["story late"] == ["黄金新闻 gold story late"]
    assert _search(node, tmp_path / "site", "story 39")["story 39"] == ["黄金新闻 gold story 39"]


def test_python_and_javascript_hash_tokens_alike(node, tmp_path):
    tokens = ["美联", "a", "nvidia", "😀x", "ǅ", ""]
    script = (
        "const s=require('fs').readFileSync(process.argv[1],'utf8');const "
        "c={globalThis:{}};require('vm').runInNewContext(s,c);"
        "console.log(JSON.stringify(JSON.parse(process.argv[2]).map(c.globalThis.newsdeskSearch.fnv1a)))"
    )
    js = Path(__file__).parents[2] / "src" / "newsdesk" / "publish" / "templates" / "search.js"
    out = subprocess.run([node, "-e", script, str(js), json.dumps(tokens)], capture_output=True, text=True, check=True)
    assert json.loads(out.stdout) == [fnv1a(t) for t in tokens]
