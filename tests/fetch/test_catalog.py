"""Each catalog source against golden files in its documented response shape (text
written for these tests, ``tests/fixtures/sources/NAME/``), served by a real HTTP
server on 127.0.0.1.

A source's folder holds ``case.yaml`` — the environment it needs, what each file is
served as (``path``: under the stand-in site, ``@url`` for the source's own URL) and
the one record expected — and the files themselves.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest
import yaml

from newsdesk.errors import ConfigError
from newsdesk.fetch.documents import dated
from newsdesk.sources.catalog import load_catalog
from newsdesk.store import Store
from tests.fetch.conftest import localize, run, serve

FIXTURES = Path(__file__).parents[1] / "fixtures" / "sources"
CASES = sorted(p.name for p in FIXTURES.iterdir() if (p / "case.yaml").is_file())


def _case(name: str) -> dict:
    return yaml.safe_load((FIXTURES / name / "case.yaml").read_text(encoding="utf-8"))


def _serve_case(name: str, source, httpserver, base: str) -> None:
    for item in _case(name)["serve"]:
        body = (FIXTURES / name / item["file"]).read_bytes()
        url = dated(source.url, source) if item["path"] == "@url" else base + item["path"]  # {today:%Y}: as fetched
        url = url.split("?")[0] if item.get("any_query") else url  # a query made at fetch time (signed)
        kind = item.get("type") or (
            "application/json" if item["file"].endswith(".json") else "text/html; charset=utf-8"
        )
        if item.get("any_query"):
            path = url.removeprefix(httpserver.url_for("").rstrip("/"))
            httpserver.expect_request(path).respond_with_data(body, content_type=kind)
        else:
            serve(httpserver, url, body, kind)  # bytes as they are: a page may be in GBK


@pytest.mark.parametrize("name", CASES)
def test_catalog_source_yields_the_documented_records(name, catalog, httpserver, base, sqlite_url, monkeypatch):
    case = _case(name)
    for key, value in (case.get("environment") or {}).items():
        monkeypatch.setenv(key, value)
    source = localize(catalog[name], base)
    _serve_case(name, source, httpserver, base)
    with Store(sqlite_url) as store:
        [result] = run([source], store)
        assert result.state == "ok", result.error
        assert result.new == 1
        [article] = list(store.iter_articles())
        health = store.health()[name]
    expect = case["expect"]
    assert article.title == expect["title"] and article.source == name and expect["body"] in article.text
    assert expect["absent"] is None or expect["absent"] not in article.text
    assert article.language is not None and article.language.split("-")[0] == expect["language"].split("-")[0]
    if source.language:
        assert article.language == source.language
    if expect["published"] is not None:
        assert article.published == datetime.fromisoformat(expect["published"])
    assert article.importance == expect.get("importance", 0) and article.kind == expect.get("kind", article.kind)
    assert health.state == "ok" and health.new_items == 1 and health.last_success is not None


def test_every_source_in_the_catalog_has_a_fixture_test(catalog):
    assert sorted(catalog) == CASES and len(catalog) >= 60
    assert not catalog["fx168"].enabled and catalog["fx168"].disabled_reason


def test_a_second_run_fetches_no_detail_page_again(catalog, httpserver, base, sqlite_url):
    source = localize(catalog["stocktitan"], base)
    _serve_case("stocktitan", source, httpserver, base)
    with Store(sqlite_url) as store:
        first, second = run([source], store)[0], run([source], store)[0]
    details = [r for r, _ in httpserver.log if r.path.endswith("div.html")]
    assert first.new == 1 and second.new == 0 and second.seen == 1 and len(details) == 1


def test_bad_source_files_name_the_file_and_the_field(tmp_path):
    cases = {
        "kind.yaml": ("name: a\nkind: soap\nurl: https://x.example.com/\n", "field 'kind'"),
        "url.yaml": ("name: b\nkind: rss\nurl: ftp://x.example.com/\n", "field 'url'"),
        "unknown.yaml": ("name: c\nkind: rss\nurl: https://x.example.com/\ncolour: red\n", "unknown field 'colour'"),
        "jmespath.yaml": (
            "name: d\nkind: json\nurl: https://x.example.com/\nitems: 'data[['\nfields: {title: t, link: l}\n",
            "field 'items'",
        ),
        "zone.yaml": ("name: e\nkind: rss\nurl: https://x.example.com/\ntimezone: Mars/Olympus\n", "field 'timezone'"),
        "fields.yaml": (
            "name: f\nkind: html\nurl: https://x.example.com/\nitems: li\nfields: {title: a}\n",
            "field 'fields'",
        ),
        "yaml.yaml": ("name: [unclosed\n", "cannot read"),
        "schedule.yaml": (
            "name: g\nkind: rss\nurl: https://x.example.com/\nschedule: {windows: [{days: someday, interval: 60}]}\n",
            "schedule.windows[0].days",
        ),
    }
    for file, (text, expected) in cases.items():
        folder = tmp_path / file.removesuffix(".yaml")
        folder.mkdir()
        (folder / file).write_text(text)
        with pytest.raises(ConfigError) as caught:
            load_catalog([folder], builtin=False)
        assert str(folder / file) in str(caught.value) and expected in str(caught.value), (file, str(caught.value))
