"""Cache backends of the platform (缓存).

The embedded default keeps the shared cache as files in the data directory (settings,
``CACHES``): every server process of one machine sees the same entries (login lock-outs,
throttles, the portal's register version and cached search pages, ADR 0041). Redis
(``TUOYU_CACHE_URL``) replaces it for several machines.
"""

from __future__ import annotations

import itertools
import threading

from django.core.cache.backends.filebased import FileBasedCache

#: One write in this many lists the cache directory to see whether entries must be dropped.
CULL_CHECK_EVERY = 50


class FileCache(FileBasedCache):
    """Django's file cache, checking the number of entries on one write in
    :data:`CULL_CHECK_EVERY` instead of on every write.

    Django's ``FileBasedCache`` lists the whole cache directory before each ``set`` to
    decide whether to drop entries; with a few thousand cached search pages that listing
    was 4.5 ms of each 4.9 ms write, paid by every search that missed the cache
    (bench/portal.py, ADR 0041 third round). Checking on every 50th write of a process
    lets the directory exceed ``MAX_ENTRIES`` by at most 50 entries per server process
    between checks; when a check finds too many, Django's rule applies unchanged (a random
    ``1 / CULL_FREQUENCY`` of the entries is deleted). Reads, expiry and the file format
    are Django's.
    """

    def __init__(self, dir, params):  # noqa: A002 - Django's signature
        super().__init__(dir, params)
        self._writes = itertools.count(1)
        self._writes_lock = threading.Lock()

    def _cull(self):
        """Drop entries as Django does, but only on every :data:`CULL_CHECK_EVERY`-th write."""
        with self._writes_lock:
            due = next(self._writes) % CULL_CHECK_EVERY == 0
        if due:
            super()._cull()
