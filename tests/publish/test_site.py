"""The built-in static site, built from real SQLite files."""

from __future__ import annotations

import filecmp
import json
import os
import re
import sqlite3
from contextlib import closing
from datetime import UTC, datetime
from pathlib import Path

import feedparser
import pytest

from newsdesk.config import Settings
from newsdesk.pipeline import import_paths
from newsdesk.publish.lists import page_span, sealed_pages
from newsdesk.publish.manifest import MANIFEST
from newsdesk.publish.site import build_site, list_pages, pager, slugify
from newsdesk.store import Store
from tests.conftest import newsdesk, record, write_data
from tests.web.helpers import PAGED

HOSTILE = record(
    99,
    title='<script>window.pwned=1</script>"标题" & <img src=x onerror=alert(1)>',
    description='<p>正文<script>window.pwned=1</script><img src="x" onerror="window.pwned=1">'
    '<a href="javascript:window.pwned=1">x</a><iframe src="https://evil.example"></iframe></p>',
    source="evil/../../etc",
)


def _build(store: Store, folder: Path, **options) -> dict:
    return build_site(store, folder, PAGED, **options).counts()


def _tree(folder: Path) -> set[str]:
    return {str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file()}


def test_pages_pager_tags_sources_feeds_and_sitemap(sqlite_url, tmp_path):
    write_data(
        tmp_path / "data" / "wire" / "news.json",
        [record(n, title=f"美联储第{n}次会议 Fed meeting {n}", pub_date=1738917470 + n) for n in range(25)],
    )
    with Store(sqlite_url) as store:
        import_paths(store, [tmp_path / "data"], Settings())
        counts = _build(store, tmp_path / "site", per_page=10)
    site = tmp_path / "site"
    files = _tree(site)
    assert {
        "index.html",
        "archive/2025/02/index.html",
        "archive/2025/02/page/1.html",
        "404.html",
        "sitemap.xml",
        "style.css",
        "widgets.html",
        "site.js",
        "index.xml",
        "atom.xml",
        "feed.json",
        "sources/example_source/index.html",
        "sources/example_source/index.xml",
    } <= files
    assert sum(f.startswith("posts/") for f in files) == 25
    assert all(f.count("/") == 1 and f.endswith(".html") for f in files if f.startswith("posts/"))  # no folder each
    assert counts["pages"] == len(files) - 1 and counts["written"] == counts["pages"]  # - the bookkeeping
    assert ".newsdesk-build.sqlite" in files and "search/front/docs.json" in files
    home = (site / "index.html").read_text()
    assert home.count('class="card"') == 10 and 'href="archive/2025/02/"' in home  # the newest, and the months
    assert 'data-src="widgets.html"' in home and 'name="q"' in home and 'src="site.js"' in home
    widgets = (site / "widgets.html").read_text()
    assert "最新 Recent" in widgets and "栏目与代码 Sections &amp; tickers" in widgets and 'href="posts/' in widgets
    # the month's pages, front to oldest by their "older" links: every article once, newest first
    chain = _chain(site, "archive/2025/02/")
    assert chain[-1] == "archive/2025/02/page/1.html" and len(chain) == len(set(chain)) >= 2
    month = {f for f in files if f.startswith("archive/2025/02/") and f.endswith(".html")}
    assert month == {p for p in chain if p.endswith(".html")} | {"archive/2025/02/index.html"}
    titles = [t for path in chain for t in re.findall(r"Fed meeting (\d+)<", _read(site, path))]
    assert titles == [str(n) for n in range(24, -1, -1)]
    assert (site / "archive/2025/02/index.html").read_text().count('class="card"') >= 10  # a page's worth at least
    archive = (site / "archive/2025/02/page/1.html").read_text()
    assert 'href="../../../../"' in archive and "Fed meeting 0<" in archive
    rss, atom = feedparser.parse((site / "index.xml").read_text()), feedparser.parse((site / "atom.xml").read_text())
    assert not rss.bozo and not atom.bozo and len(rss.entries) == len(atom.entries) == 20
    assert rss.entries[0].title.startswith("美联储第24次会议")
    assert len(json.loads((site / "feed.json").read_text())["items"]) == 20
    # a list gets feeds once it holds two pages' worth (20 articles here), not before
    lists = {f.removesuffix("index.html") for f in files if f.startswith(("tags/", "lang/")) and f.count("/") == 2}
    held = {base: sum(_read(site, path).count("data-uuid=") for path in _chain(site, base)) for base in lists}
    assert lists and all((f"{base}index.xml" in files) == (held[base] >= 20) for base in lists)
    assert any(n >= 20 for n in held.values()) and any(n < 20 for n in held.values())
    sitemap = (site / "sitemap.xml").read_text()
    pages = "".join((site / name).read_text() for name in files if name.startswith("sitemap-"))
    listed = [f for f in files if f.startswith(("tags/", "sources/", "lang/", "archive/")) and f.endswith(".html")]
    assert "sitemap-posts-2025-02-07.xml" in sitemap and pages.count("<url>") == 25 + 2 + len(listed)  # home, search


