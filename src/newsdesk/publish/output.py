"""Where a build writes: only the pages whose inputs changed.

Every page of a build has a *key*, a digest of everything it is rendered from
(its articles' fingerprints, its title, its pager...). The keys of the last build
are kept in the output folder (:mod:`.manifest`, with a digest of the templates and
settings they were made with); a page whose key is unchanged is not rendered again.
A rendered page is written only when its bytes differ. The site says which pages
are gone (an update build) or asks for every page the build did not make to be
removed (a full build); either way the folder ends as a full build into an empty
one would leave it.

Planned pages are rendered in chunks (:meth:`Output.flush`), split among forked
processes when there are many (the build plans the next chunk while they render),
so memory stays flat however large the site; the
bookkeeping is committed only after every page is written, so an interrupted build
is completed by the next. Sitemaps (one per day of articles, a few for the lists)
are written at the end, those whose pages changed.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import sqlite3
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from newsdesk.errors import PublishError
from newsdesk.publish import feeds
from newsdesk.publish.keys import digest, files_digest
from newsdesk.publish.manifest import MANIFEST, Manifest

__all__ = ["MANIFEST", "BuildReport", "Output", "digest", "files_digest", "save_json"]

FORK_MIN = 2000  # fewer pages than this render in one process (forking costs more)
FLUSH_PAGES = 4000  # planned pages held before they are rendered
FLUSH_ENTRIES = 40_000  # or articles' entries held by them (a list page holds a page of them)


@dataclass
class BuildReport:
    pages: int = 0
    rendered: int = 0
    written: int = 0
    unchanged: int = 0
    removed: int = 0

    def counts(self) -> dict[str, int]:
        return {
            "pages": self.pages,
            "written": self.written,
            "unchanged": self.unchanged,
            "rendered": self.rendered,
            "removed": self.removed,
        }


@dataclass(slots=True)
class _Job:
    pages: Sequence[tuple[str, str, str | None]]  # (path, key, sitemap)
    render: Callable[[], list[str]]  # their texts, in order


class Output:
    """The output folder of one build, with the page keys of the previous one."""

    def __init__(
        self,
        folder: Path,
        site_key: str,
        *,
        full: bool = False,
        on_page: Callable[[str], None] | None = None,
        workers: int = 1,
        after_fork: Callable[[], None] | None = None,
    ) -> None:
        """``on_page`` is called with each page rendered (for a progress display);
        ``after_fork`` runs first in each render process (to drop inherited database
        connections)."""
        self.folder, self.site_key, self.on_page = folder, site_key, on_page
        self.workers, self.after_fork = workers, after_fork
        self.report = BuildReport()
        self._empty = not folder.is_dir() or not any(folder.iterdir())  # nothing to compare with
        self.manifest = Manifest(folder)
        self._adopt(folder / ".newsdesk-build.json")
        self.trusted = not full and self.manifest.meta("site") == site_key
        self.build = int(self.manifest.meta("build", "0") or 0) + 1
        self._root = str(folder)
        self._jobs: list[_Job] = []
        self._planned = self._held = 0
        self._confirmed: list[str] = []
        self._children: list[tuple[int, int, list[_Job]]] = []  # render processes: pid, pipe, their jobs
        self._sitemaps: set[str] = set()
        self._sitemap_files = 0

    def _adopt(self, old: Path) -> None:
        """Take over the pages listed by an earlier version's bookkeeping (a JSON file),
        so that a full build removes those it no longer makes."""
        try:
            pages = json.loads(old.read_text(encoding="utf-8")).get("pages")
        except (OSError, ValueError, AttributeError):
            return
        if isinstance(pages, dict):
            self.manifest.save_pages([(str(path), "", None) for path in pages], 0)
        old.unlink()

    def current(self, path: str, key: str) -> bool:
        """Whether ``path`` already holds what ``key`` renders to (then it is counted as done)."""
        return self.all_current([path], key)

    def all_current(self, paths: Sequence[str], key: str) -> bool:
        """Whether every one of ``paths`` (files rendered together) holds what ``key``
        renders to; if so they are counted as done, else none is."""
        if not self.trusted or any(self.manifest.key(path) != key for path in paths):
            return False
        self._confirmed.extend(paths)
        self.report.pages += len(paths)
        self.report.unchanged += len(paths)
        return True

    def page(
        self, path: str, key: str, render: Callable[[], str], sitemap: str | None = None, *, holds: int = 1
    ) -> None:
        """Plan ``path``: rendered unless the previous build made it with the same ``key``;
        listed in the sitemap named ``sitemap`` (none: not listed). ``holds``: the
        articles' entries its ``render`` keeps until it runs."""
        if not self.current(path, key):
            self.pages([(path, key, sitemap)], lambda: [render()], holds=holds)

    def pages(
        self, pages: Sequence[tuple[str, str, str | None]], render: Callable[[], list[str]], *, holds: int = 0
    ) -> None:
        """Plan pages rendered together (articles whose bodies are read in one query)."""
        self.report.pages += len(pages)
        self.report.rendered += len(pages)
        self._jobs.append(_Job(pages, render))
        self._planned += len(pages)
        self._held += holds or len(pages)
        if self._planned >= FLUSH_PAGES or self._held >= FLUSH_ENTRIES:
            self.flush()

    def drop(self, paths: Iterable[str]) -> None:
        """Remove pages the site no longer has."""
        paths = list(paths)
        for path in paths:
            self._remove(path)
        self._sitemaps.update(self.manifest.forget(paths))

    def flush(self) -> None:
        """Render and write the pages planned so far, and note them in the bookkeeping."""
        jobs, self._jobs, self._planned, self._held = self._jobs, [], 0, 0
        if self.workers > 1 and sum(len(job.pages) for job in jobs) >= FORK_MIN:
            self._collect()  # at most one flush renders while the next is planned
            self._fork(jobs)
        else:
            self._render(jobs)
        made = [page for job in jobs for page in job.pages]
        self._sitemaps.update(self.manifest.save_pages(made, self.build))
        self.manifest.confirm(self._confirmed, self.build)
        self._confirmed = []

    def finish(self, site: str, *, everything: bool, mark: dict[str, object]) -> BuildReport:
        """Render what is left, remove the pages this build did not make when it
        planned ``everything`` (a full build), write the changed sitemaps, commit the
        bookkeeping with ``mark`` (what the next build starts from)."""
        self.flush()
        self._collect()
        if everything:
            self.drop(self.manifest.stale(self.build))
        self._write_sitemaps(site, everything)
        self.report.pages = self.manifest.page_count() + self._sitemap_files  # the site's, not this build's
        try:
            self.manifest.set_meta(site=self.site_key, build=self.build, **mark)
            self.manifest.commit()
        except sqlite3.Error as exc:  # the pages are written; the next build checks them again
            raise PublishError(f"cannot save the build's bookkeeping in {self.folder}: {exc}") from None
        self.manifest.close()
        return self.report

    def close(self) -> None:
        """Leave without committing (a failed build): render processes are stopped."""
        for pid, read, _ in self._children:
            with contextlib.suppress(OSError):
                os.kill(pid, signal.SIGTERM)
                os.waitpid(pid, 0)
            os.close(read)
        self._children = []
        self.manifest.close()

    def _write_sitemaps(self, site: str, everything: bool) -> None:
        names = self.manifest.sitemap_names()
        touched = set(names) | self._sitemaps if everything or not self.trusted else self._sitemaps
        for name in sorted(touched):
            paths = self.manifest.sitemap_paths(name)
            if paths:
                self._write(f"sitemap-{name}.xml", feeds.urlset(site, paths))
            else:
                self._remove(f"sitemap-{name}.xml")
        self._write("sitemap.xml", feeds.sitemap_index(site, [f"sitemap-{n}.xml" for n in sorted(names)]))
        self._sitemap_files = len(names) + 1

    def _write(self, path: str, text: str) -> None:
        """Write a page made from the bookkeeping itself (a sitemap)."""
        self.report.pages += 1
        self.report.rendered += 1
        self._store(path, text)
        if self.on_page:
            self.on_page(path)

    def _store(self, path: str, text: str) -> None:
        try:
            self._write_file(path, text.encode("utf-8", "surrogatepass"))
        except OSError as exc:  # a full disk, say: the page and the reason, no traceback
            raise PublishError(f"cannot write {path} in {self.folder}: {exc.strerror or exc}") from None

    def _write_file(self, path: str, data: bytes) -> None:
        target = os.path.join(self._root, path)  # strings, not Paths: this runs a million times
        if not self._empty:
            try:
                with open(target, "rb") as existing:
                    if existing.read() == data:
                        self.report.unchanged += 1
                        return
            except FileNotFoundError:
                pass
        try:
            out = open(target, "wb")  # noqa: SIM115 - closed below, the folder made on the first miss
        except FileNotFoundError:
            os.makedirs(os.path.dirname(target), exist_ok=True)
            out = open(target, "wb")  # noqa: SIM115
        with out:
            out.write(data)
        self.report.written += 1

    def _render(self, jobs: Iterable[_Job]) -> None:
        for job in jobs:
            try:
                texts = job.render()
            except Exception as exc:  # a theme's template error, say: name the page
                raise PublishError(f"cannot render {job.pages[0][0]}: {type(exc).__name__}: {exc}") from exc
            for (path, _, _), text in zip(job.pages, texts, strict=True):
                self._store(path, text)
                if self.on_page:
                    self.on_page(path)

    def _fork(self, jobs: list[_Job]) -> None:
        """Start render processes for ``jobs`` (split among them) and go on: the
        build plans the next pages while they render these."""
        for share in (jobs[n :: self.workers] for n in range(self.workers)):
            read, write = os.pipe()
            pid = os.fork()
            if pid == 0:  # the child renders its share and reports its counts
                os.close(read)
                os._exit(self._child(share, write, self.after_fork))
            os.close(write)
            self._children.append((pid, read, share))

    def _collect(self) -> None:
        """Wait for the render processes; count what they wrote; raise what failed."""
        children, self._children = self._children, []
        failures = []
        for pid, read, share in children:
            with os.fdopen(read, "rb") as pipe:
                message = pipe.read()
            os.waitpid(pid, 0)
            result: dict[str, Any] = json.loads(message) if message else {"error": "the render process died"}
            if "error" in result:
                failures.append(result["error"])
                continue
            self.report.written += result["written"]
            self.report.unchanged += result["unchanged"]
            for path, _, _ in (page for job in share for page in job.pages):
                if self.on_page:
                    self.on_page(path)
        if failures:
            raise PublishError("; ".join(failures))

    def _child(self, share: list[_Job], pipe: int, after_fork: Callable[[], None] | None) -> int:
        self.on_page = None
        before = (self.report.written, self.report.unchanged)
        try:
            if after_fork:
                after_fork()
            self._render(share)
            result: dict[str, object] = {
                "written": self.report.written - before[0],
                "unchanged": self.report.unchanged - before[1],
            }
        except BaseException as exc:  # noqa: BLE001 - whatever it is, the parent must hear of it
            result = {"error": str(exc)}
        os.write(pipe, json.dumps(result).encode())
        return 1 if "error" in result else 0

    def _remove(self, path: str) -> None:
        target = (self.folder / path).resolve()
        root = self.folder.resolve()
        if not target.is_relative_to(root) or target == root:
            return  # a hand-edited manifest never reaches outside the folder
        try:
            target.unlink()
        except FileNotFoundError:
            return
        self.report.removed += 1
        for parent in target.parents:
            if parent == root or any(parent.iterdir()):
                break
            parent.rmdir()


def save_json(path: Path, value: object) -> None:
    """Write ``value`` to ``path`` whole or not at all (a build's own bookkeeping files)."""
    temporary = path.with_name(path.name + ".tmp")
    temporary.write_text(json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":")), encoding="utf-8")
    os.replace(temporary, path)
