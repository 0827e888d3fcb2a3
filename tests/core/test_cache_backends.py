"""The file cache checks its size on one write in CULL_CHECK_EVERY (core.cache_backends)."""

from __future__ import annotations

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
