"""The served app's cache of rendered pages and search results."""

from __future__ import annotations

import logging
import sys
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from typing import Any, TypeVar

__all__ = ["PageCache"]

T = TypeVar("T")
log = logging.getLogger("newsdesk.web")


class PageCache:
    """Rendered pages and search results. A value is reused while the articles are
    unchanged (``version``, read at most once a second), and for ``seconds`` after
    they change; ``seconds`` 0 turns the cache off. One thread makes a missing value
    while the others wait for it; an outdated one is made again by one thread while
    the others are answered with the old value (no stampede when 20 requests find the
    home page outdated at once). The values together hold at most ``most_bytes``: the
    oldest made go first."""

    def __init__(
        self, seconds: int, version: Any, *, while_unchanged: bool = False, most_bytes: int = 64_000_000
    ) -> None:
        """``while_unchanged``: values live while the articles are unchanged even when
        ``seconds`` is 0 (site-wide figures that many pages show)."""
        self.seconds = seconds
        self.while_unchanged = while_unchanged
        self.most_bytes = most_bytes
        self.bytes = 0
        self._version = version
        self._seen: tuple[float, object] = (-1.0, None)
        self._items: OrderedDict[str, tuple[float, object, Any]] = OrderedDict()
        self._sizes: dict[str, int] = {}
        self._locks: dict[str, threading.Lock] = {}
        self._guard = threading.Lock()
        self._making: dict[str, threading.Thread] = {}  # the background thread of a key

    def version(self) -> object:
        checked, value = self._seen
        now = time.monotonic()
        if now - checked >= 1.0:
            self._seen = (now, None)  # others keep the old reading while this one asks
            value = self._version()
            self._seen = (now, value)
        return value

    def fresh(self, key: str) -> Any:
        """The value of ``key`` if it is current, else None."""
        hit = self._items.get(key)
        return hit[2] if hit and self._current(hit) else None

    def _current(self, hit: tuple[float, object, Any]) -> bool:
        return hit[1] == self.version() or time.monotonic() - hit[0] < self.seconds

    def get(self, key: str, make: Callable[[], T]) -> T:
        if self.seconds <= 0 and not self.while_unchanged:
            return make()
        hit = self._items.get(key)
        if hit and self._current(hit):
            return hit[2]  # type: ignore[no-any-return]  # what make() returned for this key
        with self._guard:
            lock = self._locks.setdefault(key, threading.Lock())
        if not lock.acquire(blocking=hit is None):
            return hit[2]  # type: ignore[index,no-any-return]  # being made again: the old value meanwhile
        try:
            latest = self._items.get(key)
            if latest and latest is not hit and self._current(latest):
                return latest[2]  # type: ignore[no-any-return]
            version = self.version()
            value = make()
            self._keep(key, (time.monotonic(), version, value))
            return value
        finally:
            lock.release()

    def _keep(self, key: str, item: tuple[float, object, Any]) -> None:
        size = _size(item[2]) + len(key)
        with self._guard:
            self.bytes -= self._sizes.pop(key, 0)
            self._items.pop(key, None)
            if size > self.most_bytes:
                return  # larger than the whole cache: made each time
            while self._items and self.bytes + size > self.most_bytes:
                old, _ = self._items.popitem(last=False)
                self.bytes -= self._sizes.pop(old, 0)
                self._locks.pop(old, None)
            self._items[key] = item
            self._sizes[key] = size
            self.bytes += size

    def soon(self, key: str, make: Callable[[], T]) -> T | None:
        """The value of ``key`` without waiting for it: when it is missing or outdated,
        one background thread makes it and this answers the old value (None when there
        is none yet). A failure is logged and the next call tries again."""
        hit = self._items.get(key)
        if hit and self._current(hit):
            return hit[2]  # type: ignore[no-any-return]  # what make() returned for this key
        with self._guard:
            making = self._making.get(key)
            if making is None or not making.is_alive():  # (a forked process has none of its parent's threads)
                making = self._making[key] = threading.Thread(target=self._make_soon, args=(key, make), daemon=True)
                making.start()
        return hit[2] if hit else None

    def _make_soon(self, key: str, make: Callable[[], T]) -> None:
        try:
            self.get(key, make)
        except Exception as exc:  # a thread of its own: nobody else would hear of it
            log.warning("web: making %s in the background failed: %s", key, exc)


def _size(value: Any, depth: int = 0) -> int:
    """Bytes ``value`` holds, near enough: text and bytes by length, containers by their
    members (three levels down), anything else by its own size."""
    if isinstance(value, str | bytes):
        return len(value) + 50
    if depth < 3 and isinstance(value, dict):
        return sys.getsizeof(value) + sum(_size(k, depth + 1) + _size(v, depth + 1) for k, v in value.items())
    if depth < 3 and isinstance(value, list | tuple | set | frozenset):
        return sys.getsizeof(value) + sum(_size(v, depth + 1) for v in value)
    return sys.getsizeof(value)