def _read(site: Path, address: str) -> str:
    return (site / (address + "index.html" if address.endswith("/") else address)).read_text()


def _chain(site: Path, front: str) -> list[str]:
    """A static list's pages from its front page to its oldest, by their "older" links."""
    chain = [front]
    while found := re.search(r'class="next" rel="next" href="([^"]+)"', _read(site, chain[-1])):
        here = Path(chain[-1] if chain[-1].endswith("/") else chain[-1].rsplit("/", 1)[0] + "/")
        chain.append(os.path.normpath(here / found.group(1)))
        assert len(chain) < 100
    return chain


def test_an_article_page_has_date_source_tags_original_and_also_reported_by(sqlite_url, tmp_path):
    story = "<p>" + "美国劳工部公布的数据显示，1月非农就业人数增加14.3万人，低于市场预期。失业率降至4.0%。" * 3 + "</p>"
    write_data(
        tmp_path / "data" / "a" / "news.json",
        [
            record(
                1,
                title="美国1月非农就业人数增加14.3万人",
                description=story,
                source="wire_a",
                pub_date="2025-02-07 16:37:50",
            )
        ],
    )
    write_data(
        tmp_path / "data" / "b" / "news.json", [record(2, description=story + "<p>免责声明</p>", source="wire_b")]
    )
    with Store(sqlite_url) as store:
        import_paths(store, [tmp_path / "data"], Settings())
        first = store.get(next(a.uuid for a in store.iter_articles() if a.source == "wire_a"))
        _build(store, tmp_path / "site")
    page = (tmp_path / "site" / "posts" / f"{first.uuid}.html").read_text()
    assert "2025-02-07 16:37:50" in page  # site zone (Asia/Shanghai), as given
    assert 'href="https://news.example.com/articles/1"' in page and "Also reported by" in page and "wire_b" in page
    assert "<li>wire_a</li>" not in page and "宏观 Macro" in page  # sections and tickers shown, not keywords


def test_hostile_titles_bodies_and_names_cannot_script_or_escape_the_folder(sqlite_url, tmp_path):
    write_data(tmp_path / "data" / "x" / "news.json", [HOSTILE])
    with Store(sqlite_url) as store:
        import_paths(store, [tmp_path / "data"], Settings())
        _build(store, tmp_path / "site")
    site = tmp_path / "site"
    for path in site.rglob("*.html"):
        text = path.read_text()
        assert (
            "<script>window" not in text
            and "onerror=" not in text
            and "javascript:" not in text
            and "<iframe" not in text
        )
    assert all(p.resolve().is_relative_to(site.resolve()) for p in site.rglob("*"))
    assert slugify("../../etc/passwd").startswith("etc-passwd~") and slugify("///").startswith("t-")
    assert not feedparser.parse((site / "index.xml").read_text()).bozo


