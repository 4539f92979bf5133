"""Site build benchmark: `newsdesk build` against real Hugo on the same articles (not a test).

1. Hugo: `newsdesk export hugo --tags real` plus a minimal theme written here with the
   same page set as newsdesk's site — article pages, the home list paginated as newsdesk's
   lists are (``--per-page``, default the ``site.per_page`` setting), tag
   pages, and on every page a sidebar with the 10 most recent articles and the 40 most
   used tags (a `partialCached` partial, computed once) — then `hugo` into a fresh folder.
2. newsdesk: `newsdesk build` into a fresh folder (which writes more: source and
   language lists, RSS/Atom/JSON Feed per tag and source, the static search index).
3. Update builds: 10 new articles imported, then `newsdesk build` into the same folder,
   three times; then three times 10 back-dated ones (published at random in the middle
   of what the store holds, in its biggest source: an import of older news).

Wall time and peak RSS of each child process (os.wait4), and their ratios. The
full builds run ``--repeat`` times, Hugo and newsdesk in turn, each into a fresh
folder after a ``sync`` (file creation dominates both and the disk's cost varies
from run to run); the median of each is reported. The update builds are 3 rounds
of 10 new articles and 3 of 10 back-dated ones, each measured.

    python benchmarks/build_site.py --db sqlite:///newsdesk.db     # a database holding the corpus
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

LAYOUTS = {
    "_default/baseof.html": """<!DOCTYPE html><html><head><meta charset="utf-8"><title>{{ .Title }}</title></head><body>
<main>{{ block "main" . }}{{ end }}</main>
{{ partialCached "sidebar.html" . }}
</body></html>
""",
    # Cached once for the whole site, as a Hugo theme author would: the sidebar is the same on every page.
    "partials/sidebar.html": """<aside><h4>Recent</h4><ul>{{ range first 10 .Site.RegularPages.ByDate.Reverse }}
<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}</ul>
<h4>Tags</h4><ul>{{ range first 40 .Site.Taxonomies.tags.ByCount }}
<li><a href="{{ .Page.RelPermalink }}">{{ .Page.Title }}</a> {{ .Count }}</li>{{ end }}</ul></aside>
""",
    "_default/single.html": """{{ define "main" }}<article><h1>{{ .Title }}</h1>
<time>{{ .Date.Format "2006-01-02 15:04:05" }}</time>
{{ .Content }}<ul>{{ range .Params.tags }}<li>{{ . }}</li>{{ end }}</ul></article>{{ end }}
""",
    "_default/list.html": """{{ define "main" }}<h1>{{ .Title }}</h1>{{ range .Paginator.Pages }}
