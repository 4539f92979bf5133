"""A build's own bookkeeping, kept in the output folder (``.newsdesk-build.sqlite``):
every page's key and sitemap, every article's fingerprint and lists, every list's size,
and the mark of the last build (what an update build starts from).

It is a file of the build, not of the store (the articles' database is never written
by a build), so it uses the standard library's sqlite3. Changes are committed once,
after every page of the build is written: an interrupted build leaves the previous
build's bookkeeping, and the next build redoes the work."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

from newsdesk.errors import PublishError

__all__ = ["MANIFEST", "Manifest", "Remembered"]

MANIFEST = ".newsdesk-build.sqlite"

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS pages (
    path TEXT PRIMARY KEY, key TEXT NOT NULL, build INTEGER NOT NULL, sitemap TEXT
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS pages_sitemap ON pages (sitemap) WHERE sitemap IS NOT NULL;
CREATE INDEX IF NOT EXISTS pages_build ON pages (build);
CREATE TABLE IF NOT EXISTS entries (uuid TEXT PRIMARY KEY, print TEXT NOT NULL, published TEXT NOT NULL,
    groups TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS groups (kind TEXT NOT NULL, name TEXT NOT NULL, size INTEGER NOT NULL,
    PRIMARY KEY (kind, name)) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS groups_size ON groups (kind, size);
"""

# What the last build knew of an article: its fingerprint, its time (ISO) and its lists.
Remembered = tuple[str, str, list[tuple[str, str]]]