def test_a_build_after_new_articles_rewrites_only_what_changed_and_equals_a_full_build(sqlite_url, tmp_path):
    words = (
        "央行 利率 通胀 就业 原油 黄金 美元 欧元 日元 港股 美股 债券 基金 芯片 电池 汽车 地产 银行 保险 消费".split()
    )

    def body(n: int) -> str:
        return "<p>" + "，".join(words[(n * 7 + k * k) % len(words)] + f"{n * 13 + k}" for k in range(12)) + "。</p>"

    records = [
        record(
            n, title=f"新闻 {n}", description=body(n), pub_date=f"2025-02-0{1 + n // 20} 10:{n // 60:02d}:{n % 60:02d}"
        )
        for n in range(120)
    ]
    write_data(tmp_path / "one" / "wire" / "news.json", records[:115])
    write_data(tmp_path / "two" / "wire" / "news.json", records[115:])
    late = record(999, title="新闻 迟到", description=body(99), pub_date="2025-02-02 10:00:25")  # one of last week's
    write_data(tmp_path / "three" / "wire" / "news.json", [late])
    with Store(sqlite_url) as store:
        import_paths(store, [tmp_path / "one"], Settings())
        first = _build(store, tmp_path / "site")
        import_paths(store, [tmp_path / "two"], Settings())
        rendered: list[str] = []
        again = _build(store, tmp_path / "site", on_page=rendered.append)
        _build(store, tmp_path / "fresh")
        assert _same(tmp_path / "site", tmp_path / "fresh")
        import_paths(store, [tmp_path / "three"], Settings())
        backdated: list[str] = []
        _build(store, tmp_path / "site", on_page=backdated.append)
        _build(store, tmp_path / "fresh-late")
        assert _same(tmp_path / "site", tmp_path / "fresh-late")
        smaller = _build(store, tmp_path / "site", per_page=25)  # other settings: everything again, stale pages go
        _build(store, tmp_path / "fresh-25", per_page=25)
    # 5 new articles: their pages, the front pages and newest archive pages of their lists,
    # feeds, widgets, search index and sitemap; not the other 115 articles' pages.
    assert 0 < again["written"] <= again["rendered"] == len(rendered) < first["pages"]
    assert sum(p.startswith("posts/") for p in rendered) == 5
    archive = sorted(_tree(tmp_path / "fresh-late" / "archive/2025/02/page"))
    assert len(archive) >= 8  # the month has several archive pages
    # the newest articles touch the front and the archive pages next to it, at most two
    assert len([p for p in rendered if p.startswith("archive/2025/02/page/")]) <= 2
    # one article of last week: the page it lands in and its neighbours at most, not every page after it
    assert 1 <= len([p for p in backdated if p.startswith("archive/2025/02/page/")]) <= 3
    assert "archive/2025/02/index.html" not in backdated and sum(p.startswith("posts/") for p in backdated) == 1
    assert _same(tmp_path / "site", tmp_path / "fresh-25") and smaller["removed"] > 0
    assert smaller["rendered"] == smaller["pages"]


def _same(one: Path, other: Path) -> bool:
    """The same files with the same bytes, and the same pages in the build's bookkeeping."""
    names = sorted(_tree(other) - {MANIFEST})
    pages = [_pages(folder / MANIFEST) for folder in (one, other)]
    same_files = filecmp.cmpfiles(one, other, names, shallow=False)[1:] == ([], [])
    return _tree(one) == _tree(other) and same_files and pages[0] == pages[1]


def _pages(manifest: Path) -> list[tuple[str, str, str | None]]:
    with closing(sqlite3.connect(manifest)) as db:
        return db.execute("SELECT path, key, sitemap FROM pages ORDER BY path").fetchall()


@pytest.mark.slow  # several command-line processes
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


