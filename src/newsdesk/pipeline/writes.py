"""The writes of source runs: one writer thread per process (fetching goes on while
it writes, and writes never race each other), and the :class:`Coalescer` that puts
the records of concurrent runs into one write."""

from __future__ import annotations

import asyncio
import atexit
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from newsdesk.config import Settings
from newsdesk.models import Record
from newsdesk.pipeline.ingest import ImportReport, Workers, import_groups
from newsdesk.store import Store

__all__ = ["Coalescer", "written"]

_WRITER: list[ThreadPoolExecutor] = []


def _close_writer() -> None:
    """At exit: let the write in flight finish (it is one transaction either way)."""
    if _WRITER:
        _WRITER.pop().shutdown(wait=True)


atexit.register(_close_writer)


async def written(work: Callable[..., Any], *args: Any) -> Any:
    """Run a database write (cleaning and enrichment included) in this process's one
    writer thread: fetching goes on meanwhile, and writes never race each other."""
    if not _WRITER:
        _WRITER.append(ThreadPoolExecutor(max_workers=1, thread_name_prefix="newsdesk-writer"))
    return await asyncio.get_running_loop().run_in_executor(_WRITER[0], lambda: work(*args))


class Coalescer:
    """The imports of concurrent source runs, written together.

    Records that arrive while a write is going on wait and go into the next one:
    one transaction and one lookup for many sources instead of one each, and
    batches large enough for the processes that clean and enrich. One report per
    run comes back.
    """

    GATHER = 0.05  # seconds a write waits for other runs to join it

    def __init__(self, store: Store, settings: Settings, *, parallel: bool = True) -> None:
        """``parallel``: start the cleaning processes (worth it for many sources, not for a few)."""
        self.store, self.settings = store, settings
        # Forked while this process has one thread; later (threads running, whose held
        # locks a fork would copy) from a forkserver.
        alone = threading.active_count() == 1
        count = settings.import_workers if parallel else 1
        self.workers = Workers(count, start="fork" if alone else "forkserver")
        if alone and self.workers.count > 1:
            self.workers.start_now()
        self._pending: list[tuple[list[Record], asyncio.Future[ImportReport]]] = []
        self._wakeup = asyncio.Event()
        self._task: asyncio.Task[None] | None = None

    async def __call__(self, records: list[Record]) -> ImportReport:
        done: asyncio.Future[ImportReport] = asyncio.get_running_loop().create_future()
        self._pending.append((records, done))
        self._wakeup.set()
        if self._task is None:
            self._task = asyncio.ensure_future(self._drain())
        return await done

    async def _drain(self) -> None:
        while True:
            await self._wakeup.wait()
            self._wakeup.clear()
            await asyncio.sleep(self.GATHER)
            waiting, self._pending = self._pending, []
            if not waiting:
                continue
            try:
                reports = await written(import_groups, self.store, [r for r, _ in waiting], self.settings, self.workers)
            except Exception as exc:  # noqa: BLE001 - each run reports it as its own failure
                for _, done in waiting:
                    done.set_exception(exc)
                continue
            for (_, done), report in zip(waiting, reports, strict=True):
                done.set_result(report)

    async def close(self) -> None:
        if self._task is not None:
            self._task.cancel()
            self._task = None
        await asyncio.get_running_loop().run_in_executor(None, self.workers.close)