class Manifest:
    """The bookkeeping of the build into one folder (one open transaction per build)."""

    def __init__(self, folder: Path) -> None:
        self.path = folder / MANIFEST
        try:
            folder.mkdir(parents=True, exist_ok=True)
            try:
                self.db = self._open()
            except sqlite3.DatabaseError:  # not a manifest (damaged, or another file): start again
                self.path.unlink(missing_ok=True)
                self.db = self._open()
        except (OSError, sqlite3.Error) as exc:
            raise PublishError(f"cannot open the build's bookkeeping {self.path}: {exc}") from None

    def _open(self) -> sqlite3.Connection:
        db = sqlite3.connect(self.path, isolation_level=None)
        db.executescript(_SCHEMA)
        db.execute("PRAGMA journal_mode=WAL")
        db.execute("PRAGMA synchronous=NORMAL")
        db.execute("BEGIN")
        return db

    def meta(self, name: str, default: str = "") -> str:
        row = self.db.execute("SELECT value FROM meta WHERE name = ?", (name,)).fetchone()
        return str(row[0]) if row else default

    def set_meta(self, **values: object) -> None:
        self.db.executemany("INSERT OR REPLACE INTO meta VALUES (?, ?)", [(k, str(v)) for k, v in values.items()])

    # pages
    def key(self, path: str) -> str | None:
        row = self.db.execute("SELECT key FROM pages WHERE path = ?", (path,)).fetchone()
        return str(row[0]) if row else None

    def confirm(self, paths: Iterable[str], build: int) -> None:
        self.db.executemany("UPDATE pages SET build = ? WHERE path = ?", ((build, p) for p in paths))

    def save_pages(self, pages: Iterable[tuple[str, str, str | None]], build: int) -> list[str]:
        """Record ``(path, key, sitemap)`` of pages made by this build; returns the
        sitemaps they changed (a page new to one, or moved between two)."""
        pages = list(pages)
        old = dict(self._sitemaps([p for p, _, _ in pages]))
        self.db.executemany("INSERT OR REPLACE INTO pages VALUES (?, ?, ?, ?)", ((p, k, build, s) for p, k, s in pages))
        touched: set[str] = set()
        for path, _, sitemap in pages:
            if path not in old or old[path] != sitemap:
                touched.update(name for name in (old.get(path), sitemap) if name)
        return sorted(touched)

    def _sitemaps(self, paths: list[str]) -> Iterator[tuple[str, str | None]]:
        return self._where_in("SELECT path, sitemap FROM pages WHERE path IN ({})", paths)

    def _where_in(self, query: str, values: list[str], *before: object) -> Iterator[Any]:
        """Rows of ``query`` whose ``IN ({})`` takes ``values``, 500 at a time (SQLite's
        limit on parameters); ``before``: the parameters ahead of the list."""
        for start in range(0, len(values), 500):
            chunk = values[start : start + 500]
            yield from self.db.execute(query.format(",".join("?" * len(chunk))), (*before, *chunk))

    def paths_under(self, prefix: str) -> list[str]:
        """Paths of pages under ``prefix`` (a list's folder)."""
        high = prefix + "\U0010ffff"
        return [r[0] for r in self.db.execute("SELECT path FROM pages WHERE path >= ? AND path < ?", (prefix, high))]

    def stale(self, build: int) -> list[str]:
        """Pages no build since ``build`` made or confirmed."""
        return [r[0] for r in self.db.execute("SELECT path FROM pages WHERE build < ?", (build,))]

    def forget(self, paths: Iterable[str]) -> list[str]:
        """Drop pages; returns the sitemaps they were in."""
        paths = list(paths)
        touched = {s for _, s in self._sitemaps(paths) if s}
        self.db.executemany("DELETE FROM pages WHERE path = ?", ((p,) for p in paths))
        return sorted(touched)

    def sitemap_paths(self, sitemap: str) -> list[str]:
        return sorted(r[0] for r in self.db.execute("SELECT path FROM pages WHERE sitemap = ?", (sitemap,)))

    def sitemap_names(self) -> list[str]:
        return [r[0] for r in self.db.execute("SELECT DISTINCT sitemap FROM pages WHERE sitemap IS NOT NULL")]

    def page_count(self) -> int:
        return int(self.db.execute("SELECT count(*) FROM pages").fetchone()[0])

    # articles and lists
    def remembered(self, uuids: Iterable[str]) -> dict[str, Remembered]:
        query = "SELECT uuid, print, published, groups FROM entries WHERE uuid IN ({})"
        return {
            uuid: (stamp, published, [(kind, name) for kind, name in json.loads(groups)])
            for uuid, stamp, published, groups in self._where_in(query, list(uuids))
        }

    def remember(self, entries: Iterable[tuple[str, str, str, list[tuple[str, str]]]]) -> None:
        self.db.executemany(
            "INSERT OR REPLACE INTO entries VALUES (?, ?, ?, ?)",
            ((u, s, p, json.dumps(g, ensure_ascii=False)) for u, s, p, g in entries),
        )

    def forget_entries(self, uuids: Iterable[str]) -> None:
        self.db.executemany("DELETE FROM entries WHERE uuid = ?", ((u,) for u in uuids))

    def entry_uuids(self) -> set[str]:
        return {r[0] for r in self.db.execute("SELECT uuid FROM entries")}

    def clear_articles(self) -> None:
        """Forget every article and list (a full build writes them again)."""
        self.db.execute("DELETE FROM entries")
        self.db.execute("DELETE FROM groups")

    def sizes(self, kind: str | None = None) -> dict[tuple[str, str], int]:
        query, args = "SELECT kind, name, size FROM groups", ()
        if kind:
            query, args = query + " WHERE kind = ?", (kind,)  # type: ignore[assignment]
        return {(k, n): int(s) for k, n, s in self.db.execute(query, args)}

    def size(self, group: tuple[str, str]) -> int:
        row = self.db.execute("SELECT size FROM groups WHERE kind = ? AND name = ?", group).fetchone()
        return int(row[0]) if row else 0

    def add_sizes(self, sizes: Iterable[tuple[tuple[str, str], int]]) -> None:
        """Record the sizes of lists (a full build, after :meth:`clear_articles`)."""
        self.db.executemany("INSERT OR REPLACE INTO groups VALUES (?, ?, ?)", ((*g, n) for g, n in sizes if n > 0))

    def lists(self, minimum: dict[str, int]) -> Iterator[tuple[str, str]]:
        """Every list, in order of kind and name, a thousand read at a time; kinds in
        ``minimum`` only with at least that many articles."""
        after = ("", "")
        while True:
            rows = self.db.execute(
                "SELECT kind, name, size FROM groups WHERE (kind, name) > (?, ?) ORDER BY kind, name LIMIT 1000", after
            ).fetchall()
            for kind, name, size in rows:
                if size >= minimum.get(kind, 1):
                    yield (kind, name)
            if len(rows) < 1000:
                return
            after = (rows[-1][0], rows[-1][1])

    def at_least(self, kind: str, names: Iterable[str], minimum: int) -> set[str]:
        """Which of ``names`` (lists of ``kind``) hold at least ``minimum`` articles."""
        query = "SELECT name FROM groups WHERE kind = ? AND size >= ? AND name IN ({})"
        return {row[0] for row in self._where_in(query, list(set(names)), kind, minimum)}

    def set_sizes(self, sizes: Iterable[tuple[tuple[str, str], int]]) -> None:
        sizes = list(sizes)
        self.db.executemany("DELETE FROM groups WHERE kind = ? AND name = ?", (g for g, n in sizes if n <= 0))
        self.db.executemany("INSERT OR REPLACE INTO groups VALUES (?, ?, ?)", ((*g, n) for g, n in sizes if n > 0))

    def top(self, kind: str, limit: int, keep: Callable[[str], bool], minimum: int = 1) -> list[tuple[str, int]]:
        """The largest lists of a kind (ties by name), of at least ``minimum`` articles,
        whose names ``keep`` accepts."""
        rows = self.db.execute(
            "SELECT name, size FROM groups WHERE kind = ? AND size >= ? ORDER BY size DESC, name", (kind, minimum)
        )
        found: list[tuple[str, int]] = []
        for name, size in rows:
            if keep(name):
                found.append((name, int(size)))
                if len(found) == limit:
                    break
        return found

    def commit(self) -> None:
        self.db.execute("COMMIT")
        self.db.execute("BEGIN")

    def close(self) -> None:
        if self.db.in_transaction:
            self.db.execute("ROLLBACK")
        self.db.close()