def test_archive_pages_count_from_the_oldest_so_new_articles_leave_full_pages_alone():
    assert list_pages(0, 10) == [(0, 0, 0)]
    assert list_pages(19, 10) == [(0, 0, 19)]
    assert list_pages(20, 10) == [(0, 0, 10), (1, 10, 20)]
    assert list_pages(35, 10) == [(0, 0, 15), (2, 15, 25), (1, 25, 35)]
    # Ten more articles: the old pages keep their articles, one archive page is added.
    assert list_pages(45, 10)[-2:] == [(2, 25, 35), (1, 35, 45)]
    # a served page finds its span without the list of every page (a million articles: 50,000)
    for count, least in ((0, None), (35, None), (45, None), (1_000_003, None), (7, 1), (26, 1)):
        pages = list_pages(count, 10, least=least)
        assert sealed_pages(count, 10, least=least) == len(pages) - 1
        assert [(n, *page_span(count, 10, n, least=least)) for n, _, _ in pages] == pages
    links = {k: v for k, v in pager("tags/x/", 0, 2).items() if k in ("number", "previous", "next")}
    assert links == {"number": 0, "previous": None, "next": "tags/x/page/2.html"}
    assert pager("tags/x/", 2, 2)["previous"] == "tags/x/" and pager("tags/x/", 2, 2)["next"] == "tags/x/page/1.html"
    assert pager("tags/x/", 1, 2)["previous"] == "tags/x/page/2.html" and pager("tags/x/", 1, 2)["next"] is None
    assert pager("", 0, 0)["previous"] is None and pager("", 0, 0)["next"] is None and pager("", 0, 0)["pages"] == []


def test_numbered_pages_reach_one_up_two_down_and_the_first():
    numbers = lambda number, sealed: [n for n, _ in pager("", number, sealed)["pages"]]  # noqa: E731
    assert numbers(0, 9) == [9, 8, 7, 0, 1]  # the front page: the newest archive pages, a gap, page 1
    assert numbers(5, 9) == [6, 5, 4, 3, 0, 1]
    assert numbers(3, 9) == [4, 3, 2, 1]
    assert pager("tags/x/", 5, 9)["pages"][0] == (6, "tags/x/page/6.html")
    # A new archive page (10) changes only the numbers of the page before it.
    assert [numbers(n, 9) == numbers(n, 10) for n in range(1, 10)] == [True] * 8 + [False]


def test_an_undated_article_says_first_seen_and_feeds_date_it_when_first_seen(sqlite_url, tmp_path):
    write_data(
        tmp_path / "data" / "wire" / "news.json",
        [record(1, pub_date="2025-02-07 16:37:50"), record(2, title="无日期的文章 undated", pub_date=None)],
    )
    with Store(sqlite_url) as store:
        import_paths(store, [tmp_path / "data"], Settings())
        undated = next(a for a in store.iter_articles() if not a.dated)
        _build(store, tmp_path / "site")
    site = tmp_path / "site"
    page = (site / f"posts/{undated.uuid}.html").read_text()
    assert "first seen <time" in page
    dated_page = next(p for p in (site / "posts").glob("*.html") if undated.uuid not in str(p)).read_text()
    assert "first seen" not in dated_page
    home = (site / "index.html").read_text()
    assert home.index("无日期的文章") < home.index("测试新闻标题 1")  # sorted by when it was first seen: now
    rss = feedparser.parse((site / "index.xml").read_text())
    entry = next(e for e in rss.entries if e.title.startswith("无日期"))
    seen = undated.first_seen.replace(microsecond=0)
    assert datetime(*entry.published_parsed[:6], tzinfo=UTC) == seen and not rss.bozo, "every item has a date"
    item = next(i for i in json.loads((site / "feed.json").read_text())["items"] if i["title"].startswith("无日期"))
    assert datetime.fromisoformat(item["date_published"]) == undated.first_seen
    atom = feedparser.parse((site / "atom.xml").read_text())
    assert "published" not in next(e for e in atom.entries if e.title.startswith("无日期")), "Atom: updated only"


