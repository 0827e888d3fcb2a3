"""The file cache (core.cache_backends): its size checked on one write in CULL_CHECK_EVERY,
increments in place under a lock."""

from __future__ import annotations

import threading

import pytest

from tuoyu.core import cache_backends
from tuoyu.core.cache_backends import FileCache


def _cache(tmp_path, max_entries):
    return FileCache(str(tmp_path), {"OPTIONS": {"MAX_ENTRIES": max_entries, "CULL_FREQUENCY": 2}})


def _entries(tmp_path):
    return len(list(tmp_path.glob("*.djcache")))


def test_writes_between_checks_do_not_list_the_directory(tmp_path, monkeypatch):
    monkeypatch.setattr(cache_backends, "CULL_CHECK_EVERY", 10)
    cache = _cache(tmp_path, 5)
    listed = []
    monkeypatch.setattr(cache, "_list_cache_files", lambda: listed.append(1) or [])
    for n in range(9):
        cache.set(f"k{n}", n)
    assert listed == []


def test_the_checking_write_drops_entries_over_the_limit(tmp_path, monkeypatch):
    monkeypatch.setattr(cache_backends, "CULL_CHECK_EVERY", 10)
    cache = _cache(tmp_path, 5)
    for n in range(9):
        cache.set(f"k{n}", n)
    assert _entries(tmp_path) == 9
    cache.set("k9", 9)  # the 10th write checks: 9 entries ≥ 5, half of them go first
    assert _entries(tmp_path) == 9 - 9 // 2 + 1


def test_values_are_read_back_as_written(tmp_path):
    cache = _cache(tmp_path, 100)
    cache.set("page", (3, [1, 2, 3]))
    assert cache.get("page") == (3, [1, 2, 3])


# --- incr: in place, under a lock ---------------------------------------------------------


def test_incr_returns_and_keeps_the_new_number(tmp_path):
    cache = _cache(tmp_path, 100)
    cache.set("hits", 4, 60)
    assert (cache.incr("hits"), cache.incr("hits", 3), cache.get("hits")) == (5, 8, 8)


def test_incr_keeps_the_entrys_file(tmp_path):
    cache = _cache(tmp_path, 100)
    cache.set("hits", 1, 60)
    (entry,) = tmp_path.glob("*.djcache")
    inode = entry.stat().st_ino
    cache.incr("hits")
    assert entry.stat().st_ino == inode


def test_incr_of_a_missing_key_is_a_value_error(tmp_path):
    cache = _cache(tmp_path, 100)
    with pytest.raises(ValueError, match="not found"):
        cache.incr("nothing")


def test_incr_of_an_expired_key_is_a_value_error(tmp_path, time_machine):
    cache = _cache(tmp_path, 100)
    time_machine.move_to("2026-05-01 08:00:00+08:00", tick=False)
    cache.set("hits", 1, 60)
    time_machine.move_to("2026-05-01 08:01:01+08:00", tick=False)
    with pytest.raises(ValueError):
        cache.incr("hits")


def test_incr_keeps_the_expiry(tmp_path, time_machine):
    cache = _cache(tmp_path, 100)
    time_machine.move_to("2026-05-01 08:00:00+08:00", tick=False)
    cache.set("hits", 1, 60)
    time_machine.move_to("2026-05-01 08:00:50+08:00", tick=False)
    cache.incr("hits")
    time_machine.move_to("2026-05-01 08:01:01+08:00", tick=False)
    assert cache.get("hits") is None


def test_concurrent_increments_are_all_counted(tmp_path):
    cache = _cache(tmp_path, 100)
    cache.set("hits", 0, 60)

    def add_fifty():
        other = _cache(tmp_path, 100)  # its own handle, as another server process has
        for _ in range(50):
            other.incr("hits")

    threads = [threading.Thread(target=add_fifty) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert cache.get("hits") == 400