<article><h2><a href="{{ .RelPermalink }}">{{ .Title }}</a></h2>
<p>{{ .Date.Format "2006-01-02 15:04" }} · {{ .Summary }}</p></article>{{ end }}
{{ with .Paginator.Prev }}<a href="{{ .URL }}">prev</a>{{ end }}
{{ with .Paginator.Next }}<a href="{{ .URL }}">next</a>{{ end }}{{ end }}
""",
}


def run(command: list[str]) -> dict[str, object]:
    """Run ``command``; its wall time, peak RSS (MB) and standard output."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        child = subprocess.Popen(command, stdout=out, stderr=err)
        _, status, usage = os.wait4(child.pid, 0)
        wall = time.perf_counter() - start
        out.seek(0)
        err.seek(0)
        if os.waitstatus_to_exitcode(status) != 0:
            raise SystemExit(f"{' '.join(command)} failed: {err.read().decode()[-2000:]}")
        return {"wall": wall, "rss": usage.ru_maxrss / 1024, "out": out.read().decode()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--db", required=True, help="database holding the imported corpus (copied, never changed)")
    parser.add_argument("--repeat", type=int, default=3, help="full builds of each (median reported)")
    parser.add_argument("--per-page", type=int, help="articles per list page, both (default: site.per_page)")
    parser.add_argument("--no-hugo", action="store_true", help="newsdesk's builds only (one full, then the updates)")
    args = parser.parse_args()
    from newsdesk.config import Settings

    per_page = args.per_page or Settings().site_per_page
    newsdesk = [sys.executable, "-m", "newsdesk"]
    with tempfile.TemporaryDirectory() as tmp:
        tmp_path = Path(tmp)
        db = args.db
        if db.startswith("sqlite:///"):
            copy = tmp_path / "bench.db"
            with sqlite3.connect(db.removeprefix("sqlite:///")) as source, sqlite3.connect(copy) as target:
                source.backup(target)
            db = f"sqlite:///{copy}"
        subprocess.run(
            [*newsdesk, "--db", db, "export", "hugo", str(tmp_path / "hugo"), "--tags", "real"],
            check=True,
            capture_output=True,
        )
        config = tmp_path / "hugo" / "config.toml"
        lines = config.read_text(encoding="utf-8").splitlines()
        paged = [f"paginate = {per_page}" if line.startswith("paginate =") else line for line in lines]
        config.write_text("\n".join(paged) + "\n", encoding="utf-8")
        for name, text in LAYOUTS.items():
            target = tmp_path / "hugo" / "layouts" / name
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8")
        hugos, ours = [], []
        for n in range(1 if args.no_hugo else args.repeat):
            os.sync()
            hugo = ["hugo", "-s", str(tmp_path / "hugo"), "-d", str(tmp_path / f"hugo-public-{n}"), "--quiet"]
            hugos.append(run(hugo if not args.no_hugo else ["mkdir", "-p", hugo[4]]))
            os.sync()
            build = [*newsdesk, "--db", db, "build", "--per-page", str(per_page), "--json"]
            ours.append(run([*build, str(tmp_path / f"public-{n}")]))
        updates, spread = [], _spread(db)
        for round_ in range(6):
            late = round_ >= 3  # back-dated: from the middle of what the store holds, a big source's
            new = [
                {
                    "link": f"https://bench.example.com/new/{round_}/{n}",
                    "title": f"{_words(round_ * 100 + n, 8)} {n}",
                    "description": f"<p>{_words(round_ * 100 + n + 50, 120)}</p>",  # stories of their own
                    "source": spread["source"] if late else "bench",
                    "pub_date": spread["times"][round_ * 10 + n] if late else int(time.time()) + round_ * 60,
                }
                for n in range(10)
            ]
            data = tmp_path / f"new-{round_}.jsonl"
            data.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in new), encoding="utf-8")
            subprocess.run([*newsdesk, "--db", db, "import", str(data)], check=True, capture_output=True)
            os.sync()
            updates.append(run([*build, str(tmp_path / "public-0")]))
        hugo_files = sum(1 for p in (tmp_path / "hugo-public-0").rglob("*") if p.is_file())
        ours_files = sum(1 for p in (tmp_path / "public-0").rglob("*") if p.is_file())
        disk = {name: _disk(tmp_path / name) for name in ("hugo-public-0", "public-0")}
        articles = _articles(db)
    hugo, mine = _median(hugos), _median(ours)
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}")
    print(f"lists paged at {per_page} articles, both")
    print(f"full builds: {args.repeat} each, in turn; wall s: hugo {_walls(hugos)}, newsdesk {_walls(ours)}")
    print(f"{'build':<24} {'wall s':>8} {'peak RSS MB':>12}  output")
    print(f"{'hugo (same page set)':<24} {hugo['wall']:>8.2f} {hugo['rss']:>12.0f}  {hugo_files} files")
    print(f"{'newsdesk build':<24} {mine['wall']:>8.2f} {mine['rss']:>12.0f}  {mine['out'].strip()}")
    for n, update in enumerate(updates, 1):
        what = "+10 newest" if n <= 3 else "+10 back-dated"
        print(f"{f'update {n} ({what})':<24} {update['wall']:>8.2f} {update['rss']:>12.0f}  {update['out'].strip()}")
    for name, label, files in (("hugo-public-0", "hugo", hugo_files), ("public-0", "newsdesk", ours_files)):
        print(
            f"{label}: {files} files, {disk[name] / 1e6:.0f} MB on disk for {articles} articles: "
            f"{files / articles:.2f} files and {disk[name] / articles / 1024:.1f} KiB an article"
        )
    print(
        f"ratio newsdesk/hugo (medians): wall {mine['wall'] / hugo['wall']:.2f}x, peak memory "
        f"{mine['rss'] / hugo['rss']:.2f}x"
    )


def _words(seed: int, size: int) -> str:
    """CJK text no other seed's shares (new stories, not near-duplicates of each other)."""
    rng = random.Random(seed)
    return "".join(chr(rng.randrange(0x4E00, 0x9FA5)) for _ in range(size))


def _spread(db: str) -> dict[str, object]:
    """The store's biggest source and 60 times spread over the middle of what it holds."""
    import sqlalchemy as sa

    from newsdesk.store import Store

    with Store(db) as store, store.engine.connect() as conn:
        span = store.time_span()
        top = sa.text("SELECT source FROM articles GROUP BY source ORDER BY count(*) DESC LIMIT 1")
        source = conn.execute(top).scalar()
    assert span is not None
    first, last = (moment.timestamp() for moment in span)
    rng = random.Random(7)
    return {"source": source, "times": [int(first + (last - first) * rng.uniform(0.1, 0.9)) for _ in range(60)]}


def _disk(folder: Path) -> int:
    """Bytes the folder takes on disk (blocks, as du counts them)."""
    return int(subprocess.run(["du", "-s", "-B1", str(folder)], capture_output=True, text=True).stdout.split()[0])


def _articles(db: str) -> int:
    from newsdesk.store import Store

    with Store(db) as store:
        return store.count()


def _median(runs: list[dict[str, object]]) -> dict[str, object]:
    return sorted(runs, key=lambda r: r["wall"])[len(runs) // 2]


def _walls(runs: list[dict[str, object]]) -> str:
    return " ".join(f"{r['wall']:.1f}" for r in runs)


if __name__ == "__main__":
    main()
