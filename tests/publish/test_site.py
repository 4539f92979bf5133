"""The built-in static site, built from real SQLite files."""

from __future__ import annotations

import filecmp
import json
from pathlib import Path

import feedparser

from newsdesk.config import Settings
from newsdesk.pipeline import import_paths
from newsdesk.publish.site import build_site, slugify
from newsdesk.store import Store
from tests.conftest import newsdesk, record, write_data

HOSTILE = record(
    99,
    title='<script>window.pwned=1</script>"标题" & <img src=x onerror=alert(1)>',
    description='<p>正文<script>window.pwned=1</script><img src="x" onerror="window.pwned=1">'
    '<a href="javascript:window.pwned=1">x</a><iframe src="https://evil.example"></iframe></p>',
    source="evil/../../etc",
)


def _build(store: Store, folder: Path, **options) -> dict:
    return build_site(store.iter_articles, folder, Settings(), **options).counts()


def _tree(folder: Path) -> set[str]:
    return {str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file()}


def test_pages_pager_tags_sources_feeds_and_sitemap(sqlite_url, tmp_path):
    write_data(tmp_path / "data" / "wire" / "news.json", [record(n, title=f"美联储第{n}次会议 Fed meeting {n}", pub_date=1738917470 + n) for n in range(25)])
    with Store(sqlite_url) as store:
        import_paths(store, [tmp_path / "data"], Settings())
        counts = _build(store, tmp_path / "site", per_page=10)
    site = tmp_path / "site"
    files = _tree(site)
    assert {"index.html", "page/2/index.html", "page/3/index.html", "404.html", "sitemap.xml", "style.css",
            "index.xml", "atom.xml", "feed.json", "sources/example_source/index.html"} <= files  # fmt: skip
    assert "page/4/index.html" not in files
    assert sum(f.startswith("posts/") for f in files) == 25
    assert counts["pages"] == len(files) and counts["written"] == len(files)
    home = (site / "index.html").read_text()
    assert home.count('class="card"') == 10 and 'href="page/2/"' in home
    assert "最新 Recent" in home and "标签 Tags" in home and 'name="q"' in home
    second = (site / "page/2/index.html").read_text()
    assert 'href="../../"' in second and 'href="../../page/3/"' in second
    rss, atom = feedparser.parse((site / "index.xml").read_text()), feedparser.parse((site / "atom.xml").read_text())
    assert not rss.bozo and not atom.bozo and len(rss.entries) == len(atom.entries) == 20
    assert rss.entries[0].title.startswith("美联储第24次会议")
    assert len(json.loads((site / "feed.json").read_text())["items"]) == 20
    assert (site / "sources/example_source/index.xml").exists()


def test_an_article_page_has_date_source_tags_original_and_also_reported_by(sqlite_url, tmp_path):
    story = "<p>" + "美国劳工部公布的数据显示，1月非农就业人数增加14.3万人，低于市场预期。失业率降至4.0%。" * 3 + "</p>"
    write_data(tmp_path / "data" / "a" / "news.json", [record(1, description=story, source="wire_a", pub_date="2025-02-07 16:37:50")])
    write_data(tmp_path / "data" / "b" / "news.json", [record(2, description=story + "<p>免责声明</p>", source="wire_b")])
    with Store(sqlite_url) as store:
        import_paths(store, [tmp_path / "data"], Settings())
        first = store.get(next(a.uuid for a in store.iter_articles() if a.source == "wire_a"))
        _build(store, tmp_path / "site")
    page = (tmp_path / "site" / "posts" / first.uuid / "index.html").read_text()
    assert "2025-02-07 16:37:50" in page  # site zone (Asia/Shanghai), as given
    assert 'href="https://news.example.com/articles/1"' in page and "Also reported by" in page and "wire_b" in page
    assert 'href="../../tags/wire_a/"' in page


def test_hostile_titles_bodies_and_names_cannot_script_or_escape_the_folder(sqlite_url, tmp_path):
    write_data(tmp_path / "data" / "x" / "news.json", [HOSTILE])
    with Store(sqlite_url) as store:
        import_paths(store, [tmp_path / "data"], Settings())
        _build(store, tmp_path / "site")
    site = tmp_path / "site"
    for path in site.rglob("*.html"):
        text = path.read_text()
        assert "<script>window" not in text and "onerror=" not in text and "javascript:" not in text and "<iframe" not in text
    assert all(p.resolve().is_relative_to(site.resolve()) for p in site.rglob("*"))
    assert slugify("../../etc/passwd") == "etc-passwd" and slugify("///") .startswith("t-")
    assert not feedparser.parse((site / "index.xml").read_text()).bozo


def test_a_build_after_new_articles_rewrites_only_what_changed_and_equals_a_full_build(sqlite_url, tmp_path):
    records = [record(n, title=f"新闻 {n}", pub_date=f"2025-02-0{1 + n % 9} 10:00:00") for n in range(30)]
    write_data(tmp_path / "one" / "wire" / "news.json", records[:25])
    write_data(tmp_path / "two" / "wire" / "news.json", records[25:])
    with Store(sqlite_url) as store:
        import_paths(store, [tmp_path / "one"], Settings())
        _build(store, tmp_path / "site")
        import_paths(store, [tmp_path / "two"], Settings())
        again = _build(store, tmp_path / "site")
        _build(store, tmp_path / "fresh")
    assert 0 < again["written"] < again["pages"] and again["unchanged"] > 0
    assert _tree(tmp_path / "site") == _tree(tmp_path / "fresh")
    mismatch = filecmp.cmpfiles(tmp_path / "site", tmp_path / "fresh", sorted(_tree(tmp_path / "fresh")), shallow=False)[1]
    assert mismatch == []


def test_a_theme_folder_overrides_templates_and_the_cli_reports_counts(sqlite_url, tmp_path):
    write_data(tmp_path / "data" / "wire" / "news.json", [record(1)])
    newsdesk("import", str(tmp_path / "data"), db=sqlite_url, check=True)
    theme = tmp_path / "theme"
    theme.mkdir()
    (theme / "404.html").write_text("custom not found\n")
    result = newsdesk("build", str(tmp_path / "site"), "--theme", str(theme), "--json", db=sqlite_url, check=True)
    counts = json.loads(result.stdout)
    assert counts["pages"] == counts["written"] > 5
    assert (tmp_path / "site" / "404.html").read_text() == "custom not found\n"
    bad = newsdesk("build", str(tmp_path / "x"), "--theme", str(tmp_path / "nope"), db=sqlite_url)
    assert bad.returncode == 2