def test_flashes_are_timeline_rows_and_card_summaries_end_at_a_boundary(sqlite_url, tmp_path):
    flash_text = "美国1月ADP就业人数增加18.3万人，预期15万人，前值12.2万人。"
    article = (
        "<p>"
        + "Treasury yields climbed on Friday as traders weighed stronger payrolls data and the outlook. " * 3
        + "</p>"
    )
    write_data(
        tmp_path / "data" / "wire" / "news.json",
        [
            record(1, title="", description=f"<p>{flash_text}</p>", kind=2),
            record(2, title="Yields climb", description=article),
        ],
    )
    with Store(sqlite_url) as store:
        import_paths(store, [tmp_path / "data"], Settings())
        _build(store, tmp_path / "site")
    home = (tmp_path / "site" / "index.html").read_text()
    flash = home[home.index('<article class="flash" ') :].split("</article>")[0]
    assert "美国1月ADP就业人数增加18.3万人" in flash and "<h2>" not in flash and home.count(flash_text[:10]) == 1
    card = home[home.index('<article class="card" ') :].split("</article>")[0]
    summary = card.split('<p class="summary">')[1].split("</p>")[0]
    text = article.removeprefix("<p>")
    cut = summary.removesuffix("…")
    assert summary.endswith("…") and text.startswith(cut) and text[len(cut)] in " ,.;"  # cut between words


def test_article_headings_sit_under_the_page_title_without_skipping_levels():
    from newsdesk.publish.templating import outline

    assert outline('<h4>a</h4><p>x</p><h6 class="y">b</h6><h3>c</h3><h4>d</h4>') == (
        '<h2>a</h2><p>x</p><h3 class="y">b</h3><h2>c</h2><h3>d</h3>'
    )
    assert outline("<h1>t</h1><h1>u</h1>") == "<h2>t</h2><h2>u</h2>"
    assert outline("<p>h1 in text</p>") == "<p>h1 in text</p>"


def test_compiled_templates_are_kept_apart_by_the_options_they_compile_with(tmp_path, monkeypatch):
    """Jinja keys its bytecode cache by a template's source alone: a change of options
    (an upgrade, say) must not render with templates compiled under the old ones."""
    import tempfile

    from newsdesk.publish import templating

    theme = tmp_path / "theme"
    theme.mkdir()
    (theme / "line.html").write_text("a line\n", encoding="utf-8")
    (tmp_path / "tmp").mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "tmp"))  # the cache's folder: this test's own
    assert templating.environment(theme).get_template("line.html").render() == "a line\n"
    monkeypatch.setattr(templating, "_OPTIONS", {"keep_trailing_newline": False})
    assert templating.environment(theme).get_template("line.html").render() == "a line"


def test_distinct_names_get_distinct_slugs():
    names = [
        "fx168",
        "fx168.",
        "fx168-",
        "FX168",
        "fx168 ",
        ".fx168",
        "fx168..",
        "fx 168",
        "fx-168",
        "fx168/x",
        "fx168~",
    ]
    slugs = [slugify(name) for name in names]
    assert len(set(slugs)) == len(names) and slugify("fx168") == "fx168" and slugify("BRK.B") == "BRK.B"
    assert all("/" not in s and ".." not in s and not s.startswith(".") for s in slugs)


def test_a_look_alike_source_gets_its_own_folder_and_leaves_the_real_one_alone(sqlite_url, tmp_path):
    real = [record(n, source="fx168", title=f"fx168 快讯 {n}", pub_date=1738917470 + n) for n in range(12)]
    write_data(tmp_path / "data" / "fx168" / "news.json", real)
    with Store(sqlite_url) as store:
        import_paths(store, [tmp_path / "data"], Settings())
        _build(store, tmp_path / "site")
        before = {p for p in _tree(tmp_path / "site") if p.startswith("sources/fx168/")}
        fake = [record(100 + n, source="fx168.", title=f"imposter {n}", pub_date=1738927470 + n) for n in range(3)]
        write_data(tmp_path / "more" / "x" / "news.json", fake)
        import_paths(store, [tmp_path / "more"], Settings())
        _build(store, tmp_path / "site")  # an update build
    after = _tree(tmp_path / "site")
    assert before <= after  # nothing of fx168's was removed
    own = (tmp_path / "site" / "sources" / "fx168" / "index.html").read_text()
    assert "imposter" not in own and "fx168 快讯 11" in own
    imposter = tmp_path / "site" / "sources" / slugify("fx168.") / "index.html"
    assert "imposter" in imposter.read_text() and slugify("fx168.") != "fx168"
