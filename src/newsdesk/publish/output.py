"""Where a build writes: only the pages whose inputs changed.

Every page of a build has a *key*, a digest of everything it is rendered from
(its articles' fingerprints, its title, its pager...). The keys of the last
build are kept in the output folder (``.newsdesk-build.json``, with a digest of
the templates and settings they were made with); a page whose key is unchanged
is not rendered again. A rendered page is written only when its bytes differ,
and files the last build made that this one does not are removed — so a build
after new articles produces the same folder as a full build into an empty one.

Pages are planned first and rendered at :meth:`Output.finish`, split among
forked processes when there are many (a full build); the keys are saved only
after every page is written, so an interrupted build is completed by the next.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from newsdesk.errors import PublishError

__all__ = ["MANIFEST", "BuildReport", "Output", "digest", "files_digest", "save_json"]

MANIFEST = ".newsdesk-build.json"
FORK_MIN = 2000  # fewer pages than this render in one process (forking costs more)


def digest(*parts: object) -> str:
    """A short stable digest of ``parts`` (strings, numbers, nested sequences)."""
    return hashlib.md5(repr(parts).encode("utf-8", "surrogatepass")).hexdigest()[:20]


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
    pages: Sequence[tuple[str, str]]  # (path, key)
    render: Callable[[], list[str]]  # their texts, in order


class Output:
    """The output folder of one build, with the page keys of the previous one."""

    def __init__(
        self, folder: Path, site_key: str, *, full: bool = False, on_page: Callable[[str], None] | None = None
    ) -> None:
        """``on_page`` is called with each page rendered (for a progress display)."""
        self.folder, self.site_key, self.on_page = folder, site_key, on_page
        self.report = BuildReport()
        self.keys: dict[str, str] = {}
        self._old, keys = self._load()
        self._previous = {} if full else keys
        self._made: set[str] = set()
        self._root = str(folder)
        self._empty = not folder.is_dir() or not any(folder.iterdir())  # nothing to compare with
        self._jobs: list[_Job] = []

    def current(self, path: str, key: str) -> bool:
        """Whether ``path`` already holds what ``key`` renders to (then it is counted as done)."""
        if self._previous.get(path) != key:
            return False
        self._count(path, key)
        self.report.unchanged += 1
        return True

    def page(self, path: str, key: str, render: Callable[[], str]) -> None:
        """Plan ``path``: rendered at :meth:`finish` unless the previous build made it with the same ``key``."""
        if not self.current(path, key):
            self.pages([(path, key)], lambda: [render()])

    def pages(self, pages: Sequence[tuple[str, str]], render: Callable[[], list[str]]) -> None:
        """Plan pages rendered together (articles whose bodies are read in one query)."""
        for path, key in pages:
            self._count(path, key)
        self.report.rendered += len(pages)
        self._jobs.append(_Job(pages, render))

    def _store(self, path: str, text: str) -> None:
        target = os.path.join(self._root, path)  # strings, not Paths: this runs 100,000 times
        data = text.encode("utf-8", "surrogatepass")
        parent = os.path.dirname(target)
        if parent not in self._made:
            os.makedirs(parent, exist_ok=True)
            self._made.add(parent)
        if not self._empty:
            try:
                with open(target, "rb") as existing:
                    if existing.read() == data:
                        self.report.unchanged += 1
                        return
            except FileNotFoundError:
                pass
        with open(target, "wb") as out:
            out.write(data)
        self.report.written += 1

    def finish(self, *, workers: int = 1, after_fork: Callable[[], None] | None = None) -> BuildReport:
        """Render the planned pages (in ``workers`` processes when there are many;
        ``after_fork`` runs first in each child, e.g. to drop inherited database
        connections), remove what the previous build made and this one did not,
        save the keys."""
        jobs, self._jobs = self._jobs, []
        if workers > 1 and sum(len(job.pages) for job in jobs) >= FORK_MIN:
            self._render_forked(jobs, workers, after_fork)
        else:
            self._render(jobs)
        for path in sorted(self._old - set(self.keys)):
            self._remove(path)
        self.folder.mkdir(parents=True, exist_ok=True)
        save_json(self.folder / MANIFEST, {"site": self.site_key, "pages": self.keys})
        return self.report

    def _render(self, jobs: Iterable[_Job]) -> None:
        for job in jobs:
            try:
                texts = job.render()
            except Exception as exc:  # a theme's template error, say: name the page
                raise PublishError(f"cannot render {job.pages[0][0]}: {type(exc).__name__}: {exc}") from exc
            for (path, _), text in zip(job.pages, texts, strict=True):
                self._store(path, text)
                if self.on_page:
                    self.on_page(path)

    def _render_forked(self, jobs: list[_Job], workers: int, after_fork: Callable[[], None] | None) -> None:
        shares = [jobs[n::workers] for n in range(workers)]
        children = []
        for share in shares[1:]:
            read, write = os.pipe()
            pid = os.fork()
            if pid == 0:  # the child renders its share and reports its counts
                os.close(read)
                os._exit(self._child(share, write, after_fork))
            os.close(write)
            children.append((pid, read, share))
        self._render(shares[0])
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
            for path, _ in (page for job in share for page in job.pages):
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

    def _count(self, path: str, key: str) -> None:
        if path in self.keys:
            raise PublishError(f"two pages of the site would be written to {path}")
        self.keys[path] = key
        self.report.pages += 1

    def _load(self) -> tuple[set[str], dict[str, str]]:
        """Paths the previous build made, and their keys if made with the same templates and settings."""
        try:
            saved = json.loads((self.folder / MANIFEST).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return set(), {}
        pages = saved.get("pages") if isinstance(saved, dict) else None
        if not isinstance(pages, dict):
            return set(), {}
        keys = {str(k): str(v) for k, v in pages.items()}
        return set(keys), keys if saved.get("site") == self.site_key else {}

    def _remove(self, path: str) -> None:
        target = (self.folder / path).resolve()
        root = self.folder.resolve()
        if not target.is_relative_to(root) or target == root:
            return  # a hand-edited manifest never reaches outside the folder
        target.unlink(missing_ok=True)
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


def files_digest(files: Iterable[tuple[str, bytes]]) -> str:
    """Digest of named contents (the templates a build renders with)."""
    md5 = hashlib.md5()
    for name, data in sorted(files):
        md5.update(name.encode() + b"\0" + hashlib.md5(data).digest())
    return md5.hexdigest()[:20]
