"""Update builds of the static site: whatever changed in the database (an article
dated in the past, a record changed, tags changed by a reindex), the folder ends as a
full build into an empty one leaves it; a build killed half-way or stopped by a full
disk is completed by the next."""

from __future__ import annotations

import json
import multiprocessing
import os
import signal
import sqlite3
import subprocess
from pathlib import Path

import pytest

from newsdesk.config import Settings
from newsdesk.errors import PublishError
from newsdesk.pipeline import import_paths
from newsdesk.publish.manifest import MANIFEST
from newsdesk.publish.site import build_site
from newsdesk.store import Store
from tests.conftest import newsdesk, noise, record, write_data
from tests.publish.test_site import _same, _tree


def _stories(numbers: range, **fields) -> list[dict]:
    return [
        record(
            n,
            title=f"第{n}号 market story {n}",
            description=f"<p>{noise(n, 120)}</p>",
            pub_date=1738917470 + n * 600,
            source=f"wire_{n % 3}",
            **fields,
        )
        for n in numbers
    ]


def _import(store: Store, folder: Path, records: list[dict]) -> None:
    write_data(folder / "wire" / "news.json", records)
    import_paths(store, [folder], Settings())


def _equal_to_full(store: Store, site: Path, fresh: Path) -> dict:
    report = build_site(store, site, Settings()).counts()
    build_site(store, fresh, Settings())
    assert _same(site, fresh)
    return report


def test_backdated_changed_and_retagged_articles_give_the_full_build(sqlite_url, tmp_path):
    with Store(sqlite_url) as store:
        _import(store, tmp_path / "a", _stories(range(100, 160)))
        _import(store, tmp_path / "a2", _stories(range(990, 991)))
        first = build_site(store, tmp_path / "site", Settings()).counts()
        # an article dated before all the others: every page of its lists moves by one
        _import(store, tmp_path / "b", _stories(range(5, 6)))
        report = _equal_to_full(store, tmp_path / "site", tmp_path / "f1")
        assert report["rendered"] < first["pages"] / 2
        # a record changed in place (new title), at the oldest end of its lists
        changed = _stories(range(100, 101))
        changed[0]["title"] = "改过的标题 a changed title"
        _import(store, tmp_path / "c", changed)
        _equal_to_full(store, tmp_path / "site", tmp_path / "f2")
        # tags changed by the enrichment (a reindex writes them with a new `updated`)
        # two articles: a tag with no page yet; a third: the page, and links on all three
        chosen = [a for a in store.iter_articles(bodies=False) if a.title.startswith(("第130号", "第131号", "第99"))]
        for article in chosen:
            article.tags = ["黄金", "retagged"]
        store.save_enrichment(chosen[:2])
        _equal_to_full(store, tmp_path / "site", tmp_path / "f3")
        assert not (tmp_path / "site" / "tags" / "retagged").exists()
        store.save_enrichment(chosen[2:])
        report = _equal_to_full(store, tmp_path / "site", tmp_path / "f4")
        assert (tmp_path / "site" / "tags" / "retagged" / "index.html").is_file()
        listed = (tmp_path / "site" / "tags" / "retagged" / "index.html").read_text()  # pages show sections, tickers
        assert all(f"posts/{a.uuid}.html" in listed for a in chosen)
        assert report["rendered"] < first["pages"] / 2


def _killed_build(url: str, site: Path, after: int) -> None:
    def on_page(_: str) -> None:
        nonlocal after
        after -= 1
        if after == 0:
            os.kill(os.getpid(), signal.SIGKILL)

    with Store(url) as store:
        build_site(store, site, Settings(output_workers=1), on_page=on_page)


def test_a_build_killed_half_way_is_completed_by_the_next(sqlite_url, tmp_path):
    with Store(sqlite_url) as store:
        _import(store, tmp_path / "a", _stories(range(100, 200)))
        build_site(store, tmp_path / "site", Settings())
        _import(store, tmp_path / "b", _stories(range(200, 240)))
    child = multiprocessing.get_context("fork").Process(target=_killed_build, args=(sqlite_url, tmp_path / "site", 30))
    child.start()
    child.join()
    assert child.exitcode == -signal.SIGKILL
    with Store(sqlite_url) as store:
        report = _equal_to_full(store, tmp_path / "site", tmp_path / "fresh")
    assert report["written"] > 0


@pytest.mark.slow  # mounts a file system, runs the command line
def test_a_full_disk_stops_the_build_clearly_and_the_next_one_completes(sqlite_url, tmp_path):
    folder = tmp_path / "small"
    folder.mkdir()
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", str(folder)], capture_output=True)
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a size-limited tmpfs here: {mounted.stderr.decode().strip()}")
    try:
        with Store(sqlite_url) as store:
            _import(store, tmp_path / "a", _stories(range(100, 400)))
        site = folder / "site"
        full = newsdesk("build", str(site), "--json", db=sqlite_url)
        assert full.returncode == 1 and "Traceback" not in full.stderr
        assert "error publish: cannot" in full.stderr and "No space left on device" in full.stderr, full.stderr
        subprocess.run(["mount", "-o", "remount,size=64m", str(folder)], check=True)  # space freed
        again = newsdesk("build", str(site), "--json", db=sqlite_url, check=True)
        assert json.loads(again.stdout)["pages"] > 300
        newsdesk("build", str(tmp_path / "fresh"), db=sqlite_url, check=True)
        assert _same(site, tmp_path / "fresh") and len(_tree(site)) > 300
    finally:
        subprocess.run(["umount", str(folder)], check=False)


def test_render_processes_build_the_same_site_and_their_failures_stop_the_build(sqlite_url, tmp_path, monkeypatch):
    """Pages rendered by forked processes while the build plans on: the same bytes as
    one process writes; a template failing in one of them fails the build, naming the
    page, with no render process left behind and nothing committed."""
    from newsdesk.publish import output

    monkeypatch.setattr(output, "FORK_MIN", 1)  # every chunk goes to the render processes
    monkeypatch.setattr(output, "FLUSH_PAGES", 7)  # many chunks: planning overlaps rendering
    with Store(sqlite_url) as store:
        _import(store, tmp_path / "data", _stories(range(60)))
        forked = build_site(store, tmp_path / "forked", Settings(output_workers=2, site_per_page=5))
        build_site(store, tmp_path / "single", Settings(output_workers=1, site_per_page=5))
        assert _same(tmp_path / "forked", tmp_path / "single") and forked.written == forked.pages > 100
        theme = tmp_path / "theme"
        theme.mkdir()
        (theme / "article.html").write_text("{{ article.title.nope() }}\n", encoding="utf-8")
        with pytest.raises(PublishError, match=r"cannot render posts/[0-9a-f]{32}\.html") as caught:
            build_site(store, tmp_path / "broken", Settings(output_workers=2), theme=theme)
    assert "Traceback" not in str(caught.value)
    assert not multiprocessing.active_children() and _children_of(os.getpid()) == []
    with sqlite3.connect(tmp_path / "broken" / MANIFEST) as manifest:  # nothing committed: the next build is full
        assert manifest.execute("SELECT count(*) FROM meta WHERE name = 'site'").fetchone() == (0,)


def _children_of(pid: int) -> list[str]:
    """Processes whose parent is ``pid`` (zombies included: a render process not waited for)."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.append(stat.parent.name)
    return found
