"""Search by story: one result per story with its other outlets and languages under it
(a toggle shows every article), and a company named in one language found in the
other (英伟达 finds Nvidia), with a way to turn that off — in the API, the page and the CLI."""

from __future__ import annotations

import json

from newsdesk.config import Settings
from newsdesk.pipeline import import_paths
from newsdesk.search import parse, search
from newsdesk.store import Store
from newsdesk.web import create_app
from tests.conftest import newsdesk, record, write_data
from tests.store.test_story_links import EN_PFIZER, ZH_PFIZER, desk
from tests.web.helpers import running


def _results(page: str) -> str:
    """The results of a search page (not its sidebar, which lists recent articles)."""
    return page.split('<div id="results">', 1)[1].split("</div>", 1)[0]


def _store(tmp_path) -> Store:
    store = Store(f"sqlite:///{tmp_path}/n.db")
    desk(store, tmp_path)
    items = [(1, ZH_PFIZER, "zh-CN", "wallstreetcn"), (2, EN_PFIZER, "en", "Reuters")]
    records = [
        record(n, title=t, description=d, language=lang, source=src, pub_date=f"2025-02-04 20:{10 + n}:00")
        for n, (t, d), lang, src in items
    ]
    import_paths(store, [write_data(tmp_path / "data" / "a.json", records)], Settings())
    return store


def test_a_company_named_in_one_language_is_found_in_the_other():
    assert {"nvidia", "nvda"} <= {
        t for group in parse("英伟达", expand=True).groups for item in group for p in item for t in p.tokens
    }
    assert parse("英伟达").fts5() == parse("英伟达", expand=False).fts5() == '"英伟 伟达"'
    assert parse("黄金", expand=True).fts5() == '"黄金"'  # not a company: nothing added
    assert parse("-英伟达 芯片", expand=True).fts5().count("nvidia") == 0  # an exclusion stays as written


def test_search_groups_by_story_and_expands_names(tmp_path):
    store = _store(tmp_path)
    english = search(store, "Pfizer", limit=10)
    assert {h.language[:2] for h in english} == {"zh", "en"}, "Pfizer finds 辉瑞"
    assert {h.language[:2] for h in search(store, "Pfizer", limit=10, expand=False)} == {"en"}
    (grouped,) = search(store, "辉瑞 OR Pfizer", limit=10, group=True)
    assert [a.source for a in grouped.also or []] != [] and grouped.story == english[0].story
    with running(create_app(store, Settings())) as client:
        api = client.get("/api/search", params={"q": "辉瑞", "group": "true"}).json()["results"]
        assert len(api) == 1 and [a["source"] for a in api[0]["also"]] == ["Reuters"]
        assert "also" not in client.get("/api/search", params={"q": "辉瑞"}).json()["results"][0]
        page = client.get("/search/", params={"q": "辉瑞"}).text
        assert page.count('class="card"') == 1 and 'class="also"' in page and EN_PFIZER[0] in page
        assert 'href="?q=%E8%BE%89%E7%91%9E&amp;all=1"' in page and 'href="?q=%E8%BE%89%E7%91%9E&amp;expand=0"' in page
        assert client.get("/search/", params={"q": "辉瑞", "all": "1"}).text.count('class="card"') == 2
        only = _results(client.get("/search/", params={"q": "辉瑞", "all": "1", "expand": "0"}).text)
        assert only.count('class="card"') == 1 and EN_PFIZER[0] not in only
    store.close()
    db = f"sqlite:///{tmp_path}/n.db"
    grouped_cli = json.loads(newsdesk("search", "Pfizer", "--group", "--json", db=db).stdout)
    assert len(grouped_cli["results"]) == 1 and grouped_cli["results"][0]["also"]
    plain = json.loads(newsdesk("search", "Pfizer", "--no-expand", "--json", db=db).stdout)
    assert [r["language"][:2] for r in plain["results"]] == ["en"]


def test_the_readers_own_words_rank_above_the_names_added_for_them():
    from newsdesk.search.match import title_scores

    query = parse("英伟达 财报", expand=True)
    own, added = title_scores(query, ["英伟 伟达 财报 发布", "nvidia 财报 发布"])
    assert own > added > 0
    assert len(set(title_scores(parse("英伟达 财报"), ["英伟 伟达 财报", "nvidia 财报"]))) == 2  # unexpanded: one match
