"""SQLite's WAL checkpoints in a thread of their own.

A commit in WAL mode appends the pages it changed to the log; once the log holds
``wal_autocheckpoint`` pages, the committing connection copies them into the database
file and syncs it, in the writer's own time. During a large import that was a third of
the writing process's time at 500,000 articles, waiting on the disk rather than
computing. Here a thread with its own connection copies the log after each commit with
a PASSIVE checkpoint, which never blocks the writer: the next batch is written
meanwhile. A writer still checkpoints the log itself once it passes :data:`BACKSTOP`
pages (the thread fell behind, or the process has none).
"""

from __future__ import annotations

import sqlite3
import threading

__all__ = ["BACKSTOP", "Checkpointer"]

BACKSTOP = 32768  # pages (128 MB): wal_autocheckpoint of every connection


class Checkpointer:
    """Checkpoints of the SQLite file at ``path``, one at a time, after :meth:`poke`."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.runs = 0  # checkpoints made (tests and figures)
        self._wanted = threading.Event()
        self._closing = False
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()

    def poke(self) -> None:
        """A commit happened: checkpoint soon (the thread starts on the first call, so
        that a process that only reads has none, and a fork before it copies none)."""
        with self._lock:
            if self._thread is None or not self._thread.is_alive():
                if self._closing:
                    return
                self._thread = threading.Thread(target=self._run, name="sqlite-checkpoints", daemon=True)
                self._thread.start()
        self._wanted.set()

    def close(self) -> None:
        """Stop the thread after the checkpoint in progress."""
        with self._lock:
            self._closing = True
            thread = self._thread
        self._wanted.set()
        if thread is not None and thread.is_alive():
            thread.join()

    def _run(self) -> None:
        try:
            conn = sqlite3.connect(self.path, timeout=30, isolation_level=None, check_same_thread=False)
        except sqlite3.Error:
            return  # the writers' backstop checkpoints instead
        try:
            while True:
                self._wanted.wait()
                self._wanted.clear()
                if self._closing:
                    return
                try:
                    conn.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchall()
                    self.runs += 1
                except sqlite3.Error:
                    pass  # busy (another process checkpoints) or gone: the backstop remains
        finally:
            conn.close()
