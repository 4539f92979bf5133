"""The served app's page cache: reused while the articles are unchanged, remade (by
one thread, the others answered meanwhile) once they changed and ``seconds`` passed."""

from __future__ import annotations

import threading
import time

from newsdesk.web.cache import PageCache


def test_values_live_while_articles_are_unchanged_and_expire_after_a_change():
    version = ["v1"]
    cache = PageCache(1, lambda: version[0])
    made = []
    make = lambda: made.append(1) or len(made)  # noqa: E731
    assert cache.get("k", make) == 1
    time.sleep(1.1)
    assert cache.get("k", make) == 1 and cache.fresh("k") == 1  # older than `seconds`, articles unchanged
    version[0] = "v2"
    time.sleep(1.1)  # the version is read at most once a second
    assert cache.fresh("k") is None
    assert cache.get("k", make) == 2
    assert PageCache(0, lambda: "v").get("k", make) == 3  # 0: no cache


def test_one_thread_makes_a_missing_value_while_the_others_wait():
    cache = PageCache(30, lambda: "v")
    calls = []

    def slow() -> str:
        calls.append(1)
        time.sleep(0.3)
        return "page"

    results = []
    threads = [threading.Thread(target=lambda: results.append(cache.get("home", slow))) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results == ["page"] * 8 and len(calls) == 1


def test_with_seconds_zero_a_shared_value_lives_only_while_the_articles_are_unchanged():
    version = ["v1"]
    made = []

    def make() -> int:
        made.append(1)
        return len(made)

    shared = PageCache(0, lambda: version[0], while_unchanged=True)
    assert shared.get("widget", make) == 1 and shared.get("widget", make) == 1  # unchanged: reused
    version[0] = "v2"
    time.sleep(1.1)  # the version is read at most once a second
    assert shared.fresh("widget") is None and shared.get("widget", make) == 2
    assert PageCache(0, lambda: "v").get("page", make) == 3  # without it, 0 is no cache at all


def test_soon_answers_at_once_and_makes_the_value_in_one_background_thread(caplog):
    version = ["v1"]
    cache = PageCache(0, lambda: version[0], while_unchanged=True)
    release, calls = threading.Event(), []

    def slow() -> int:
        calls.append(1)
        release.wait(5)
        if len(calls) == 2:
            raise OSError("disk gone")
        return len(calls)

    assert [cache.soon("tags", slow) for _ in range(5)] == [None] * 5  # nothing yet, and nobody waits
    release.set()
    deadline = time.monotonic() + 5
    while cache.soon("tags", slow) is None and time.monotonic() < deadline:
        time.sleep(0.01)
    assert cache.soon("tags", slow) == 1 and len(calls) == 1  # one thread made it
    version[0] = "v2"
    time.sleep(1.1)  # outdated: the old value meanwhile; the remake fails, is logged, and is tried again
    assert cache.soon("tags", slow) == 1
    while len(calls) < 2 or "disk gone" not in caplog.text:
        assert time.monotonic() < deadline + 5
        time.sleep(0.01)
    assert "making tags in the background failed: disk gone" in caplog.text
    while cache.soon("tags", slow) != 3:
        assert time.monotonic() < deadline + 5
        time.sleep(0.01)
