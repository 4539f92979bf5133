"""Hugo export: the seed page byte for byte, safe front matter, and real Hugo builds."""

import shutil
import subprocess
from dataclasses import replace
from pathlib import Path

import pytest
import yaml

from newsdesk.config import Settings
from newsdesk.pipeline import import_paths
from newsdesk.publish.hugo import export_hugo, render_page, slug
from newsdesk.store import Store
from tests.conftest import SEED_PAGE, SEED_RECORD, article, newsdesk, record, write_data

HUGO = shutil.which("hugo")
needs_hugo = pytest.mark.skipif(HUGO is None, reason="hugo is not installed (make test installs the Debian package)")


def front_matter(page: str) -> dict:
    return yaml.safe_load(page.split("---\n")[1])


def test_seed_record_exports_to_the_seed_page(shared, tmp_path):
    db = f"sqlite:///{tmp_path / 'seed.db'}"
    newsdesk("import", str(SEED_RECORD), db=db, check=True)
    newsdesk("export", "hugo", str(tmp_path / "site"), db=db, check=True)
    (page,) = (tmp_path / "site" / "content" / "posts").iterdir()
    assert page.read_bytes() == SEED_PAGE.read_bytes()


@pytest.mark.parametrize(
    "title",
    [
        'He said "no" \\ twice',
        "line\nbreak\ttab",
        "colon: # hash - dash",
        "\u2028sep\u0085nel\x7fdel",
        "'single'",
        "---",
    ],
)
def test_front_matter_survives_hostile_titles(title):
    page = render_page(replace(article(1), title=title, summary=title), Settings())
    meta = front_matter(page)
    assert meta["title"] == title and meta["summary"] == title
    assert meta["widgets"] == ["search", "recent", "taglist"] and meta["comments"] is False


def test_source_link_cannot_break_out_of_markdown():
    page = render_page(replace(article(1), link="https://e.com/a (b)"), Settings())
    assert page.endswith("[example](https://e.com/a%20%28b%29)\n")


def test_slugs_are_the_uuid_and_refuse_anything_else():
    assert slug(article(5)) == f"{5:032x}"
    with pytest.raises(ValueError):
        slug(replace(article(5), uuid="../../etc/passwd"))


def test_dates_are_written_in_the_site_zone():
    page = render_page(article(1), Settings(site_timezone="America/New_York"))
    assert front_matter(page)["date"] == "2025-02-07 03:37:50"


def _import(db_url: str, folder: Path, records: list) -> None:
    write_data(folder / "list.json", records)
    with Store(db_url) as store:
        import_paths(store, [folder], Settings())


def _hugo_build(site: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [HUGO, "-s", str(site), "-d", str(site / "public")], capture_output=True, text=True, timeout=600
    )


@needs_hugo
def test_real_hugo_builds_one_page_per_article(sqlite_url, tmp_path):
    nasty = record(4, title='引号 "quoted" & a < b > c', description="<p>*stars* _under_ {{ .Site }}</p>")
    _import(sqlite_url, tmp_path / "in", [record(1), record(2), record(3, description=""), nasty])
    with Store(sqlite_url) as store:
        assert export_hugo(store.iter_articles(), tmp_path / "site", Settings()) == 4
    result = _hugo_build(tmp_path / "site")
    assert result.returncode == 0, result.stderr
    pages = sorted((tmp_path / "site" / "public" / "posts").glob("*/index.html"))
    assert len(pages) == 4
    assert any("引号 &#34;quoted&#34; &amp; a &lt; b &gt; c" in p.read_text() for p in pages)


@needs_hugo
def test_shortcodes_in_article_text_stay_text(sqlite_url, tmp_path):
    """{{< ref >}} in one article broke the whole build; {{< gist >}} injected a script."""
    hostile = [
        record(1, description='<p>see {{< ref "nowhere" >}} and {{% unknown %}}</p>'),
        record(2, description="<p>{{< gist someone 1234 >}}</p><pre><code>{{< ref x >}}</code></pre>"),
        record(3, description="<p>open {{&lt; and {{&lt;/* half and {{% too</p>"),
        record(4),
    ]
    _import(sqlite_url, tmp_path / "in", hostile)
    with Store(sqlite_url) as store:
        assert export_hugo(store.iter_articles(), tmp_path / "site", Settings()) == 4
    result = _hugo_build(tmp_path / "site")
    assert result.returncode == 0, result.stderr
    pages = {p.parent.name: p.read_text() for p in (tmp_path / "site" / "public" / "posts").glob("*/index.html")}
    text = "".join(pages.values())
    assert "<script" not in text and "gist.github.com" not in text
    assert "{{&lt; ref &ldquo;nowhere&rdquo; &gt;}}" in text and "{{% unknown %}}" in text
    assert "{{&lt; ref x &gt;}}" in text  # in code as well
    assert "open {{&lt; and {{&lt;/* half and {{% too" in text


@needs_hugo
@pytest.mark.slow
@pytest.mark.xdist_group("corpus")
def test_whole_corpus_export_builds_with_hugo(corpus_db, tmp_path):
    db, _ = corpus_db
    exported = newsdesk("export", "hugo", str(tmp_path / "site"), "--json", db=db, check=True)
    pages = int(exported.stdout.split('"pages": ')[1].split(",")[0])
    result = _hugo_build(tmp_path / "site")
    assert result.returncode == 0, result.stderr[-2000:]
    built = list((tmp_path / "site" / "public" / "posts").glob("*/index.html"))
    assert len(built) == pages == 13_765
