"""Importance: what a source says of an item (0 normal, 1 important, 2 top), kept from
the fetched item or the imported record to the database, the export, the API and the
timeline's "important only" filter."""

from __future__ import annotations

import pytest

from newsdesk.config import Settings
from newsdesk.errors import ConfigError
from newsdesk.models import ArticleFilter
from newsdesk.pipeline import import_paths
from newsdesk.sources.catalog import load_source
from newsdesk.sources.records import importance_of, link_uuid
from newsdesk.store import Store
from newsdesk.web import create_app
from tests.conftest import exported, noise, record, write_data
from tests.fetch.conftest import json_list, run
from tests.web.helpers import running


@pytest.mark.parametrize(
    ("raw", "level"),
    [(None, 0), (0, 0), (1, 1), (2, 2), (7, 2), (-1, 0), (True, 1), ("1", 1), (" 2 ", 2), ("A", 0), ([], 0), (1.9, 1)],
)
def test_a_records_importance_is_a_level_from_0_to_2(raw, level):
    assert importance_of(raw) == level


def test_a_sources_markers_map_to_levels(db_url, httpserver):
    """cls-style letters through the source's mapping, jin10-style numbers as they are."""
    lettered = [
        {"t": f"电报 {noise(n, 20)}", "u": f"https://cls.example/{n}", "l": level} for n, level in enumerate("ABC")
    ]
    numbered = [{"t": f"快讯 {noise(n + 9, 20)}", "u": f"https://jin10.example/{n}", "l": n % 2} for n in range(2)]
    cls = json_list(
        httpserver, lettered, "/cls", name="cls", fields={"title": "t", "link": "u", "importance": "l"},
        importance={"A": 2, "B": 1},
    )  # fmt: skip
    jin10 = json_list(
        httpserver, numbered, "/jin10", name="jin10", fields={"title": "t", "link": "u", "importance": "l"}
    )
    with Store(db_url) as store:
        run([cls, jin10], store)
        got = {a.link: a.importance for a in store.iter_articles()}
    assert got == {
        "https://cls.example/0": 2,
        "https://cls.example/1": 1,
        "https://cls.example/2": 0,
        "https://jin10.example/0": 0,
        "https://jin10.example/1": 1,
    }


def test_a_mapping_to_anything_but_a_level_is_a_config_error(tmp_path):
    path = tmp_path / "x.yaml"
    definition = "name: x\nkind: json\nurl: https://x.example/\nitems: items\nfields: {title: t, link: u}\n"
    path.write_text(definition + "importance: {A: 5}\n")
    with pytest.raises(ConfigError, match="must map to 0, 1 or 2"):
        load_source(path)


def test_imported_importance_reaches_the_export_the_api_and_the_timeline(sqlite_url, tmp_path):
    records = [
        record(n, title=f"快讯 {noise(n, 12)}", description=f"<p>{noise(n + 50)}</p>", importance=n % 3,
               pub_date=1738917470 + n)
        for n in range(9)
    ]  # fmt: skip
    write_data(tmp_path / "data" / "wire" / "news.json", records)
    with Store(sqlite_url) as store:
        import_paths(store, [tmp_path / "data"], Settings())
        by_link = exported(store, "importance")
        assert by_link == {r["link"]: r["importance"] for r in records}
        assert store.count_where(ArticleFilter(importance=1)) == 6
        assert store.count_where(ArticleFilter(importance=2)) == 3
        top_links = {link_uuid(r["link"]) for r in records if r["importance"] == 2}
        tagged = ArticleFilter(tag="example_source", importance=2)  # a tag's list (the source is a tag too)
        assert {a.uuid for a in store.page(tagged, 20)} == top_links and store.count_where(tagged) == 3
        with running(create_app(store, Settings())) as client:
            important = client.get("/api/articles", params={"important": 1}).json()["articles"]
            assert len(important) == 6 and all(a["importance"] >= 1 for a in important)
            top = client.get("/api/articles", params={"important": 2}).json()["articles"]
            assert {a["uuid"] for a in top} == {link_uuid(r["link"]) for r in records if r["importance"] == 2}
            assert client.get("/api/articles", params={"important": 3}).status_code == 422
            every, marked = client.get("/").text, client.get("/", params={"important": 2}).text
            assert every.count("<article") - marked.count("<article") == 6  # the list's entries, the rest the same
            assert marked.count(' important" data-uuid=') >= 3 and '<strong class="mark">Top</strong>' in marked
            assert '<option value="2" selected>top</option>' in marked  # the filter form shows the choice
            assert client.get("/", params={"important": "yes"}).status_code == 400
