"""Top stories in the built site: the ranked list with its feeds and a page per story,
rewritten only where a story changed."""

from __future__ import annotations

import time

import feedparser
import sqlalchemy as sa

from newsdesk.config import Settings
from newsdesk.pipeline import import_paths
from newsdesk.publish.site import build_site
from tests.conftest import noise, record, write_data
from tests.store.test_story_links import EN_PFIZER, ZH_PFIZER, desk


def test_the_built_site_has_top_stories_and_rewrites_only_a_story_that_grew(tmp_path, open_store):
    store = open_store(f"sqlite:///{tmp_path}/n.db")
    desk(store, tmp_path)
    gold = ("黄金价格再创历史新高 突破每盎司2900美元", f"<p>{noise(77, 80)}</p>")
    items = [
        (1, ZH_PFIZER, "zh-CN", "wallstreetcn", 10),
        (2, EN_PFIZER, "en", "Reuters", 11),
        (3, gold, "zh-CN", "jin10", 12),
    ]
    records = [
        record(n, title=t, description=d, language=lang, source=src, pub_date=f"2025-02-04 20:{m}:00")
        for n, (t, d), lang, src, m in items
    ]
    import_paths(store, [write_data(tmp_path / "data" / "a.json", records)], Settings())
    pfizer = next(a.cluster for a in store.iter_articles() if a.link.endswith("/articles/1"))
    other = next(a.cluster for a in store.iter_articles() if a.link.endswith("/articles/3"))
    site = tmp_path / "site"
    build_site(store, site, Settings())
    top = (site / "stories" / "index.html").read_text(encoding="utf-8")
    assert f'href="../stories/{pfizer}/"' in top and 'href="../stories/"' in top
    page = (site / "stories" / pfizer / "index.html").read_text(encoding="utf-8")
    assert ZH_PFIZER[0] in page and EN_PFIZER[0] in page and 'href="../../posts/' in page
    assert 'href="stories/"' in (site / "index.html").read_text(encoding="utf-8"), "one click from the front page"
    feed = feedparser.parse((site / "stories" / "index.xml").read_text(encoding="utf-8"))
    assert not feed.bozo and any(e.link.endswith(f"/stories/{pfizer}/") for e in feed.entries)
    written = {path: path.stat().st_mtime_ns for path in (site / "stories").rglob("index.html")}
    time.sleep(0.05)
    copy = record(4, title=ZH_PFIZER[0], description=ZH_PFIZER[1], language="zh-HK", source="hkej",
                  pub_date="2025-02-04 20:40:00")  # fmt: skip
    import_paths(store, [write_data(tmp_path / "data" / "b.json", [copy])], Settings())
    build_site(store, site, Settings())
    changed = {path for path, before in written.items() if path.stat().st_mtime_ns != before}
    assert site / "stories" / pfizer / "index.html" in changed and site / "stories" / "index.html" in changed
    assert site / "stories" / other / "index.html" not in changed
    assert "hkej" in (site / "stories" / pfizer / "index.html").read_text(encoding="utf-8").lower()


def test_a_story_merged_into_another_keeps_its_address_in_the_built_site(tmp_path, open_store):
    store = open_store(f"sqlite:///{tmp_path}/n.db")
    gold = ("黄金价格再创历史新高 突破每盎司2900美元", f"<p>{noise(77, 80)}</p>")
    items = [(1, EN_PFIZER, "en", "Reuters"), (2, gold, "zh-CN", "jin10")]
    records = [record(n, title=t, description=d, language=lang, source=src) for n, (t, d), lang, src in items]
    import_paths(store, [write_data(tmp_path / "data" / "a.json", records)], Settings())
    site = tmp_path / "site"
    build_site(store, site, Settings())
    new, old = (next(a.cluster for a in store.iter_articles() if a.link.endswith(f"/{n}")) for n in (1, 2))
    assert (site / "stories" / old / "index.html").exists()
    with store.engine.begin() as conn:  # what linking does when an article joins the two (see store/links.py)
        conn.execute(sa.text("UPDATE articles SET cluster = :new WHERE cluster = :old"), {"new": new, "old": old})
        conn.execute(
            sa.text("INSERT INTO story_merges (old, new, merged) VALUES (:old, :new, '2025-02-07 09:00:00.000000')"),
            {"new": new, "old": old},
        )
    assert store.merged_into(old) == new
    build_site(store, site, Settings())
    moved = (site / "stories" / old / "index.html").read_text(encoding="utf-8")
    assert f'url=../{new}/"' in moved and f'href="../{new}/"' in moved
    assert (site / "stories" / new / "index.html").exists()
